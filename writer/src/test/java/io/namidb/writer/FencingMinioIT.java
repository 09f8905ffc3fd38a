package io.namidb.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import io.namidb.writer.Http.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code nami serve} processes on one MinIO namespace (a failover, or a partitioned pod that
 * keeps running): once the second is up, the first answers 503 {@code fenced}, turns not-ready but
 * stays live for a grace period, then fails liveness; it logs why once; every write the first
 * acknowledged is readable from the second. The fenced one names, from the newest manifest, the
 * writer id and epoch that hold the namespace now.
 */
@WithMinio
class FencingMinioIT {
  private final MinioBucket s3;
  private final Map<String, String> env;

  FencingMinioIT(MinioBucket s3) {
    this.s3 = s3;
    this.env = WriterProcess.minioEnv(s3);
  }

  @Test
  void anIdleFirstWriterIsFencedOnceTheSecondIsUp() {
    String uri = s3.namespaceUri("data", "fence-idle");
    try (WriterProcess first = WriterProcess.serveReady("first", uri, env)) {
      Http a = first.http();
      assertThat(a.put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
      List<String> acknowledged = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String key = "a-" + i;
        Reply r =
            a.post("/v1/write", TestGraph.nodes(TestGraph.person(key, "{\"age\":" + i + "}")));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        acknowledged.add(key);
      }
      long firstEpoch = a.get("/v1/status").json().get("epoch").asLong();

      try (WriterProcess second = WriterProcess.serveReady("second", uri, env)) {
        Http b = second.http();
        assertThat(b.get("/v1/status").json().get("epoch").asLong()).isEqualTo(firstEpoch + 1);

        await("first writer not ready")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> a.get("/q/health/ready").status() == 503);
        Reply status = a.get("/v1/status");
        assertThat(status.json().get("state").asText()).isEqualTo("FENCED");
        assertThat(status.json().get("reason").asText()).contains("fenced");
        String secondId = b.get("/v1/status").json().get("writerId").asText();
        assertThat(secondId).isNotEmpty().isNotEqualTo(status.json().get("writerId").asText());
        Reply named =
            await("the fenced writer names the holder")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> a.get("/v1/status"), r -> r.json().has("holder"));
        assertThat(named.json().at("/holder/writerId").asText()).isEqualTo(secondId);
        assertThat(named.json().at("/holder/epoch").asLong()).isEqualTo(firstEpoch + 1);
        assertThat(named.json().at("/holder/manifestVersion").asLong()).isPositive();
        assertThat(b.get("/v1/status").json().has("holder")).as("only when fenced").isFalse();
        assertThat(a.get("/q/health/live").status()).as("a fenced writer stays up").isEqualTo(200);

        Reply refused = a.post("/v1/write", TestGraph.nodes(TestGraph.person("a-late", "{}")));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("fenced");
        assertThat(a.get("/q/metrics").body()).contains("nami_writer_fenced 1.0");

        for (String key : acknowledged) {
          assertThat(b.get("/v1/nodes/Person/" + key).status()).as("key %s", key).isEqualTo(200);
        }
        assertThat(b.get("/v1/nodes/Person/a-late").status()).isEqualTo(404);
        assertThat(b.get("/v1/nodes/Person/a-7").json().at("/props/age").asLong()).isEqualTo(7);

        first.stopCleanly();
        assertThat(occurrences(first.log(), "writer lost the namespace")).isEqualTo(1);
        second.stopCleanly();
      }
    }
  }

  @Test
  void writesStreamingDuringTheTakeoverAreNeverLost() throws InterruptedException {
    String uri = s3.namespaceUri("data", "fence-stream");
    try (WriterProcess first = WriterProcess.serveReady("first", uri, env)) {
      assertThat(first.http().put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
      try (WriteStream stream = new WriteStream(first.http(), "s", 4).start()) {
        await("first acknowledgements")
            .atMost(Duration.ofSeconds(60))
            .until(() -> stream.acknowledgedCount() >= 50);
        try (WriterProcess second = WriterProcess.serve("second", uri, env, List.of())) {
          // the second replays every segment the stream wrote until it claimed, over ten thousand
          // one-write segments on a loaded machine; read one GET after another that took 84 s in
          // CI (2026-12-06). Replay now reads 16 at a time; the margin is for a loaded machine.
          second.awaitReady(Duration.ofMinutes(2));
          assertThat(stream.awaitEnd(120))
              .as("every stream thread was refused as fenced; outcomes %s", stream.outcomes())
              .isTrue();
          Map<String, Integer> outcomes = stream.outcomes();
          assertThat(outcomes).containsKey("503 fenced");
          assertThat(outcomes.keySet()).allMatch(o -> o.equals("200") || o.equals("503 fenced"));

          Http b = second.http();
          List<String> acknowledged = stream.acknowledged();
          assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(50);
          for (String key : acknowledged) {
            assertThat(b.get("/v1/nodes/Person/" + key).status())
                .as("acknowledged key %s on the second writer", key)
                .isEqualTo(200);
          }
          first.stopCleanly();
          second.stopCleanly();
        }
      }
    }
  }

  @Test
  void aWriterFencedForLongerThanTheGraceFailsLivenessSoThatItIsRestarted(@TempDir Path dir)
      throws IOException {
    String uri = s3.namespaceUri("data", "fence-grace");
    Map<String, String> withGrace = new java.util.HashMap<>(env);
    withGrace.put("NAMI_WRITER_FENCED_LIVENESS_GRACE", "3s");
    // what the kubelet mounts as /dev/termination-log
    Path terminationLog = Files.createFile(dir.resolve("termination-log"));
    Map<String, String> firstEnv = new java.util.HashMap<>(withGrace);
    firstEnv.put("NAMI_WRITER_TERMINATION_MESSAGE_PATH", terminationLog.toString());
    try (WriterProcess first = WriterProcess.serveReady("first", uri, firstEnv)) {
      Http a = first.http();
      assertThat(a.get("/q/health/live").status()).isEqualTo(200);
      try (WriterProcess second = WriterProcess.serveReady("second", uri, env)) {
        await("first writer fenced")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> a.get("/q/health/ready").status() == 503);
        await("first writer asks to be restarted")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> a.get("/q/health/live").status() == 503);
        String live = a.get("/q/health/live").body();
        assertThat(live).contains("FENCED").contains("fenced-liveness-grace=3s");
        String secondId = second.http().get("/v1/status").json().get("writerId").asText();
        assertThat(live).contains("holder: writerId=" + secondId + " epoch=");
        // The restart a kubelet would do: the first claims the namespace again and serves.
        first.stopCleanly();
        // Its last words, which a pod in CrashLoopBackOff shows, name the holder.
        assertThat(Files.readString(terminationLog))
            .contains("writer stopped while fenced")
            .contains("theirEpoch=")
            .contains("holder: writerId=" + secondId + " epoch=");
        try (WriterProcess restarted = WriterProcess.serveReady("restarted", uri, withGrace)) {
          assertThat(restarted.http().get("/q/health/live").status()).isEqualTo(200);
          assertThat(restarted.http().get("/v1/status").json().get("state").asText())
              .isEqualTo("WRITER");
          restarted.stopCleanly();
        }
        second.stopCleanly();
      }
    }
  }

  private static int occurrences(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
