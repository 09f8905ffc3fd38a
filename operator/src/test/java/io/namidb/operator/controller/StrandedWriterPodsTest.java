package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.namidb.operator.controller.StrandedWriterPods.ForceDelete;
import io.namidb.operator.controller.StrandedWriterPods.Leave;
import io.namidb.operator.controller.StrandedWriterPods.WaitUntil;
import io.namidb.operator.testing.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StrandedWriterPodsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
  private static final Duration DEFAULT = Duration.ofSeconds(30);
  private static final String NOT_READY = "node.kubernetes.io/not-ready";
  private static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  @Test
  void aTerminatingPodOnANodeLostForLongerThanItsGraceIsForceDeleted() {
    Pod pod = pod(NOW.minusSeconds(5), toleration(NOT_READY, 30L), toleration(UNREACHABLE, 30L));
    Node node = node("Unknown", NOW.minusSeconds(95));

    var verdict = StrandedWriterPods.judge(pod, node, DEFAULT, NOW);

    assertThat(verdict).isInstanceOf(ForceDelete.class);
    assertThat(((ForceDelete) verdict).message())
        .contains(
            "pod=acme-writer-1",
            "node=node-a",
            "ready=Unknown",
            "notReadyFor=95s",
            "grace=30s",
            "fenced");
  }

  @Test
  void podsOnReadyNodesPodsNotBeingDeletedAndPodsOfMissingNodesStay() {
    Pod terminating = pod(NOW.minusSeconds(5));
    Pod running = pod(null);

    assertThat(
            StrandedWriterPods.judge(
                terminating, node("True", NOW.minusSeconds(900)), DEFAULT, NOW))
        .isInstanceOf(Leave.class);
    assertThat(
            StrandedWriterPods.judge(running, node("Unknown", NOW.minusSeconds(900)), DEFAULT, NOW))
        .isInstanceOf(Leave.class);
    assertThat(StrandedWriterPods.judge(terminating, null, DEFAULT, NOW)).isInstanceOf(Leave.class);
    assertThat(StrandedWriterPods.judge(terminating, new Node(), DEFAULT, NOW))
        .isInstanceOf(Leave.class);
  }

  @Test
  void waitsForTheLaterOfTheNodeGraceAndThePodsTerminationGrace() {
    Pod pod = pod(NOW.minusSeconds(5));
    assertThat(StrandedWriterPods.judge(pod, node("False", NOW.minusSeconds(10)), DEFAULT, NOW))
        .isEqualTo(new WaitUntil(NOW.plusSeconds(20)));

    Pod stillTerminating = pod(NOW.plusSeconds(40));
    assertThat(
            StrandedWriterPods.judge(
                stillTerminating, node("False", NOW.minusSeconds(900)), DEFAULT, NOW))
        .isEqualTo(new WaitUntil(NOW.plusSeconds(40)));
  }

  @Test
  void theGraceIsThePodsTolerationOfTheTaintMatchingTheReadyStatus() {
    Pod pod = pod(NOW.minusSeconds(5), toleration(NOT_READY, 5L), toleration(UNREACHABLE, 600L));

    // Ready=False: tainted not-ready; Ready=Unknown: unreachable
    assertThat(StrandedWriterPods.judge(pod, node("False", NOW.minusSeconds(10)), DEFAULT, NOW))
        .isInstanceOf(ForceDelete.class);
    assertThat(StrandedWriterPods.judge(pod, node("Unknown", NOW.minusSeconds(10)), DEFAULT, NOW))
        .isEqualTo(new WaitUntil(NOW.minusSeconds(10).plusSeconds(600)));
  }

  @Test
  void aPodToleratingTheLostNodeForeverIsNeverForceDeleted() {
    Pod pod = pod(NOW.minusSeconds(5), toleration(UNREACHABLE, null));

    assertThat(
            StrandedWriterPods.judge(pod, node("Unknown", NOW.minusSeconds(86400)), DEFAULT, NOW))
        .isInstanceOf(Leave.class);
  }

  @Test
  void graceIsTheSmallestMatchingTolerationAsKubernetesTakesIt() {
    Toleration everything = new TolerationBuilder().withOperator("Exists").build();
    Toleration noSchedule =
        new TolerationBuilder()
            .withKey(UNREACHABLE)
            .withOperator("Exists")
            .withEffect("NoSchedule")
            .withTolerationSeconds(1L)
            .build();

    assertThat(StrandedWriterPods.grace(pod(NOW), UNREACHABLE, DEFAULT)).contains(DEFAULT);
    assertThat(
            StrandedWriterPods.grace(
                pod(NOW, toleration(UNREACHABLE, 120L), toleration(UNREACHABLE, 40L)),
                UNREACHABLE,
                DEFAULT))
        .contains(Duration.ofSeconds(40));
    assertThat(StrandedWriterPods.grace(pod(NOW, toleration(NOT_READY, 5L)), UNREACHABLE, DEFAULT))
        .contains(DEFAULT);
    assertThat(StrandedWriterPods.grace(pod(NOW, noSchedule), UNREACHABLE, DEFAULT))
        .contains(DEFAULT);
    assertThat(StrandedWriterPods.grace(pod(NOW, everything), UNREACHABLE, DEFAULT)).isEmpty();
    assertThat(
            StrandedWriterPods.grace(
                pod(NOW, everything, toleration(UNREACHABLE, 7L)), UNREACHABLE, DEFAULT))
        .contains(Duration.ofSeconds(7));
  }

  @Test
  void earliestOfTwoDelays() {
    Optional<Duration> one = Optional.of(Duration.ofSeconds(1));
    Optional<Duration> two = Optional.of(Duration.ofSeconds(2));
    assertThat(StrandedWriterPods.earliest(two, one)).isEqualTo(one);
    assertThat(StrandedWriterPods.earliest(Optional.empty(), two)).isEqualTo(two);
    assertThat(StrandedWriterPods.earliest(one, Optional.empty())).isEqualTo(one);
  }

  private static Toleration toleration(String key, Long seconds) {
    return Tenants.noExecute(key, seconds);
  }

  /** A writer pod on node-a, being deleted with termination due at {@code due} (null: not). */
  private static Pod pod(Instant due, Toleration... tolerations) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("acme-writer-1")
        .withNamespace("tenants")
        .withDeletionTimestamp(due == null ? null : due.toString())
        .addToLabels(Constants.COMPONENT_LABEL, Constants.COMPONENT_WRITER)
        .addToLabels(Constants.INSTANCE_LABEL, "acme")
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-a")
        .withTolerations(List.of(tolerations))
        .endSpec()
        .build();
  }

  private static Node node(String ready, Instant since) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName("node-a")
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready)
        .withLastTransitionTime(since.toString())
        .endCondition()
        .endStatus()
        .build();
  }
}
