package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.awaitPhase;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.condition;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.api.WriterSpec;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A fleet upgrade on the real API server: five serving tenants, then the operator restarts with a
 * new default writer image and {@code max-concurrent-writer-rollouts=2}. At most two writers roll
 * at a time, the others keep their old template and say {@code RolloutQueued} until a slot frees (a
 * rolled Deployment's updated replica became available); a tenant's own spec change is never
 * queued.
 */
@WithKubeApiServer
class FleetRolloutIT {
  static final String OLD_IMAGE = "ghcr.io/namidb/namidb-writer:0.1.0";
  static final String NEW_IMAGE = "ghcr.io/namidb/namidb-writer:0.2.0";
  static final List<String> TENANTS = List.of("t1", "t2", "t3", "t4", "t5");

  @Test
  @SuppressWarnings("try") // the operator runs while the block runs
  void aNewDefaultImageRollsAtMostTwoWritersAtATime(KubeTestNamespace ns, KubernetesClient client) {
    FakeWriters writers = new FakeWriters();
    TestOperatorConfig config =
        TestOperatorConfig.watching(ns.name())
            .withImage(OLD_IMAGE)
            .withMaxConcurrentWriterRollouts("2");
    try (TestOperator before = TestOperator.start(ns, config, writers)) {
      for (String name : TENANTS) {
        Tenants.create(client, Tenants.tenant(name));
      }
      for (String name : TENANTS) {
        eventually().until(() -> deployment(client, name), Objects::nonNull);
        Controllers.rollOut(client, name + "-writer");
      }
      for (String name : TENANTS) {
        awaitPhase(client, name, Phase.Ready);
      }
    }
    assertThat(images(client).values()).containsOnly(OLD_IMAGE);

    try (TestOperator after = TestOperator.start(ns, config.withImage(NEW_IMAGE), writers)) {
      // Two writers roll; every other tenant is looked at and waits, serving the old template.
      Set<String> first = awaitRolling(client, 2);
      List<String> queued = TENANTS.stream().filter(t -> !first.contains(t)).toList();
      for (String name : queued) {
        NamiNamespace waiting =
            eventually()
                .until(
                    () -> Tenants.get(client, name),
                    r -> "RolloutQueued".equals(condition(r, "WriterAvailable").getReason()));
        assertThat(waiting.getStatus().getPhase()).isEqualTo(Phase.Ready);
        assertThat(condition(waiting, "WriterAvailable").getStatus()).isEqualTo("True");
        assertThat(condition(waiting, "Ready").getReason()).isEqualTo("RolloutQueued");
        assertThat(condition(waiting, "WriterAvailable").getMessage())
            .contains("default writer image changed to " + NEW_IMAGE)
            .contains("(running " + OLD_IMAGE + ")")
            .contains("at most 2 writers restart at a time");
      }
      for (String name : first) {
        awaitReason(client, name, "Progressing");
        assertThat(deployment(client, name).getMetadata().getLabels())
            .containsEntry("namidb.io/rollout", "operator");
      }
      // Everyone was looked at with both slots taken: still exactly two on the new image.
      assertThat(newImage(client)).isEqualTo(first);

      // A tenant's own change is not queued: it rolls at once, with the new defaults.
      String impatient = queued.get(0);
      Tenants.edit(
          client,
          impatient,
          cr -> {
            cr.getSpec().setWriter(new WriterSpec());
            cr.getSpec().getWriter().setPodLabels(Map.of("team", "impatient"));
          });
      eventually().until(() -> newImage(client).contains(impatient));
      assertThat(deployment(client, impatient).getMetadata().getLabels())
          .doesNotContainKey("namidb.io/rollout");
      assertThat(newImage(client)).hasSize(3);
      Controllers.rollOut(client, impatient + "-writer");
      awaitPhase(client, impatient, Phase.Ready);
      assertThat(newImage(client)).hasSize(3);

      // The first two finish: their slots go to the two still waiting.
      for (String name : first) {
        Controllers.rollOut(client, name + "-writer");
      }
      eventually().until(() -> newImage(client).size() == TENANTS.size());
      for (String name : queued.subList(1, queued.size())) {
        awaitReason(client, name, "Progressing");
        Controllers.rollOut(client, name + "-writer");
      }
      for (String name : TENANTS) {
        NamiNamespace done = awaitReason(client, name, "Ready");
        assertThat(condition(done, "WriterAvailable").getReason()).isEqualTo("WriterReady");
        eventually()
            .until(
                () -> deployment(client, name).getMetadata().getLabels(),
                labels -> !labels.containsKey("namidb.io/rollout"));
      }
    }
  }

  /** Waits until {@code count} writers run the new image, and returns them. */
  private static Set<String> awaitRolling(KubernetesClient client, int count) {
    return eventually().until(() -> newImage(client), rolled -> rolled.size() == count);
  }

  private static NamiNamespace awaitReason(KubernetesClient client, String name, String reason) {
    return eventually()
        .until(
            () -> Tenants.get(client, name),
            r -> r.getStatus() != null && reason.equals(condition(r, "Ready").getReason()));
  }

  private static Set<String> newImage(KubernetesClient client) {
    return images(client).entrySet().stream()
        .filter(e -> NEW_IMAGE.equals(e.getValue()))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  private static Map<String, String> images(KubernetesClient client) {
    return TENANTS.stream()
        .collect(
            Collectors.toMap(
                name -> name,
                name ->
                    deployment(client, name)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage()));
  }

  private static Deployment deployment(KubernetesClient client, String name) {
    return client.apps().deployments().withName(name + "-writer").get();
  }
}
