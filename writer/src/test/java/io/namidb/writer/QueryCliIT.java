package io.namidb.writer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.writer.Http.Reply;
import io.namidb.writer.WriterProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nami query} as a user runs it: read-only beside a serving writer (a reader snapshot that
 * never takes the epoch), {@code --write} once the writer is stopped, the three formats, {@code -f}
 * and {@code --param}.
 */
class QueryCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private String uri() {
    return "file://" + dir.toAbsolutePath() + "?ns=cli-query";
  }

  @Test
  void readsBesideAServingWriterWithoutTakingTheEpoch() throws Exception {
    WriterProcess serve = WriterProcess.serveReady("query-cli", uri(), Map.of());
    try {
      Http http = serve.http();
      assertThat(http.put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
      Reply w =
          http.post(
              "/v1/query",
              "{\"query\":\"CREATE (:Person {key: 'alice', age: 34}), (:Person {key: 'bob', age: 29})\"}");
      assertThat(w.status()).as("%s", w).isEqualTo(200);
      long epoch = http.get("/v1/status").json().get("epoch").asLong();

      Result r =
          WriterProcess.run(
              Map.of(),
              "query",
              "--uri",
              uri(),
              "--format",
              "json",
              "--param",
              "min=30",
              "MATCH (p:Person) WHERE p.age > $min RETURN p.key AS key");
      assertThat(r.exitCode()).as("%s", r).isEqualTo(0);
      JsonNode out = JSON.readTree(r.stdout());
      assertThat(out.get("columns").toString()).isEqualTo("[\"key\"]");
      assertThat(out.at("/rows/0/0").asText()).isEqualTo("alice");
      assertThat(out.get("rows")).hasSize(1);

      // the writer still holds the namespace, at the same epoch
      JsonNode status = http.get("/v1/status").json();
      assertThat(status.get("state").asText()).isEqualTo("WRITER");
      assertThat(status.get("epoch").asLong()).isEqualTo(epoch);

      Result refused =
          WriterProcess.run(Map.of(), "query", "--uri", uri(), "CREATE (:Person {key: 'carol'})");
      assertThat(refused.exitCode()).isEqualTo(2); // bad input, as for the other commands
      assertThat(refused.stderr()).contains("read-only").contains("--write");
    } finally {
      serve.stopCleanly();
    }
  }

  @Test
  void writesWithWriteAndPrintsTablesAndCsv() throws Exception {
    Path schema = dir.resolve("open.cypher");
    Result w =
        WriterProcess.run(
            Map.of(),
            "query",
            "--uri",
            uri(),
            "--write",
            "--param",
            "name=Lisbon",
            "CREATE (:City {key: 1, name: $name}), (:City {key: 2, name: 'Porto'})");
    // a new namespace is strict: the schema does not know City yet
    assertThat(w.exitCode()).as("%s", w).isEqualTo(2);
    assertThat(w.stderr()).contains("unknown label");

    Files.writeString(
        schema, "CREATE (:City {key: 1, name: $name}),\n       (:City {key: 2, name: 'Porto'});\n");
    WriterProcess serve = WriterProcess.serveReady("query-cli-open", uri(), Map.of());
    try {
      assertThat(serve.http().put("/v1/schema", "{\"mode\":\"open\"}").status()).isEqualTo(200);
    } finally {
      serve.stopCleanly();
    }
    Result created =
        WriterProcess.run(
            Map.of(),
            "query",
            "--uri",
            uri(),
            "--write",
            "-f",
            schema.toString(),
            "--param",
            "name=Lisbon");
    assertThat(created.exitCode()).as("%s", created).isEqualTo(0);
    assertThat(created.stdout()).contains("nodesCreated=2");

    Result table =
        WriterProcess.run(
            Map.of(),
            "query",
            "--uri",
            uri(),
            "MATCH (c:City) RETURN c.key, c.name ORDER BY c.key");
    assertThat(table.exitCode()).as("%s", table).isEqualTo(0);
    assertThat(table.stdout()).contains("| c.key | c.name |").contains("| 1     | Lisbon |");
    assertThat(table.stdout()).contains("2 rows");

    Result csv =
        WriterProcess.run(
            Map.of(),
            "query",
            "--uri",
            uri(),
            "--format",
            "csv",
            "MATCH (c:City) RETURN c.name AS name ORDER BY name");
    assertThat(csv.stdout()).isEqualTo("name\nLisbon\nPorto\n");

    Result syntax = WriterProcess.run(Map.of(), "query", "--uri", uri(), "MATCH (c RETURN c");
    assertThat(syntax.exitCode()).isEqualTo(2);
    assertThat(syntax.stderr()).contains("line=1").contains("column=");
  }
}
