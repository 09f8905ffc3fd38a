package io.namidb.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP API on the embedded default: a local directory ({@code file://}). */
class HttpApiLocalIT extends HttpApiContract {
  private final Path dir;

  HttpApiLocalIT() {
    try {
      dir = Files.createTempDirectory(WriterProcess.logDir(), "local-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  String namespaceUri() {
    return "file://" + dir.toAbsolutePath() + "?ns=api";
  }

  @Override
  Map<String, String> environment() {
    return Map.of();
  }

  @Test
  void memtablesOverTheirLimitRefuseWritesWith503AndCountThem() throws IOException {
    Path other = Files.createTempDirectory(WriterProcess.logDir(), "full-");
    String uri = "file://" + other.toAbsolutePath() + "?ns=full";
    try (WriterProcess w =
        WriterProcess.serve(
            "memory-full", uri, Map.of(), List.of("-Dnami.writer.max-memtable-size=1"))) {
      w.awaitReady();
      Http api = w.http();
      assertThat(api.put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
      String body = TestGraph.nodes(TestGraph.person("first", "{}"));
      assertThat(api.post("/v1/write", body).status())
          .as("an empty memtable takes one")
          .isEqualTo(200);

      Http.Reply refused = api.post("/v1/write", TestGraph.nodes(TestGraph.person("second", "{}")));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().get("error").asText()).isEqualTo("unavailable");
      assertThat(refused.json().get("message").asText()).contains("writer memory full");
      assertThat(api.get("/q/metrics").body()).contains("nami_writes_throttled_total 1.0");
      assertThat(api.get("/v1/nodes/Person/first").status()).as("nothing lost").isEqualTo(200);
      w.stopCleanly();
    }
  }

  @Test
  void writeNotDurableWithinTheTimeoutGets503SayingItsOutcomeIsUnknown() throws Exception {
    Path other = Files.createTempDirectory(WriterProcess.logDir(), "slow-");
    String uri = "file://" + other.toAbsolutePath() + "?ns=slow";
    // a group-commit window far longer than the timeout: the answer cannot be durable in time
    List<String> options =
        List.of("-Dnami.writer.group-commit-window=3s", "-Dnami.http.write-timeout=200ms");
    try (WriterProcess w = WriterProcess.serve("write-timeout", uri, Map.of(), options)) {
      w.awaitReady();
      Http api = w.http();
      assertThat(api.put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
      Http.Reply late = api.post("/v1/write", TestGraph.nodes(TestGraph.person("late", "{}")));
      assertThat(late.status()).isEqualTo(503);
      assertThat(late.json().get("message").asText())
          .contains("outcome is unknown")
          .contains("nami.http.write-timeout");
      int status = 0;
      for (int i = 0; i < 100 && status != 200; i++) {
        Thread.sleep(100);
        status = api.get("/v1/nodes/Person/late").status();
      }
      assertThat(status).as("the batch still commits after the timeout").isEqualTo(200);
      w.stopCleanly();
    }
  }
}
