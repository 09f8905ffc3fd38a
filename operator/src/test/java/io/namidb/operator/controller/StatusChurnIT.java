package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.awaitPhase;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.condition;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The status refresh writes nothing while nothing but the manifest version moves: a busy writer (a
 * new manifest version at every ask) and a writer that stays unreachable each leave the resource's
 * resourceVersion alone over many refreshes. Reachability is a condition of its own.
 */
@WithKubeApiServer
class StatusChurnIT {
  /** A writer that flushed since the last ask, every time it is asked. */
  static final class BusyWriter implements WriterStatusClient {
    final AtomicLong manifestVersion = new AtomicLong(100);
    final AtomicInteger asked = new AtomicInteger();
    final AtomicBoolean reachable = new AtomicBoolean(true);

    @Override
    public Answer fetch(String endpoint, Credentials credentials) {
      asked.incrementAndGet();
      if (!reachable.get()) {
        return Answer.failed("connection refused or unreachable from " + endpoint);
      }
      return Answer.of(
          new WriterReport("busy", "WRITER", 5L, manifestVersion.incrementAndGet(), 1L));
    }
  }

  static final BusyWriter WRITER = new BusyWriter();
  static TestOperator operator;

  @BeforeAll
  static void startOperator(KubeTestNamespace ns) {
    operator =
        TestOperator.start(
            ns,
            TestOperatorConfig.watching(ns.name()).withStatusRefresh(Duration.ofMillis(300)),
            WRITER);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void refreshesWriteTheStatusOnlyWhenSomethingButTheManifestVersionChanged(
      KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("busy"));
    eventually()
        .until(() -> client.apps().deployments().withName("busy-writer").get(), Objects::nonNull);
    Controllers.rollOut(client, "busy-writer");
    NamiNamespace ready = awaitPhase(client, "busy", Phase.Ready);
    assertThat(ready.getStatus().getWriter().getEpoch()).isEqualTo(5L);
    assertThat(ready.getStatus().getWriter().getManifestVersion()).isGreaterThan(100L);
    assertThat(condition(ready, "WriterReachable").getReason()).isEqualTo("Reported");

    String version = stableResourceVersion(client);
    assertThat(Tenants.get(client, "busy").getStatus().getWriter().getManifestVersion())
        .as("flushes alone are no reason for a status write")
        .isLessThan(WRITER.manifestVersion.get() - 5);

    WRITER.reachable.set(false);
    NamiNamespace unreachable =
        eventually()
            .until(
                () -> Tenants.get(client, "busy"),
                r -> "False".equals(condition(r, "WriterReachable").getStatus()));
    assertThat(condition(unreachable, "WriterReachable").getReason()).isEqualTo("Unreachable");
    assertThat(condition(unreachable, "WriterReachable").getMessage())
        .contains("cannot read the writer's /v1/status")
        .contains("connection refused or unreachable");
    assertThat(unreachable.getStatus().getPhase()).isEqualTo(Phase.Ready);
    assertThat(stableResourceVersion(client))
        .as("one write when it became unreachable")
        .isNotEqualTo(version);

    WRITER.reachable.set(true);
    eventually()
        .until(
            () -> Tenants.get(client, "busy"),
            r -> "True".equals(condition(r, "WriterReachable").getStatus()));
  }

  /**
   * The resource's resourceVersion once it stopped changing, checked across at least ten more asks
   * of the writer: none of them wrote the status.
   */
  private static String stableResourceVersion(KubernetesClient client) {
    return eventually()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              String before = Tenants.get(client, "busy").getMetadata().getResourceVersion();
              int asked = WRITER.asked.get();
              eventually().until(() -> WRITER.asked.get() >= asked + 10);
              String after = Tenants.get(client, "busy").getMetadata().getResourceVersion();
              return before.equals(after) ? after : null;
            },
            Objects::nonNull);
  }
}
