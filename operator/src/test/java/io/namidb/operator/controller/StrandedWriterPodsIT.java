package io.namidb.operator.controller;

import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.WriterSpec;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.ShiftableClock;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A writer pod stuck Terminating on a lost node is force-deleted, with a Warning event, so that the
 * writer's Recreate rollout can go on; nothing else is. The API server runs no kubelet, so a
 * deleted pod with a {@code nodeName} stays Terminating exactly as on a node that stopped
 * reporting; the test plays the node lifecycle controller by writing the Node's Ready condition.
 */
@WithKubeApiServer
class StrandedWriterPodsIT {
  static final ShiftableClock CLOCK = new ShiftableClock();
  static TestOperator operator;
  static String ns;
  static KubernetesClient admin;

  @BeforeAll
  static void startOperator(KubeTestNamespace namespace) {
    ns = namespace.name();
    admin = namespace.client();
    operator =
        TestOperator.start(namespace, TestOperatorConfig.watching(ns), new FakeWriters(), CLOCK);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
    for (String node : List.of("lost", "steady", "young", "brief")) {
      admin.nodes().withName(ns + "-" + node).delete();
    }
  }

  @AfterEach
  void resetClock() {
    CLOCK.shift(Duration.ZERO);
  }

  @Test
  void aWriterPodTerminatingOnANodeLostBeyondTheGraceIsForceDeletedWithAnEvent(
      KubernetesClient client) {
    OnNode lost =
        tenantWithNode(
            client, Tenants.tenant("lost"), "Unknown", Instant.now().minus(Duration.ofMinutes(10)));
    String node = lost.node();
    Deployment deployment = lost.deployment();
    // on the same lost node: a writer pod of the tenant that is not being deleted, a backup pod
    // of the tenant and a writer pod of no resource, both being deleted
    Controllers.writerPodOn(client, deployment, "lost-writer-running", node);
    podWith(client, deployment, "lost-backup-1", node, Constants.COMPONENT_LABEL, "backup");
    podWith(client, deployment, "stranger-writer-1", node, Constants.INSTANCE_LABEL, "stranger");
    deleteGracefully(client, "lost-backup-1");
    deleteGracefully(client, "stranger-writer-1");
    Controllers.writerPodOn(client, deployment, "lost-writer-old", node);
    deleteGracefully(client, "lost-writer-old");

    eventually().until(() -> client.pods().withName("lost-writer-old").get() == null);

    Event event =
        eventually()
            .until(() -> forceDeletions(client, "lost"), events -> !events.isEmpty())
            .get(0);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getMessage())
        .contains(
            "pod=lost-writer-old",
            "node=" + node,
            "ready=Unknown",
            "grace=30s",
            "higher epoch",
            "fenced on its next write");
    assertThat(client.pods().withName("lost-writer-running").get()).isNotNull();
    assertThat(client.pods().withName("lost-backup-1").get().getMetadata().getDeletionTimestamp())
        .isNotNull();
    assertThat(
            client.pods().withName("stranger-writer-1").get().getMetadata().getDeletionTimestamp())
        .isNotNull();
    assertThat(forceDeletions(client, "lost")).hasSize(1);
  }

  @Test
  void aWriterPodTerminatingOnAReadyNodeIsLeftToItsKubelet(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("steady");
    OnNode steady = tenantWithNode(client, cr, "True", Instant.now().minus(Duration.ofMinutes(10)));
    Pod deleted = terminatingWriterPod(client, steady, "steady-writer-old");

    reconciledAfter(client, cr, deleted);

    assertThat(client.pods().withName("steady-writer-old").get()).isNotNull();
    assertThat(forceDeletions(client, "steady")).isEmpty();
  }

  @Test
  void aWriterPodOnANodeNotReadyForLessThanTheGraceWaitsForIt(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("young");
    OnNode young = tenantWithNode(client, cr, "False", Instant.now());
    Pod deleted = terminatingWriterPod(client, young, "young-writer-old");

    reconciledAfter(client, cr, deleted);
    assertThat(client.pods().withName("young-writer-old").get()).isNotNull();
    assertThat(forceDeletions(client, "young")).isEmpty();

    // the operator's clock passes the 30 s grace
    CLOCK.shift(Duration.ofMinutes(2));
    touch(client, "young-writer-old");
    eventually().until(() -> client.pods().withName("young-writer-old").get() == null);
    assertThat(forceDeletions(client, "young"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("ready=False", "grace=30s"));
  }

  @Test
  void theResourcesOwnTolerationIsTheGraceAndTheOperatorLooksAgainWhenItRunsOut(
      KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("brief");
    WriterSpec writer = new WriterSpec();
    writer.setTolerations(List.of(Tenants.noExecute("node.kubernetes.io/unreachable", 2L)));
    cr.getSpec().setWriter(writer);
    terminatingWriterPod(
        client, tenantWithNode(client, cr, "Unknown", Instant.now()), "brief-writer-old");

    // no event of the pod or node comes after the grace: the operator's own recheck finds it
    eventually().until(() -> client.pods().withName("brief-writer-old").get() == null);
    assertThat(forceDeletions(client, "brief"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("ready=Unknown", "grace=2s"));
  }

  /** A tenant's writer Deployment, and a node of its own. */
  private record OnNode(String node, Deployment deployment) {}

  /**
   * Creates {@code cr} and the node {@code <ns>-<tenant>} whose Ready condition is {@code ready}
   * since {@code since}.
   */
  private static OnNode tenantWithNode(
      KubernetesClient client, NamiNamespace cr, String ready, Instant since) {
    String node = ns + "-" + cr.getMetadata().getName();
    Controllers.node(client, node, ready, since);
    Tenants.create(client, cr);
    String name = cr.getMetadata().getName() + "-writer";
    Deployment deployment =
        eventually()
            .until(() -> client.apps().deployments().withName(name).get(), Objects::nonNull);
    return new OnNode(node, deployment);
  }

  /** The tenant's writer pod {@code name} on its node, deleted (so Terminating). */
  private static Pod terminatingWriterPod(KubernetesClient client, OnNode on, String name) {
    Controllers.writerPodOn(client, on.deployment(), name, on.node());
    return deleteGracefully(client, name);
  }

  /** A pod like the writer's, bound to {@code node}, with one label changed. */
  private static void podWith(
      KubernetesClient client,
      Deployment deployment,
      String name,
      String node,
      String label,
      String value) {
    Deployment copy = deployment.toBuilder().build();
    Map<String, String> labels =
        new HashMap<>(copy.getSpec().getTemplate().getMetadata().getLabels());
    labels.put(label, value);
    copy.getSpec().getTemplate().getMetadata().setLabels(labels);
    Controllers.writerPodOn(client, copy, name, node);
  }

  /** Deletes {@code pod} as the Deployment controller does (here with a 1 s grace period). */
  private static Pod deleteGracefully(KubernetesClient client, String pod) {
    client.pods().withName(pod).withGracePeriod(1).delete();
    Pod deleted = client.pods().withName(pod).get();
    assertThat(deleted.getMetadata().getDeletionTimestamp()).as("Terminating").isNotNull();
    return deleted;
  }

  /** A metadata change of {@code pod}: a pod event, so the operator reconciles its resource. */
  private static void touch(KubernetesClient client, String pod) {
    client
        .pods()
        .withName(pod)
        .edit(
            p -> {
              Map<String, String> annotations = new HashMap<>();
              if (p.getMetadata().getAnnotations() != null) {
                annotations.putAll(p.getMetadata().getAnnotations());
              }
              annotations.put("test/touched", Instant.now().toString());
              p.getMetadata().setAnnotations(annotations);
              return p;
            });
  }

  /**
   * Waits until the operator reconciled {@code cr} after the termination grace of {@code deleted}
   * passed: two pod events, each followed by a finished reconciliation (a reconciliation already
   * running before the first one is thus not counted).
   */
  private static void reconciledAfter(KubernetesClient client, NamiNamespace cr, Pod deleted) {
    Instant due = Instant.parse(deleted.getMetadata().getDeletionTimestamp());
    eventually().until(() -> Instant.now().isAfter(due));
    for (int i = 0; i < 2; i++) {
      int before = operator.reconciliations(withNs(cr));
      touch(client, deleted.getMetadata().getName());
      eventually().until(() -> operator.reconciliations(withNs(cr)) > before);
    }
  }

  private static NamiNamespace withNs(NamiNamespace cr) {
    NamiNamespace copy = new NamiNamespace();
    copy.setMetadata(cr.getMetadata().toBuilder().withNamespace(ns).build());
    return copy;
  }

  private static List<Event> forceDeletions(KubernetesClient client, String tenant) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> tenant.equals(e.getInvolvedObject().getName()))
        .filter(e -> StrandedWriterPods.REASON.equals(e.getReason()))
        .toList();
  }
}
