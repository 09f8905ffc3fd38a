package io.namidb.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while writes stream in: the writer stops intake, commits and answers what it accepted,
 * exits 0, and after a restart every write it acknowledged with 200 is there. A request cut off
 * without an answer (its connection closed as the server stopped) was never applied.
 */
abstract class GracefulShutdownContract {
  abstract String namespaceUri();

  abstract Map<String, String> environment();

  @Test
  void everyAcknowledgedWriteSurvivesSigterm() throws InterruptedException {
    List<String> acknowledged;
    Map<String, Integer> outcomes;
    List<String> cut;
    try (WriterProcess writer = WriterProcess.serveReady("drain", namespaceUri(), environment())) {
      assertThat(writer.http().put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
      try (WriteStream stream = new WriteStream(writer.http(), "g", 8).start()) {
        await("acknowledged writes before SIGTERM")
            .atMost(Duration.ofSeconds(60))
            .until(() -> stream.acknowledgedCount() >= 200);
        int exit = writer.terminate();
        assertThat(exit).as("exit code after SIGTERM; log:\n%s", writer.tail()).isZero();
        assertThat(stream.awaitEnd(60)).as("clients saw the writer go").isTrue();
        acknowledged = stream.acknowledged();
        outcomes = stream.outcomes();
        cut = stream.cut();
      }
      assertThat(writer.log())
          .contains("stopping: intake closed, committing accepted writes")
          .contains("writer stopped");
    }
    assertThat(outcomes.keySet())
        .as("answers while stopping: 200, 503 or no connection")
        .allMatch(
            o ->
                o.equals("200")
                    || o.startsWith("503")
                    || o.equals("unreachable")
                    || o.equals("cut"));

    try (WriterProcess restarted =
        WriterProcess.serveReady("restarted", namespaceUri(), environment())) {
      for (String key : acknowledged) {
        assertThat(restarted.http().get("/v1/nodes/Person/" + key).status())
            .as("acknowledged key %s after restart (outcomes %s)", key, outcomes)
            .isEqualTo(200);
      }
      for (String key : cut) {
        // a write the writer took in was answered: one cut off unanswered was never applied
        assertThat(restarted.http().get("/v1/nodes/Person/" + key).status())
            .as("write %s cut off without an answer (outcomes %s)", key, outcomes)
            .isEqualTo(404);
      }
      restarted.stopCleanly();
    }
  }
}
