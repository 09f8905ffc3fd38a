package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.NamiNamespaceStatus;
import io.namidb.operator.api.Phase;
import io.namidb.operator.controller.StatusAggregator.Observed;
import io.namidb.operator.testing.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status aggregator on its own: stable transition times, equal status for an equal world. */
class StatusAggregatorTest {
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void anUnchangedWorldGivesAnEqualStatusLaterOn() {
    NamiNamespace cr = tenant();
    NamiNamespaceStatus first =
        new StatusAggregator(clock(T0)).aggregate(cr, observed(false), null);
    cr.setStatus(first);

    NamiNamespaceStatus later =
        new StatusAggregator(clock(T0.plus(Duration.ofHours(1))))
            .aggregate(cr, observed(false), null);

    assertThat(later).isEqualTo(first);
    assertThat(first.getPhase()).isEqualTo(Phase.Pending);
  }

  @Test
  void onlyAConditionWhoseStatusChangedGetsANewTransitionTime() {
    NamiNamespace cr = tenant();
    cr.setStatus(new StatusAggregator(clock(T0)).aggregate(cr, observed(false), null));
    Instant t1 = T0.plus(Duration.ofMinutes(5));

    NamiNamespaceStatus ready = new StatusAggregator(clock(t1)).aggregate(cr, observed(true), null);

    assertThat(ready.getPhase()).isEqualTo(Phase.Ready);
    assertThat(ready.condition("WriterAvailable").orElseThrow().getLastTransitionTime())
        .isEqualTo(t1.toString());
    assertThat(ready.condition("Ready").orElseThrow().getLastTransitionTime())
        .isEqualTo(t1.toString());
    assertThat(ready.condition("BackupScheduled").orElseThrow().getLastTransitionTime())
        .isEqualTo(T0.toString());
  }

  @Test
  void aWriterLostAfterReadyIsDegradedNotPending() {
    NamiNamespace cr = tenant();
    cr.setStatus(new StatusAggregator(clock(T0)).aggregate(cr, observed(true), null));
    assertThat(new StatusAggregator(clock(T0)).aggregate(cr, observed(false), null).getPhase())
        .isEqualTo(Phase.Degraded);
  }

  @Test
  void aBusyWritersMovingManifestVersionAloneWritesNoStatus() {
    NamiNamespace cr = tenant();
    StatusAggregator aggregator = new StatusAggregator(clock(T0));
    NamiNamespaceStatus first = aggregator.aggregate(cr, reported(3, 10), null);
    assertThat(first.getWriter().getManifestVersion()).isEqualTo(10L);
    assertThat(first.condition("WriterReachable").orElseThrow().getStatus()).isEqualTo("True");
    cr.setStatus(first);

    // flushes moved the manifest on; nothing else changed: the same status, no write
    assertThat(aggregator.aggregate(cr, reported(3, 11), null)).isEqualTo(first);
    assertThat(aggregator.aggregate(cr, reported(3, 250), null)).isEqualTo(first);

    // a new epoch (a new writer) is news, and brings the manifest version along
    NamiNamespaceStatus failedOver = aggregator.aggregate(cr, reported(4, 260), null);
    assertThat(failedOver.getWriter().getEpoch()).isEqualTo(4L);
    assertThat(failedOver.getWriter().getManifestVersion()).isEqualTo(260L);
  }

  @Test
  void anUnreachableWriterStatusIsAConditionThatStaysPutWhileItLasts() {
    NamiNamespace cr = tenant();
    StatusAggregator aggregator = new StatusAggregator(clock(T0));
    cr.setStatus(aggregator.aggregate(cr, reported(3, 10), null));

    NamiNamespaceStatus lost =
        new StatusAggregator(clock(T0.plusSeconds(60)))
            .aggregate(cr, answered(WriterStatusClient.Answer.failed("no answer")), null);
    var reachable = lost.condition("WriterReachable").orElseThrow();
    assertThat(reachable.getStatus()).isEqualTo("False");
    assertThat(reachable.getReason()).isEqualTo("Unreachable");
    assertThat(reachable.getMessage())
        .isEqualTo(
            "the operator cannot read the writer's /v1/status, so status.writer may be stale:"
                + " no answer");
    assertThat(lost.getWriter().getEpoch()).as("what was last reported").isEqualTo(3L);
    assertThat(lost.getPhase()).as("readiness is the probe's, not this").isEqualTo(Phase.Ready);
    cr.setStatus(lost);

    assertThat(
            new StatusAggregator(clock(T0.plusSeconds(120)))
                .aggregate(cr, answered(WriterStatusClient.Answer.failed("no answer")), null))
        .isEqualTo(lost);
  }

  @Test
  void aFencedWriterNamesTheWriterIdAndEpochThatHoldTheNamespace() {
    NamiNamespace cr = tenant();
    StatusAggregator aggregator = new StatusAggregator(clock(T0));
    NamiNamespaceStatus fenced =
        aggregator.aggregate(cr, fenced(holder("w-other", 9L, 4711L)), null);
    var available = fenced.condition("WriterAvailable").orElseThrow();
    assertThat(available.getReason()).isEqualTo("Fenced");
    assertThat(available.getMessage())
        .contains("the namespace is held by writerId=w-other epoch=9")
        .contains("theirEpoch=9")
        .doesNotContain("4711");
    assertThat(fenced.condition("Ready").orElseThrow().getMessage())
        .contains("writerId=w-other epoch=9");
    assertThat(fenced.getWriter().getEpoch()).as("not the fenced writer's epoch").isNull();
    cr.setStatus(fenced);

    // the holder flushing moves its manifest version only: no new status
    assertThat(aggregator.aggregate(cr, fenced(holder("w-other", 9L, 55L)), null))
        .isEqualTo(fenced);

    NamiNamespaceStatus purged =
        aggregator.aggregate(
            cr, fenced(new WriterStatusClient.Holder("purge-1", 10L, 56L, true)), null);
    assertThat(purged.condition("WriterAvailable").orElseThrow().getMessage())
        .contains("the namespace was purged (sealed by writerId=purge-1 epoch=10)");

    // an older writer that does not report a holder: the reason alone
    assertThat(
            aggregator
                .aggregate(tenant(), fenced(null), null)
                .condition("WriterAvailable")
                .orElseThrow()
                .getMessage())
        .contains("another writer keeps running")
        .contains("theirEpoch=9")
        .doesNotContain("held by");
  }

  @Test
  void aWriterThatKeepsGettingFencedShowsItsLastWordsNamingTheHolderWhileBackingOff() {
    NamiNamespace cr = tenant();
    // what the writer leaves in /dev/termination-log when it stops while fenced
    String lastWords =
        "writer stopped while fenced. ns=unit fenced: a newer writer fenced the wal. ourEpoch=8"
            + " theirEpoch=9\nholder: writerId=w-other epoch=9 manifestVersion=40\n";
    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("unit-writer-1")
            .withLabels(WriterPods.labels(cr, Constants.COMPONENT_WRITER))
            .endMetadata()
            .withNewStatus()
            .withPhase("Running")
            .addNewContainerStatus()
            .withName(Constants.WRITER_CONTAINER)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .withMessage("back-off 2m40s restarting failed container")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(0)
            .withMessage(lastWords)
            .endTerminated()
            .endLastState()
            .endContainerStatus()
            .endStatus()
            .build();
    Observed notReady = observed(false);
    NamiNamespaceStatus status =
        new StatusAggregator(clock(T0))
            .aggregate(
                cr,
                new Observed(
                    notReady.deployment(), Optional.empty(), List.of(pod), List.of(), null),
                null);
    var available = status.condition("WriterAvailable").orElseThrow();
    assertThat(available.getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(available.getMessage()).contains("holder: writerId=w-other epoch=9");
  }

  private static WriterStatusClient.Holder holder(String id, long epoch, long manifestVersion) {
    return new WriterStatusClient.Holder(id, epoch, manifestVersion, null);
  }

  private static Observed fenced(WriterStatusClient.Holder holder) {
    Observed notReady = observed(false);
    return new Observed(
        notReady.deployment(),
        Optional.empty(),
        List.of(),
        List.of(),
        WriterStatusClient.Answer.of(
            new WriterStatusClient.WriterReport(
                "unit",
                "FENCED",
                8L,
                39L,
                12L,
                "fenced: another writer wrote manifest version 40. ourEpoch=8 theirEpoch=9",
                "w-fenced",
                holder)),
        null,
        null);
  }

  private static Observed reported(long epoch, long manifestVersion) {
    return answered(
        WriterStatusClient.Answer.of(
            new WriterStatusClient.WriterReport("unit", "WRITER", epoch, manifestVersion, 1L)));
  }

  private static Observed answered(WriterStatusClient.Answer answer) {
    Observed available = observed(true);
    return new Observed(
        available.deployment(), Optional.empty(), List.of(), List.of(), answer, null, null);
  }

  @Test
  void describesNestedKubernetesErrorsByTheirStatusMessage() {
    var status =
        new io.fabric8.kubernetes.api.model.StatusBuilder()
            .withCode(403)
            .withMessage("quota exceeded")
            .build();
    var e =
        new RuntimeException(new io.fabric8.kubernetes.client.KubernetesClientException(status));
    assertThat(NamiNamespaceReconciler.describe(e)).isEqualTo("quota exceeded");
  }

  private static NamiNamespace tenant() {
    NamiNamespace cr = Tenants.tenant("unit");
    cr.setMetadata(
        new ObjectMetaBuilder()
            .withName("unit")
            .withNamespace("tenants")
            .withGeneration(1L)
            .build());
    return cr;
  }

  private static Observed observed(boolean available) {
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("unit-writer")
            .withGeneration(1L)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(1L)
            .withReplicas(1)
            .withUpdatedReplicas(1)
            .withAvailableReplicas(available ? 1 : 0)
            .endStatus()
            .build();
    return new Observed(Optional.of(deployment), Optional.empty(), List.of(), List.of(), null);
  }

  private static Clock clock(Instant at) {
    return Clock.fixed(at, ZoneOffset.UTC);
  }
}
