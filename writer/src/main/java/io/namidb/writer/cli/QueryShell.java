package io.namidb.writer.cli;

import io.namidb.engine.NamiException;
import io.namidb.query.QueryEngine;
import io.namidb.query.QueryJson;
import io.namidb.query.QueryOptions;
import io.namidb.query.QueryResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell of {@code nami query} (JLine): line editing, history in {@code
 * ~/.nami_history}, statements over several lines ending in {@code ;}, results as tables. {@code
 * :param name=value} sets a parameter (JSON or text), {@code :params} lists them, {@code :help},
 * {@code :quit} (or Ctrl-D) ends it; Ctrl-C drops the statement being typed.
 */
final class QueryShell {
  private final QueryEngine engine;
  private final Map<String, Object> params;
  private final QueryOptions options;
  private final QueryCommand.Format format;
  private final boolean write;

  QueryShell(
      QueryEngine engine,
      Map<String, Object> params,
      QueryOptions options,
      QueryCommand.Format format,
      boolean write) {
    this.engine = engine;
    this.params = new LinkedHashMap<>(params);
    this.options = options;
    this.format = format;
    this.write = write;
  }

  /** Runs on the process's terminal, with history in {@code ~/.nami_history}. */
  int run() throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      return run(terminal, Path.of(System.getProperty("user.home"), ".nami_history"));
    }
  }

  /** Runs on a terminal until {@code :quit} or end of input; 0. */
  int run(Terminal terminal, Path history) throws IOException {
    LineReader reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("nami")
            .variable(LineReader.HISTORY_FILE, history)
            .build();
    try {
      PrintWriter out = terminal.writer();
      out.println(
          "NamiDB Cypher shell ("
              + (write ? "writes committed" : "read-only snapshot")
              + "). End statements with ';'. :help for commands, :quit to leave.");
      StringBuilder statement = new StringBuilder();
      while (true) {
        String line;
        try {
          line = reader.readLine(statement.length() == 0 ? "nami> " : "  ...> ");
        } catch (UserInterruptException e) {
          statement.setLength(0);
          continue;
        } catch (EndOfFileException e) {
          return 0;
        }
        String trimmed = line.strip();
        if (statement.length() == 0 && trimmed.startsWith(":")) {
          if (!command(trimmed, out)) {
            return 0;
          }
          continue;
        }
        statement.append(line).append('\n');
        if (!trimmed.endsWith(";")) {
          continue;
        }
        String text = statement.toString().strip();
        statement.setLength(0);
        text = text.substring(0, text.length() - 1);
        if (text.isBlank()) {
          continue;
        }
        try {
          QueryResult r = engine.execute(text, params, options);
          QueryCommand.print(r, format, out);
        } catch (NamiException e) {
          out.println("error: " + e.getMessage());
        }
        out.flush();
      }
    } finally {
      reader.getHistory().save();
    }
  }

  /** Runs a shell command; false to leave. */
  private boolean command(String line, PrintWriter out) {
    if (line.equals(":quit") || line.equals(":exit") || line.equals(":q")) {
      return false;
    }
    if (line.equals(":params")) {
      params.forEach((k, v) -> out.println(k + " = " + QueryJson.value(v)));
    } else if (line.startsWith(":param ")) {
      String kv = line.substring(":param ".length()).strip();
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        out.println("usage: :param name=value");
      } else {
        String value = kv.substring(eq + 1).strip();
        Object v;
        try {
          v =
              QueryJson.parameter(
                  new com.fasterxml.jackson.databind.ObjectMapper().readTree(value), kv);
        } catch (IOException | RuntimeException e) {
          v = value;
        }
        params.put(kv.substring(0, eq).strip(), v);
      }
    } else {
      out.println(":param name=value   set a parameter (JSON, or text)");
      out.println(":params             list the parameters");
      out.println(":quit               leave (or Ctrl-D)");
      out.println("statements end with ';' and may span lines; EXPLAIN and PROFILE show plans");
    }
    out.flush();
    return true;
  }
}
