package io.namidb.writer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.NamiException;
import io.namidb.engine.graph.BulkLoad;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nami load --uri URI NODES.jsonl EDGES.jsonl}: a bulk load ({@link BulkLoad}): SSTs written
 * directly and committed in one manifest version, all or nothing. Each line is one node ({@code
 * {"label","key","props"}}) or edge ({@code {"type","from","to","props"}}), checked against the
 * schema like {@code POST /v1/write}; an edge's endpoints must be in the nodes file or already in
 * the namespace. It takes the namespace like a writer does: a running {@code nami serve} on the
 * same namespace is fenced, so stop it first. A bad line stops the load naming its file and line,
 * and nothing of the load is committed (a {@code --schema} change is applied first and stays). The
 * load is held in memory until it commits. The command returns once the vector indexes of what it
 * loaded are built (they are built after the commit), so the namespace serves indexed searches at
 * once.
 */
@Command(
    name = "load",
    description =
        "Bulk-load nodes and edges from JSON Lines files: SSTs committed in one manifest version,"
            + " all or nothing.",
    sortOptions = false)
public final class LoadCommand implements Callable<Integer>, CheckedCommand {
  /** The longest the command waits for the vector indexes of what it loaded. */
  private static final Duration VECTOR_INDEX_WAIT = Duration.ofMinutes(30);

  /** The item a validation message starts with: {@code nodes[3]...} or {@code edges[0]...}. */
  private static final Pattern ITEM = Pattern.compile("(?:nodes|edges)\\[(\\d+)\\]");

  /** As strict as the HTTP API: no duplicate keys, nothing after the value on a line. */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Spec CommandSpec spec;

  @Mixin NamespaceOption namespace;

  @Parameters(index = "0", paramLabel = "NODES.jsonl", description = "Nodes, one JSON per line")
  Path nodes;

  @Parameters(index = "1", paramLabel = "EDGES.jsonl", description = "Edges, one JSON per line")
  Path edges;

  @Option(
      names = "--schema",
      paramLabel = "SCHEMA.json",
      description = "Apply this additive schema change first (the body of PUT /v1/schema).")
  Path schema;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Lines validated together (default 1000); a bad line is named either way.")
  int batch;

  @Mixin HelpOption help;

  @Override
  public void check() {
    namespace.require();
    for (Path p : schema == null ? new Path[] {nodes, edges} : new Path[] {nodes, edges, schema}) {
      if (!Files.isReadable(p)) {
        throw new ParameterException(spec.commandLine(), "cannot read input file. file=" + p);
      }
    }
    if (batch < 1 || batch > 100_000) {
      throw new ParameterException(spec.commandLine(), "--batch must be 1..100000. batch=" + batch);
    }
  }

  @Override
  public Integer call() throws Exception {
    NamespaceUri uri = namespace.require();
    boolean terminal = System.console() != null;
    PrintWriter err = spec.commandLine().getErr();
    try (ObjectStore store = ObjectStores.open(uri);
        NamespaceWriter writer = NamespaceWriter.open(store, WriterConfig.defaults())) {
      if (schema != null) {
        JsonNode change;
        try {
          change = JSON.readTree(schema.toFile());
        } catch (IOException ex) {
          throw new NamiException(
              NamiException.Kind.INVALID_INPUT,
              "malformed schema json. file=" + schema + " cause=" + ex.getMessage());
        }
        writer.evolveSchema(change);
      }
      long n;
      long e;
      long version;
      try (BulkLoad load = writer.bulkLoad()) {
        n = read(load, writer, nodes, "nodes", terminal, err);
        e = read(load, writer, edges, "edges", terminal, err);
        if (terminal) {
          err.printf("writing and committing the SSTs ...%n");
          err.flush();
        }
        version = load.commit();
      }
      // The vector indexes are built in the background after the commit; closing the writer now
      // would stop them, and the next writer to open the namespace would have to build them.
      if (terminal) {
        err.printf("building vector indexes ...%n");
        err.flush();
      }
      if (!writer.awaitVectorIndexes(VECTOR_INDEX_WAIT)) {
        err.printf(
            "vector indexes still building after %d minutes; the next writer to open the"
                + " namespace finishes them (until then vector search scans those SSTs)%n",
            VECTOR_INDEX_WAIT.toMinutes());
      }
      spec.commandLine()
          .getOut()
          .printf(
              "loaded %d nodes and %d edges into %s (manifest version %d)%n", n, e, uri, version);
    }
    return 0;
  }

  /** Reads one file into the load, {@code batch} lines at a time; returns the items read. */
  private long read(
      BulkLoad load,
      NamespaceWriter writer,
      Path file,
      String field,
      boolean terminal,
      PrintWriter err)
      throws IOException {
    long count = 0;
    long lineNo = 0;
    ArrayNode items = JSON.createArrayNode();
    List<Long> lines = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode item;
        try {
          item = JSON.readTree(line);
        } catch (IOException ex) {
          throw new NamiException(
              NamiException.Kind.INVALID_INPUT,
              "malformed json; nothing was loaded. file="
                  + file
                  + " line="
                  + lineNo
                  + " cause="
                  + ex.getMessage());
        }
        items.add(item);
        lines.add(lineNo);
        count++;
        if (items.size() >= batch) {
          add(load, writer, field, items, lines, file);
          items = JSON.createArrayNode();
          lines.clear();
          if (terminal) {
            err.printf("\r%s: %,d read", field, count);
            err.flush();
          }
        }
      }
    }
    if (!items.isEmpty()) {
      add(load, writer, field, items, lines, file);
    }
    if (terminal) {
      err.printf("\r%s: %,d read%n", field, count);
    }
    return count;
  }

  /**
   * Adds one batch of items to the load; a bad item stops the load (nothing is committed) with a
   * message naming its file and line.
   */
  private static void add(
      BulkLoad load,
      NamespaceWriter writer,
      String field,
      ArrayNode items,
      List<Long> lines,
      Path file) {
    ObjectNode body = JSON.createObjectNode();
    body.set(field, items);
    try {
      load.add(writer.schema().batchFromJson(body));
    } catch (NamiException e) {
      Matcher at = ITEM.matcher(e.getMessage());
      String where =
          at.lookingAt() && Integer.parseInt(at.group(1)) < lines.size()
              ? "line " + lines.get(Integer.parseInt(at.group(1)))
              : "the lines " + lines.get(0) + ".." + lines.get(lines.size() - 1);
      throw new NamiException(
          e.kind(),
          "bad item at " + where + " of " + file + "; nothing was loaded: " + e.getMessage());
    }
  }
}
