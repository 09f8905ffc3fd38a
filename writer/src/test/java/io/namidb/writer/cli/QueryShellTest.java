package io.namidb.writer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.query.QueryEngine;
import io.namidb.query.QueryOptions;
import io.namidb.query.graph.GraphStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell of {@code nami query} on a terminal fed by a script: statements over
 * several lines ending in {@code ;}, parameters, result tables, errors that leave the shell
 * running, history written to its file.
 */
class QueryShellTest {
  @TempDir Path dir;

  @Test
  void runsStatementsOverSeveralLinesWithParametersAndKeepsHistory() throws Exception {
    String script =
        String.join(
            "\n",
            "CREATE (:City {key: 1, name: 'Lisbon'}),",
            "       (:City {key: 2, name: 'Porto'});",
            ":param k=2",
            ":params",
            "MATCH (c:City {key: $k})",
            "RETURN c.name AS name;",
            "RETURN 1 +;",
            "MATCH (c:City) RETURN count(*) AS n;",
            ":quit",
            "RETURN 'never run';",
            "");
    MemoryObjectStore store = new MemoryObjectStore();
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    Path history = dir.resolve("history");
    try (NamespaceWriter writer = NamespaceWriter.open(store, WriterConfig.defaults());
        QueryEngine engine =
            new QueryEngine(GraphStore.of(writer, store::stats), QueryOptions.defaults(), 2);
        Terminal terminal =
            new DumbTerminal(
                "test",
                "dumb",
                new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)),
                screen,
                StandardCharsets.UTF_8)) {
      writer.evolveSchema(new ObjectMapper().readTree("{\"mode\":\"open\"}"));
      int exit =
          new QueryShell(engine, Map.of(), QueryOptions.defaults(), QueryCommand.Format.TABLE, true)
              .run(terminal, history);
      assertThat(exit).isZero();
    }
    String out = screen.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("0 rows; nodesCreated=2");
    assertThat(out).contains("k = 2");
    assertThat(out).contains("| name  |").contains("| Porto |").contains("1 row");
    assertThat(out).contains("error: invalid syntax").contains("line=1");
    assertThat(out).contains("| n |").contains("| 2 |");
    assertThat(out).doesNotContain("never run");
    assertThat(Files.readString(history)).contains("RETURN c.name AS name;");
  }
}
