package io.namidb.writer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.NamiException;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nami load --uri URI NODES.jsonl EDGES.jsonl}: bulk load through the normal commit path.
 * Each line is one node ({@code {"label","key","props"}}) or edge ({@code {"type","from","to",
 * "props"}}), checked against the schema like {@code POST /v1/write}. It takes the namespace like a
 * writer does: a running {@code nami serve} on the same namespace is fenced, so stop it first.
 * Nodes load before edges; a bad line stops the load naming its file and line, after everything
 * before it was committed.
 */
@Command(
    name = "load",
    description = "Bulk-load nodes then edges from JSON Lines files through the commit path.",
    sortOptions = false)
public final class LoadCommand implements Callable<Integer>, CheckedCommand {
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
      description = "Items per write batch (default 1000).")
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
      long n = load(writer, nodes, "nodes", terminal, err);
      long e = load(writer, edges, "edges", terminal, err);
      writer.compact(); // one SST per label and edge type: cheapest reads afterwards
      spec.commandLine()
          .getOut()
          .printf(
              "loaded %d nodes and %d edges into %s (manifest version %d)%n",
              n, e, uri, writer.manifestVersion());
    }
    return 0;
  }

  private long load(
      NamespaceWriter writer, Path file, String field, boolean terminal, PrintWriter err)
      throws IOException, InterruptedException {
    Deque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
    long count = 0;
    long lineNo = 0;
    ArrayNode items = JSON.createArrayNode();
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
              "malformed json. file=" + file + " line=" + lineNo + " cause=" + ex.getMessage());
        }
        items.add(item);
        count++;
        if (items.size() >= batch) {
          submit(writer, field, items, file, lineNo, inFlight);
          items = JSON.createArrayNode();
          if (terminal) {
            err.printf("\r%s: %,d loaded", field, count);
            err.flush();
          }
        }
      }
    }
    if (!items.isEmpty()) {
      submit(writer, field, items, file, lineNo, inFlight);
    }
    while (!inFlight.isEmpty()) {
      await(inFlight.poll(), file, lineNo);
    }
    if (terminal) {
      err.printf("\r%s: %,d loaded%n", field, count);
    }
    return count;
  }

  private static void submit(
      NamespaceWriter writer,
      String field,
      ArrayNode items,
      Path file,
      long lineNo,
      Deque<CompletableFuture<Long>> inFlight)
      throws InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.set(field, items);
    WriteBatch b;
    try {
      b = writer.schema().batchFromJson(body);
    } catch (NamiException e) {
      throw new NamiException(
          e.kind(),
          "bad item in the batch ending at line " + lineNo + " of " + file + ": " + e.getMessage());
    }
    inFlight.add(writer.write(b));
    while (inFlight.size() > 8) {
      await(inFlight.poll(), file, lineNo);
    }
  }

  private static void await(CompletableFuture<Long> f, Path file, long lineNo)
      throws InterruptedException {
    try {
      f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String msg = cause.getMessage();
      throw cause instanceof NamiException n
          ? new NamiException(
              n.kind(), "load stopped near line " + lineNo + " of " + file + ": " + msg)
          : new IllegalStateException(msg, cause);
    }
  }
}
