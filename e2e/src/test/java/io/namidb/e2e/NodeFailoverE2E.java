package io.namidb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise that matters most, on real nodes: a writer pod on a node that drops off is replaced
 * on another node, clients fail over through the Service, every acknowledged write survives, and
 * the old writer, once it runs again, is fenced and commits nothing.
 *
 * <p>Rounds are seeded ({@code -Dnamidb.e2e.failover.seeds=1,2,3}, default 1,2,3): the seed picks
 * the number of clients and how much is written before the failure. {@code partition} stops the
 * node's kubelet and container processes ({@code dev/cluster partition}); {@code kill-runtime}
 * SIGKILLs the node's containerd and every container on it while the writer flushes (a 256 KiB
 * memtable makes it flush every few hundred writes). Figures go to stdout and to
 * target/failover-report.txt.
 */
@ExtendWith(Diagnostics.class)
class NodeFailoverE2E {
  /** The NamiNamespace; its storage namespace is the Kubernetes namespace's (unique per run). */
  private static final String TENANT = "e2e-failover";

  private static String storageNs;
  private static final Duration FAILOVER_BOUND = Duration.ofMinutes(5);

  private static Cluster cluster;
  private static Tenants tenants;
  private static int round;

  /** The node a round failed and has not healed yet: healed after the round, pass or fail. */
  private static String failed;

  @BeforeAll
  static void setUp() throws Exception {
    cluster = Cluster.get();
    NamiOperator.ensureInstalled(cluster);
    cluster.ensureBucket("namidb");
    tenants = Tenants.inFreshNamespace(cluster, "e2e-failover");
    storageNs = tenants.namespace();
    String yaml =
        """
        apiVersion: namidb.io/v1alpha1
        kind: NamiNamespace
        metadata:
          name: %s
        spec:
          storage:
            uri: s3://namidb/data?ns=%s
            endpoint: %s
            credentialsSecret: s3-creds
          writer:
            env:
              - {name: NAMI_WRITER_FLUSH_SIZE, value: 256K}
              - {name: NAMI_WRITER_FLUSH_INTERVAL, value: 2s}
            # the test's clients run on the host, outside the pod network
            clients:
              - podSelector: {}
              - ipBlock: {cidr: 10.231.0.0/24}
          deletionPolicy: Retain
        """
            .formatted(TENANT, storageNs, cluster.s3Endpoint());
    cluster.kubectlWithInput(yaml, "-n", tenants.namespace(), "apply", "-f", "-").requireSuccess();
    tenants.awaitPhase(TENANT, "Ready", Duration.ofMinutes(3));
    tenants.api(TENANT).put("/v1/schema", WriteClients.SCHEMA).require(200);
  }

  static Stream<Arguments> rounds() {
    List<Arguments> rounds = new ArrayList<>();
    for (String seed : System.getProperty("namidb.e2e.failover.seeds", "1,2,3").split(",")) {
      rounds.add(Arguments.of("partition", Long.parseLong(seed.trim())));
    }
    rounds.add(Arguments.of("kill-runtime", 101L));
    return rounds.stream();
  }

  @ParameterizedTest(name = "{0} seed={1}")
  @MethodSource("rounds")
  void writerFailsOverToAnotherNodeWithoutLosingAnAcknowledgedWrite(String variant, long seed)
      throws Exception {
    round++;
    Random random = new Random(seed);
    int clients = 2 + random.nextInt(3);
    int ackedBefore = 150 + random.nextInt(250);
    String prefix = "r" + round + "-s" + seed;
    awaitAllNodesReady();
    String url = tenants.serviceUrl(TENANT);

    Pod old = awaitOneReadyWriter();
    String node = old.getSpec().getNodeName();
    String oldIp = old.getStatus().getPodIP();
    long oldEpoch =
        status(tenants.podApi(TENANT, oldIp, Duration.ofSeconds(5))).get("epoch").asLong();

    List<String> probes = new ArrayList<>();
    double failoverSeconds;
    int acked;
    try (WriteClients writes =
        new WriteClients(
            url,
            tenants.token(TENANT, "write-token"),
            prefix,
            seed,
            clients,
            Duration.ofMinutes(8))) {
      writes.start();
      await("acknowledged writes before the failure")
          .atMost(Duration.ofMinutes(2))
          .until(() -> writes.ackedCount() >= ackedBefore);

      long t0 = System.nanoTime();
      failed = node;
      if (variant.equals("partition")) {
        cluster.partition(node);
      } else {
        cluster.killRuntime(node);
      }
      await(node + " NotReady")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !nodeReady(node));
      Pod replacement =
          await("a ready writer on another node")
              .atMost(FAILOVER_BOUND)
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () ->
                      tenants.writerPods(TENANT).stream()
                          .filter(
                              p -> !p.getMetadata().getName().equals(old.getMetadata().getName()))
                          .filter(Tenants::ready)
                          .findFirst()
                          .orElse(null),
                  p -> p != null);
      failoverSeconds = (System.nanoTime() - t0) / 1e9;
      assertThat(replacement.getSpec().getNodeName()).isNotEqualTo(node);
      WriterApi newWriter =
          tenants.podApi(TENANT, replacement.getStatus().getPodIP(), Duration.ofSeconds(5));
      JsonNode newStatus = status(newWriter);
      assertThat(newStatus.get("state").asText()).isEqualTo("WRITER");
      assertThat(newStatus.get("epoch").asLong()).isGreaterThan(oldEpoch);
      assertThat(
              cluster
                  .client()
                  .pods()
                  .inNamespace(tenants.namespace())
                  .withName(old.getMetadata().getName())
                  .get())
          .as("the old pod was evicted")
          .satisfies(
              p ->
                  assertThat(p == null || p.getMetadata().getDeletionTimestamp() != null).isTrue());

      int atFailover = writes.ackedCount();
      await("clients fail over through the Service")
          .atMost(Duration.ofMinutes(2))
          .until(() -> writes.ackedCount() >= atFailover + 100);

      if (variant.equals("partition")) {
        // The old writer runs again (its kubelet still stopped, so nothing kills it yet): it must
        // find itself fenced, turn not ready, and refuse every write it is sent.
        cluster.healContainers(node);
        WriterApi zombie = tenants.podApi(TENANT, oldIp, Duration.ofSeconds(5));
        await("the old writer reports FENCED")
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> "FENCED".equals(status(zombie).get("state").asText()));
        assertThat(zombie.get("/q/health/ready").code()).isEqualTo(503);
        for (int i = 0; i < 10; i++) {
          String key = prefix + "-zombie-" + i;
          probes.add(key);
          int code =
              zombie
                  .post(
                      "/v1/write",
                      "{\"nodes\":[{\"label\":\"Item\",\"key\":\""
                          + key
                          + "\",\"props\":{\"client\":-1}}]}")
                  .code();
          assertThat(code).as("a write sent to the fenced old writer").isEqualTo(503);
        }
      }
      cluster.heal(node);
      failed = null;
      await("the old writer pod goes away")
          .atMost(Duration.ofMinutes(3))
          .until(
              () ->
                  cluster
                          .client()
                          .pods()
                          .inNamespace(tenants.namespace())
                          .withName(old.getMetadata().getName())
                          .get()
                      == null);
      writes.close();
      acked = writes.ackedCount();

      // The checker: every acknowledged write is there, nothing the fenced writer was sent is.
      // A node that comes back may restart its old writer container once before the pod is gone
      // (the kubelet does after kill-runtime); that writer fences the new one, which then fails
      // liveness after its grace and claims the namespace again. So: wait for a serving writer,
      // and read every key until a definite answer (200 or 404).
      WriterApi api = tenants.api(TENANT);
      List<String> missing = new ArrayList<>();
      for (String key : writes.acked()) {
        if (definiteRead(api, "/v1/nodes/Item/" + key) != 200) {
          missing.add(key);
        }
      }
      assertThat(missing).as("acknowledged writes missing after failover").isEmpty();
      for (String key : probes) {
        assertThat(definiteRead(api, "/v1/nodes/Item/" + key))
            .as("write sent to the fenced writer is not visible: " + key)
            .isEqualTo(404);
      }
      report(
          "variant=%s seed=%d clients=%d node=%s->%s failoverSeconds=%.1f acknowledgedChecked=%d attempts=%d failedAttempts=%d zombieWritesRefused=%d"
              .formatted(
                  variant,
                  seed,
                  clients,
                  node,
                  replacement.getSpec().getNodeName(),
                  failoverSeconds,
                  acked,
                  writes.attempts(),
                  writes.failures(),
                  probes.size()));
    }
    Proc.Result verify =
        cluster.nami(
            "verify",
            "--uri",
            "s3://namidb/data?ns=" + storageNs + "&endpoint=" + cluster.s3Endpoint());
    assertThat(verify.exitCode()).as("nami verify:\n" + verify.stdout() + verify.stderr()).isZero();
  }

  @AfterEach
  void healWhatTheRoundFailed() {
    if (failed != null) {
      String node = failed;
      failed = null;
      cluster.heal(node);
    }
  }

  /** The status code of GET {@code path} once it is 200 or 404 (no writer serving: retried). */
  private static int definiteRead(WriterApi api, String path) {
    try {
      int code = api.get(path).code();
      if (code == 200 || code == 404) {
        return code;
      }
    } catch (IOException e) {
      // no writer serving right now: wait for one below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return await("a definite answer to GET " + path)
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> api.get(path).code(), code -> code == 200 || code == 404);
  }

  private static JsonNode status(WriterApi api) throws IOException, InterruptedException {
    return api.get("/v1/status").require(200).json();
  }

  private static Pod awaitOneReadyWriter() {
    return await("one ready writer, and no other writer pod")
        .atMost(Duration.ofMinutes(3))
        .until(
            () -> {
              List<Pod> pods = tenants.writerPods(TENANT);
              return pods.size() == 1 && Tenants.ready(pods.get(0)) ? pods.get(0) : null;
            },
            p -> p != null);
  }

  private static void awaitAllNodesReady() {
    await("every node Ready")
        .atMost(Duration.ofMinutes(2))
        .until(() -> cluster.nodes().stream().allMatch(NodeFailoverE2E::nodeReady));
  }

  private static boolean nodeReady(String name) {
    Node node = cluster.client().nodes().withName(name).get();
    return node != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void report(String line) throws IOException {
    System.out.println("failover: " + line);
    Path file = Repo.file("e2e/target/failover-report.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
