package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.namidb.operator.api.NamiNamespace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Writer pods stranded on a lost node. A pod being deleted on a node that stopped reporting stays
 * {@code Terminating} forever: only its kubelet may confirm the deletion. The writer Deployment's
 * {@code Recreate} strategy waits for the old pod to be gone, so a template change (a new image,
 * the tenant's own spec change) would never start the new writer, and the deletion sequence would
 * never see the writer gone.
 *
 * <p>So a terminating writer pod of the tenant is force-deleted (grace period 0) once its node's
 * {@code Ready} condition has not been {@code True} for the pod's node-failure grace, and its own
 * termination grace period is over too ({@code deletionTimestamp} has passed: on a reachable node
 * the kubelet would have killed it by then). The grace is the pod's {@code NoExecute} toleration of
 * the matching taint ({@code node.kubernetes.io/not-ready} for {@code Ready=False}, {@code
 * unreachable} for {@code Unknown}), the smallest one as Kubernetes takes it: the operator's {@code
 * namidb.operator.writer.node-failure-toleration} or the resource's own toleration of that key
 * ({@link WriterPods#tolerations}). A pod that tolerates the taint forever is never force-deleted;
 * one that tolerates neither key gets the operator's default. Pods on a Ready node, pods not being
 * deleted, pods of other components or tenants, and pods whose node is gone (the pod garbage
 * collector's job) are left alone.
 *
 * <p>Why that is safe: the replacement claims the namespace with a higher epoch before it accepts a
 * write, and a writer still running on the lost node is fenced on its next write
 * (docs/kubernetes.md, "Node failure"). Every force-deletion is a {@code Warning} event {@value
 * #REASON} on the NamiNamespace.
 */
final class StrandedWriterPods {
  static final String REASON = "ForceDeletedWriterPod";

  /** When a node could not be read: look again after this. */
  static final Duration NODE_RECHECK = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(StrandedWriterPods.class);

  private final OperatorConfig config;
  private final Clock clock;
  private final EventRecorder events;

  StrandedWriterPods(OperatorConfig config, Clock clock, EventRecorder events) {
    this.config = config;
    this.clock = clock;
    this.events = events;
  }

  /** What to do with one writer pod. */
  sealed interface Verdict {}

  /**
   * Nothing to do. What could change that comes as a pod event: the node lifecycle controller marks
   * the pods of a node that stops reporting not ready.
   */
  record Leave() implements Verdict {}

  /** Stranded, but its grace runs until {@code at}: look again then. */
  record WaitUntil(Instant at) implements Verdict {}

  /** Force-delete it; {@code message} says why (the event's message). */
  record ForceDelete(String message) implements Verdict {}

  private static final Leave LEAVE = new Leave();

  /**
   * Force-deletes the tenant's writer pods stranded on a lost node, each with a Warning event.
   *
   * @return how long until a stranded pod's grace runs out, if one waits for it
   */
  Optional<Duration> release(NamiNamespace cr, Context<NamiNamespace> context) {
    KubernetesClient client = context.getClient();
    List<Pod> writers =
        StatusAggregator.pods(
            List.copyOf(context.getSecondaryResources(Pod.class)), cr, Constants.COMPONENT_WRITER);
    Optional<Duration> next = Optional.empty();
    for (Pod pod : writers) {
      String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (pod.getMetadata().getDeletionTimestamp() == null
          || nodeName == null
          || nodeName.isEmpty()
          || !cr.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())) {
        continue;
      }
      Node node;
      try {
        node = client.nodes().withName(nodeName).get();
      } catch (KubernetesClientException e) {
        LOG.warnf(
            "node of a terminating writer pod not read. namespace=%s pod=%s node=%s error=%s",
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            nodeName,
            e.getMessage());
        next = earliest(next, Optional.of(NODE_RECHECK));
        continue;
      }
      Instant now = clock.instant();
      Verdict verdict = judge(pod, node, config.writer().nodeFailureToleration(), now);
      if (verdict instanceof WaitUntil wait) {
        // a second late rather than early, so the next look finds the grace over
        next = earliest(next, Optional.of(Duration.between(now, wait.at()).plusSeconds(1)));
      } else if (verdict instanceof ForceDelete force) {
        forceDelete(client, cr, pod, force.message());
      }
    }
    return next;
  }

  private void forceDelete(KubernetesClient client, NamiNamespace cr, Pod pod, String message) {
    List<StatusDetails> deleted =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .withGracePeriod(0)
            .delete();
    if (deleted.isEmpty()) {
      return; // gone meanwhile
    }
    LOG.warnf(
        "%s namespace=%s name=%s",
        message, cr.getMetadata().getNamespace(), cr.getMetadata().getName());
    events.record(client, cr, EventRecorder.WARNING, REASON, message);
  }

  /**
   * Whether {@code pod}, on {@code node} (null: the node does not exist), is stranded: being
   * deleted, its node not Ready for its grace, its termination grace period over.
   *
   * @param defaultGrace the grace of a pod that tolerates neither taint
   */
  static Verdict judge(Pod pod, Node node, Duration defaultGrace, Instant now) {
    String deletion = pod.getMetadata().getDeletionTimestamp();
    if (deletion == null || node == null || node.getStatus() == null) {
      return LEAVE;
    }
    Optional<NodeCondition> ready =
        node.getStatus().getConditions() == null
            ? Optional.empty()
            : node.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst();
    if (ready.isEmpty()
        || StatusAggregator.TRUE.equals(ready.get().getStatus())
        || ready.get().getLastTransitionTime() == null) {
      return LEAVE;
    }
    String taint =
        StatusAggregator.FALSE.equals(ready.get().getStatus())
            ? WriterPods.NODE_FAILURE_TAINTS.get(0)
            : WriterPods.NODE_FAILURE_TAINTS.get(1);
    Optional<Duration> grace = grace(pod, taint, defaultGrace);
    if (grace.isEmpty()) {
      return LEAVE; // tolerates the lost node forever: the resource asked to wait
    }
    Instant notReadySince = Instant.parse(ready.get().getLastTransitionTime());
    Instant graceOver = notReadySince.plus(grace.get());
    Instant terminationOver = Instant.parse(deletion);
    Instant at = graceOver.isAfter(terminationOver) ? graceOver : terminationOver;
    if (now.isBefore(at)) {
      return new WaitUntil(at);
    }
    String message =
        "force-deleted writer pod stranded on a lost node. pod="
            + pod.getMetadata().getName()
            + " node="
            + node.getMetadata().getName()
            + " ready="
            + ready.get().getStatus()
            + " notReadyFor="
            + Duration.between(notReadySince, now).toSeconds()
            + "s grace="
            + grace.get().toSeconds()
            + "s. Its kubelet cannot confirm the deletion, so the writer's Recreate rollout would"
            + " wait for it forever. Safe because of fencing: the new writer claims the namespace"
            + " with a higher epoch, and a writer still running on that node is fenced on its next"
            + " write";
    return new ForceDelete(message);
  }

  /**
   * How long {@code pod} tolerates {@code taint} ({@code NoExecute}): the smallest {@code
   * tolerationSeconds} of its matching tolerations; empty when they all tolerate it forever; {@code
   * defaultGrace} when none matches.
   */
  static Optional<Duration> grace(Pod pod, String taint, Duration defaultGrace) {
    List<Toleration> tolerations = pod.getSpec() == null ? null : pod.getSpec().getTolerations();
    boolean matched = false;
    Long least = null;
    for (Toleration t : tolerations == null ? List.<Toleration>of() : tolerations) {
      boolean key =
          taint.equals(t.getKey())
              ? "Exists".equals(t.getOperator()) || t.getValue() == null || t.getValue().isEmpty()
              : (t.getKey() == null || t.getKey().isEmpty()) && "Exists".equals(t.getOperator());
      boolean effect =
          t.getEffect() == null || t.getEffect().isEmpty() || "NoExecute".equals(t.getEffect());
      if (key && effect) {
        matched = true;
        if (t.getTolerationSeconds() != null
            && (least == null || t.getTolerationSeconds() < least)) {
          least = t.getTolerationSeconds();
        }
      }
    }
    if (!matched) {
      return Optional.of(defaultGrace);
    }
    return least == null ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.max(0, least)));
  }

  /** The earlier of two optional delays. */
  static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a.get().compareTo(b.get()) <= 0 ? a : b;
  }
}
