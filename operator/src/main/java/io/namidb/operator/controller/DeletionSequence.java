package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.namidb.operator.api.DeletionPolicy;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.controller.DeletionOutcome.Done;
import io.namidb.operator.controller.DeletionOutcome.InProgress;
import io.namidb.operator.controller.StatusAggregator.Deletion;
import io.namidb.operator.controller.StatusAggregator.Finish;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The steps of deleting a NamiNamespace whose policy deletes data, each one waiting for the one
 * before: suspend the backup CronJob, scale the writer to zero and wait until its pods are gone;
 * wait for a scheduled backup still running (it must neither race the purge nor, with {@code
 * keepLast}, prune while the final backup is written); with BackupThenDelete run Job {@code
 * <cr>-final-backup} until it succeeded; run Job {@code <cr>-purge} until it succeeded. Only then
 * may the finalizer go. A failed Job stops the sequence with phase Failed and a message saying how
 * to go on (delete the Job to retry, or set deletionPolicy Retain to keep the data).
 *
 * <p>It ends without touching the data when another NamiNamespace holds the same storage namespace
 * ({@link StorageConflicts}): the data is that resource's. When the resource goes because its
 * Kubernetes namespace is being deleted, no Job can start there (the API server refuses new objects
 * in a terminating namespace, and the namespace's Secrets are being deleted too). Waiting would
 * hold the namespace in {@code Terminating} forever and still not delete the data, so the sequence
 * ends as with Retain: the data stays. Each ending is one {@link DeletionOutcome.Fate}, which
 * decides what the operator reports.
 */
final class DeletionSequence {
  /**
   * A purge seals and fences before deleting, so after a failed one the data is no longer usable:
   * switching to Retain would keep a sealed, half-deleted prefix. Retrying is the way forward.
   */
  private static final String PURGE_RETRY =
      " The namespace is already sealed and partly deleted: fix the cause and delete the job to"
          + " retry the purge (or restore a backup into the namespace afterwards).";

  private static final String DELETE_TO_RETRY =
      " Fix the cause and delete the job to retry, or set spec.deletionPolicy to Retain to keep"
          + " the data and finish the deletion.";

  /** Status cause type of the API server's refusal to create objects in a terminating namespace. */
  static final String NAMESPACE_TERMINATING = "NamespaceTerminating";

  private DeletionSequence() {}

  static DeletionOutcome advance(
      NamiNamespace cr, Context<NamiNamespace> context, OperatorConfig config) {
    String uri = cr.getSpec().getStorage().getUri();
    DeletionPolicy policy =
        cr.getSpec().getDeletionPolicy() == null
            ? DeletionPolicy.Retain
            : cr.getSpec().getDeletionPolicy();
    if (policy == DeletionPolicy.Retain) {
      return Done.retainedByPolicy(uri);
    }
    // The data belongs to the resource that holds the namespace: never back up or purge it here.
    Optional<NamiNamespace> holder = StorageConflicts.holderOtherThan(cr, context);
    if (holder.isPresent()) {
      return Done.heldByOtherResource(policy, StorageConflicts.describe(holder.get()), uri);
    }

    // No new scheduled backup from now on: it would copy a namespace being deleted.
    Optional<CronJob> cronJob = context.getSecondaryResource(CronJob.class);
    if (cronJob.isPresent()
        && (cronJob.get().getSpec() == null
            || !Boolean.TRUE.equals(cronJob.get().getSpec().getSuspend()))) {
      context
          .getClient()
          .batch()
          .v1()
          .cronjobs()
          .inNamespace(cronJob.get().getMetadata().getNamespace())
          .withName(cronJob.get().getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
    }

    Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
    if (deployment.isPresent() && !stopped(deployment.get())) {
      Deployment d = deployment.get();
      if (d.getSpec() != null
          && d.getSpec().getReplicas() != null
          && d.getSpec().getReplicas() != 0) {
        context
            .getClient()
            .apps()
            .deployments()
            .inNamespace(d.getMetadata().getNamespace())
            .withName(d.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":0}}");
      }
      return waiting(
          "StoppingWriter",
          "scaled the writer to zero, waiting for the deployment to stop. deployment="
              + Names.writer(cr));
    }
    // Pods that ended (Succeeded/Failed, e.g. evicted) run no container: only running ones can
    // still write. The ReplicaSet does not remove evicted pods on scale-down.
    List<Pod> pods =
        StatusAggregator.pods(
                List.copyOf(context.getSecondaryResources(Pod.class)),
                cr,
                Constants.COMPONENT_WRITER)
            .stream()
            .filter(DeletionSequence::mayBeRunning)
            .toList();
    if (!pods.isEmpty()) {
      return waiting(
          "StoppingWriter",
          "waiting for the writer pods to terminate. pods="
              + pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.joining(",")));
    }

    List<String> backups =
        context.getSecondaryResources(Job.class).stream()
            .filter(
                job ->
                    Constants.COMPONENT_BACKUP.equals(component(job))
                        || Constants.COMPONENT_ONDEMAND_BACKUP.equals(component(job)))
            .filter(job -> StatusAggregator.finished(job) == null)
            .map(job -> job.getMetadata().getName())
            .sorted()
            .toList();
    if (!backups.isEmpty()) {
      return waiting(
          "WaitingForBackup",
          "the backup schedule is suspended; waiting for the backup that is still running"
              + " (scheduled, or a NamiNamespaceBackup) to finish before the namespace's data is "
              + (policy == DeletionPolicy.BackupThenDelete ? "backed up and deleted" : "deleted")
              + ". jobs="
              + String.join(",", backups));
    }

    if (policy == DeletionPolicy.BackupThenDelete) {
      DeletionOutcome backup =
          runJob(
              cr,
              context,
              Names.finalBackup(cr),
              () -> FinalBackupJob.desired(cr, config),
              "FinalBackup",
              "running the final backup",
              "FinalBackupFailed",
              "the final backup failed, the data was not deleted.");
      if (backup != null) {
        return backup;
      }
    }
    DeletionOutcome purge =
        runJob(
            cr,
            context,
            Names.purge(cr),
            () -> PurgeJob.desired(cr, config),
            "Purging",
            "purging the namespace's data",
            "PurgeFailed",
            "purging the namespace's data failed.");
    return purge != null ? purge : Done.purged(uri);
  }

  /**
   * Null when the Job succeeded, else where it stands (created now, running, failed, or refused for
   * good because the Kubernetes namespace is terminating).
   */
  private static DeletionOutcome runJob(
      NamiNamespace cr,
      Context<NamiNamespace> context,
      String name,
      java.util.function.Supplier<Job> desired,
      String runningReason,
      String runningMessage,
      String failedReason,
      String failedMessage) {
    Optional<Job> job =
        context.getSecondaryResources(Job.class).stream()
            .filter(j -> name.equals(j.getMetadata().getName()))
            .findFirst();
    if (job.isEmpty()) {
      Job created = desired.get();
      try {
        context.getClient().batch().v1().jobs().resource(created).create();
      } catch (KubernetesClientException e) {
        if (namespaceTerminating(e)) {
          return Done.namespaceTerminating(name, cr.getSpec().getStorage().getUri());
        }
        if (e.getCode() != 409) {
          throw e;
        }
      }
      return waiting(runningReason, runningMessage + ". job=" + name);
    }
    Finish finish = StatusAggregator.finished(job.get());
    if (finish == null) {
      return waiting(runningReason, runningMessage + ". job=" + name);
    }
    if (!finish.succeeded()) {
      return new InProgress(
          new Deletion(
              true,
              failedReason,
              failedMessage
                  + " job="
                  + name
                  + "."
                  + ("PurgeFailed".equals(failedReason) ? PURGE_RETRY : DELETE_TO_RETRY)));
    }
    return null;
  }

  /** Whether the API server refused a create because the Kubernetes namespace is terminating. */
  static boolean namespaceTerminating(KubernetesClientException e) {
    if (e.getCode() != 403 || e.getStatus() == null) {
      return false;
    }
    StatusDetails details = e.getStatus().getDetails();
    return details != null
        && details.getCauses() != null
        && details.getCauses().stream()
            .map(StatusCause::getReason)
            .anyMatch(NAMESPACE_TERMINATING::equals);
  }

  private static boolean stopped(Deployment deployment) {
    boolean scaledDown =
        deployment.getSpec() != null
            && deployment.getSpec().getReplicas() != null
            && deployment.getSpec().getReplicas() == 0;
    var status = deployment.getStatus();
    boolean observed =
        status != null
            && status.getObservedGeneration() != null
            && status.getObservedGeneration() >= deployment.getMetadata().getGeneration();
    boolean noReplicas =
        status == null || status.getReplicas() == null || status.getReplicas() == 0;
    return scaledDown && observed && noReplicas;
  }

  private static DeletionOutcome waiting(String reason, String message) {
    return new InProgress(new Deletion(false, reason, message));
  }

  private static String component(Job job) {
    var labels = job.getMetadata().getLabels();
    return labels == null ? null : labels.get(Constants.COMPONENT_LABEL);
  }

  private static boolean mayBeRunning(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }
}
