package io.namidb.writer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.namidb.engine.graph.NamespaceReader;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.query.QueryEngine;
import io.namidb.query.QueryJson;
import io.namidb.query.QueryOptions;
import io.namidb.query.QueryResult;
import io.namidb.query.graph.GraphStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nami query --uri URI [QUERY | -f FILE] [--param k=v ...] [--format table|json|csv]
 * [--write]}: runs Cypher against a namespace. Read-only by default: it opens a reader snapshot
 * (the newest manifest and the acknowledged WAL beyond it) and never takes the epoch, so it runs
 * beside a serving writer. {@code --write} opens the namespace as its writer (stop {@code serve}
 * first) and commits the query's writes as one batch. Without a query it reads standard input, or,
 * on a terminal, opens the interactive shell ({@link QueryShell}).
 */
@Command(
    name = "query",
    description =
        "Run a Cypher query against a namespace (read-only unless --write; no query on a terminal:"
            + " an interactive shell).",
    sortOptions = false)
public final class QueryCommand implements Callable<Integer>, CheckedCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin NamespaceOption namespace;

  @Parameters(
      arity = "0..1",
      paramLabel = "QUERY",
      description = "The query (or -f FILE, or standard input).")
  String query;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the query from FILE.")
  Path file;

  @Option(
      names = "--param",
      paramLabel = "NAME=VALUE",
      description = "A parameter; VALUE is read as JSON when it parses as JSON, else as a string.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default), json or csv.")
  Format format;

  @Option(names = "--write", description = "Open the namespace as its writer and commit writes.")
  boolean write;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "Time limit of each query, e.g. 30s, 2m (default 30s).")
  String timeout;

  @Mixin HelpOption help;

  /** Output formats. */
  public enum Format {
    TABLE,
    JSON,
    CSV
  }

  @Override
  public void check() {
    namespace.require();
    if (query != null && file != null) {
      throw new ParameterException(spec.commandLine(), "give the query or -f FILE, not both");
    }
    duration();
  }

  private Duration duration() {
    try {
      String t = timeout.strip().toLowerCase(java.util.Locale.ROOT);
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "--timeout: expected a duration such as 30s. timeout=" + timeout);
    }
  }

  @Override
  public Integer call() throws Exception {
    NamespaceUri uri = namespace.require();
    Map<String, Object> parameters = parameters();
    QueryOptions options = QueryOptions.defaults().withTimeout(duration());
    PrintWriter out = spec.commandLine().getOut();
    try (ObjectStore store = ObjectStores.open(uri)) {
      if (write) {
        try (NamespaceWriter writer = NamespaceWriter.open(store, WriterConfig.defaults());
            QueryEngine engine = new QueryEngine(GraphStore.of(writer, store::stats))) {
          return run(engine, parameters, options, out);
        }
      }
      try (NamespaceReader reader = NamespaceReader.open(store);
          QueryEngine engine = new QueryEngine(GraphStore.of(reader, store::stats))) {
        return run(engine, parameters, options, out);
      }
    }
  }

  private int run(
      QueryEngine engine, Map<String, Object> parameters, QueryOptions options, PrintWriter out)
      throws IOException {
    String text = query;
    if (file != null) {
      text = Files.readString(file, StandardCharsets.UTF_8);
    }
    if (text == null) {
      if (System.console() != null) {
        return new QueryShell(engine, parameters, options, format, write).run();
      }
      text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    }
    text = text.strip();
    if (text.endsWith(";")) {
      text = text.substring(0, text.length() - 1);
    }
    QueryResult r = engine.execute(text, parameters, options);
    print(r, format, out);
    out.flush();
    return 0;
  }

  private Map<String, Object> parameters() {
    Map<String, Object> out = new LinkedHashMap<>();
    params.forEach(
        (k, v) -> {
          Object value;
          try {
            JsonNode json = JSON.readTree(v);
            value = json == null ? v : QueryJson.parameter(json, k);
          } catch (IOException e) {
            value = v;
          }
          out.put(k, value);
        });
    return out;
  }

  /** Prints a result in a format. */
  static void print(QueryResult r, Format format, PrintWriter out) throws IOException {
    switch (format) {
      case JSON ->
          out.println(
              JSON.copy()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(QueryJson.toJson(r)));
      case CSV -> {
        out.println(csvLine(r.columns().stream().map(c -> (Object) c).toList()));
        for (List<Object> row : r.rows()) {
          out.println(csvLine(row.stream().map(ResultTable::cell).map(c -> (Object) c).toList()));
        }
      }
      case TABLE -> out.print(ResultTable.render(r));
    }
  }

  private static String csvLine(List<Object> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      String c = String.valueOf(cells.get(i));
      if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
        c = "\"" + c.replace("\"", "\"\"") + "\"";
      }
      b.append(c);
    }
    return b.toString();
  }
}
