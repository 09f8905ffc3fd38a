package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.namidb.operator.api.BackupSpec;
import io.namidb.operator.api.LastBackupStatus;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.NamiNamespaceStatus;
import io.namidb.operator.api.Phase;
import io.namidb.operator.api.RestoreStatus;
import io.namidb.operator.api.WriterStatus;
import io.namidb.operator.controller.WriterStatusClient.WriterReport;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the whole status of a NamiNamespace from what the operator observed: phase, the four
 * condition types (always all four, in a fixed order), writer endpoint/epoch/manifest version, last
 * backup, restore progress. A condition's lastTransitionTime changes only when its status does, so
 * re-aggregating an unchanged world yields an equal status and no write.
 */
final class StatusAggregator {
  static final String TRUE = "True";
  static final String FALSE = "False";
  static final String UNKNOWN = "Unknown";

  /** Waiting reasons of the writer container that need a person's attention. */
  private static final Set<String> STUCK_REASONS =
      Set.of(
          "CrashLoopBackOff",
          "CreateContainerConfigError",
          "CreateContainerError",
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "RunContainerError");

  private final Clock clock;

  StatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /** Reason of a planned rollout of the writer's pod template. */
  static final String PROGRESSING = "Progressing";

  /**
   * What the operator saw of one NamiNamespace's objects; {@code rolloutQueued}: why the writer's
   * new pod template waits for a rollout slot ({@link WriterRollouts}), or null.
   */
  record Observed(
      Optional<Deployment> deployment,
      Optional<CronJob> cronJob,
      List<Pod> pods,
      List<Job> jobs,
      WriterStatusClient.Answer answer,
      String error,
      String conflict,
      String rolloutQueued) {
    Observed(
        Optional<Deployment> deployment,
        Optional<CronJob> cronJob,
        List<Pod> pods,
        List<Job> jobs,
        WriterStatusClient.Answer answer,
        String error,
        String conflict) {
      this(deployment, cronJob, pods, jobs, answer, error, conflict, null);
    }

    /** The same, with the operator's change of the writer waiting for a rollout slot. */
    Observed withRolloutQueued(String message) {
      return new Observed(deployment, cronJob, pods, jobs, answer, error, conflict, message);
    }

    /** The writer was not asked, no storage conflict. */
    Observed(
        Optional<Deployment> deployment,
        Optional<CronJob> cronJob,
        List<Pod> pods,
        List<Job> jobs,
        String error) {
      this(deployment, cronJob, pods, jobs, null, error, null);
    }

    /** What the writer reported when it was asked and answered. */
    Optional<WriterReport> report() {
      return answer == null ? Optional.empty() : answer.asOptional();
    }
  }

  /** Progress of a deletion with policy Delete or BackupThenDelete. */
  record Deletion(boolean failed, String reason, String message) {}

  /** The writer as seen through its Deployment and pods. */
  record WriterState(boolean available, boolean restoreFailed, String reason, String message) {}

  NamiNamespaceStatus aggregate(NamiNamespace cr, Observed observed, Deletion deletion) {
    NamiNamespaceStatus old = cr.getStatus() == null ? new NamiNamespaceStatus() : cr.getStatus();
    String now = now();
    NamiNamespaceStatus status = new NamiNamespaceStatus();
    // Advances only with a reconcile that succeeded: GitOps tools read it as "this spec is done".
    status.setObservedGeneration(
        observed.error() == null ? cr.getMetadata().getGeneration() : old.getObservedGeneration());

    WriterState writer =
        observed.conflict() != null && deletion == null
            ? new WriterState(
                false,
                false,
                "Conflict",
                "spec.storage names the same namespace as "
                    + observed.conflict()
                    + ", which holds it: this resource gets no writer, no backups, and its"
                    + " deletion never touches the data. Point it at another namespace or delete"
                    + " it. uri="
                    + cr.getSpec().getStorage().getUri())
            : writerState(cr, observed, deletion);
    boolean restorePending = WriterDeploymentDependentResource.restorePending(cr);
    RestoreStatus restore = old.getRestore();
    if (restorePending && writer.available()) {
      restore = new RestoreStatus(cr.getSpec().getRestore().getFrom(), now);
      restorePending = false;
    }
    status.setRestore(restore);

    LastBackup lastBackup = lastBackup(cr, observed, old);
    status.setLastBackup(lastBackup.status());
    status.setLastSuccessfulBackup(lastSuccessfulBackup(cr, observed, old, lastBackup.status()));
    boolean backupFailed =
        lastBackup.status() != null && Boolean.FALSE.equals(lastBackup.status().getSucceeded());

    Long epoch = old.getWriter() == null ? null : old.getWriter().getEpoch();
    Long manifestVersion = old.getWriter() == null ? null : old.getWriter().getManifestVersion();
    Long reportedManifestVersion = manifestVersion;
    if (observed.report().isPresent() && !observed.report().get().fenced()) {
      epoch = observed.report().get().epoch();
      reportedManifestVersion = observed.report().get().manifestVersion();
    }
    // The manifest version moves with every flush: on its own it is no reason to write the
    // status (one write per tenant per refresh). It is brought up to date with a new epoch, and
    // with any other change of the status below.
    WriterStatus writerStatus =
        new WriterStatus(Names.writerEndpoint(cr, WriterAccess.tls(cr)), epoch, manifestVersion);
    writerStatus.setAuthSecret(WriterAccess.authSecret(cr));
    status.setWriter(writerStatus);

    boolean suspended = Boolean.TRUE.equals(WriterPods.writerSpec(cr).getSuspend());
    Phase phase;
    String readyReason;
    String readyMessage;
    if (deletion != null) {
      phase = deletion.failed() ? Phase.Failed : Phase.Deleting;
      readyReason = deletion.reason();
      readyMessage = deletion.message();
    } else if (observed.conflict() != null) {
      phase = Phase.Failed;
      readyReason = writer.reason();
      readyMessage = writer.message();
    } else if (writer.restoreFailed()) {
      phase = Phase.Failed;
      readyReason = writer.reason();
      readyMessage = writer.message();
    } else if (suspended) {
      phase = Phase.Suspended;
      readyReason = "Suspended";
      readyMessage = writer.message();
    } else if (writer.available() && observed.error() != null) {
      phase = Phase.Degraded;
      readyReason = "ReconcileError";
      readyMessage = observed.error();
    } else if (writer.available() && backupFailed) {
      phase = Phase.Degraded;
      readyReason = "BackupFailed";
      readyMessage = "the writer is ready but the last backup failed. " + lastBackup.detail();
    } else if (writer.available()) {
      phase = Phase.Ready;
      // Ready, and the operator's new pod template waits for a slot (RolloutQueued)
      readyReason = "WriterReady".equals(writer.reason()) ? "Ready" : writer.reason();
      readyMessage = writer.message();
    } else if (restorePending) {
      phase = Phase.Restoring;
      readyReason = "Restoring";
      readyMessage = writer.message();
    } else if (PROGRESSING.equals(writer.reason())) {
      // A planned rollout, not a failure: Pending, no Warning event.
      phase = Phase.Pending;
      readyReason = writer.reason();
      readyMessage = writer.message();
    } else if (old.getPhase() == Phase.Ready || old.getPhase() == Phase.Degraded) {
      phase = Phase.Degraded;
      readyReason = writer.reason();
      readyMessage = writer.message();
    } else {
      phase = Phase.Pending;
      readyReason = writer.reason();
      readyMessage = writer.message();
    }
    if (observed.error() != null && phase != Phase.Degraded) {
      readyMessage = readyMessage + "; reconcile failed: " + observed.error();
    }
    status.setPhase(phase);

    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            cr,
            old,
            Constants.CONDITION_READY,
            phase == Phase.Ready ? TRUE : FALSE,
            readyReason,
            readyMessage,
            now));
    conditions.add(
        condition(
            cr,
            old,
            Constants.CONDITION_WRITER_AVAILABLE,
            writer.available() ? TRUE : FALSE,
            writer.reason(),
            writer.message(),
            now));
    Condition scheduled = backupScheduled(cr, observed, old, now);
    conditions.add(scheduled);
    conditions.add(lastBackupSucceeded(cr, old, lastBackup, now));
    conditions.add(backupStale(cr, observed, old, status, scheduled, now));
    conditions.add(writerReachable(cr, observed, old, now));
    status.setConditions(conditions);

    if (!status.equals(old)) {
      status.getWriter().setManifestVersion(reportedManifestVersion);
    }
    return status;
  }

  /**
   * {@code WriterReachable}: whether the last {@code GET /v1/status} was answered. Unknown while
   * the operator had no writer to ask (none running, suspended, deleting). Its message names the
   * failure in stable words, so a writer that stays unreachable causes no further status writes.
   */
  private Condition writerReachable(
      NamiNamespace cr, Observed observed, NamiNamespaceStatus old, String now) {
    String type = Constants.CONDITION_WRITER_REACHABLE;
    WriterStatusClient.Answer answer = observed.answer();
    if (answer == null) {
      // a writer runs but was not asked this time (a reconcile after an error, a deletion
      // step): what was last seen
      Optional<Condition> last = old.condition(type);
      if (last.isPresent() && WriterPods.runningWriterPod(observed.pods(), cr).isPresent()) {
        return last.get();
      }
      return condition(
          cr, old, type, UNKNOWN, "NotAsked", "no running writer pod to ask for /v1/status", now);
    }
    if (answer.report() != null) {
      return condition(cr, old, type, TRUE, "Reported", "the writer answers GET /v1/status", now);
    }
    return condition(
        cr,
        old,
        type,
        FALSE,
        "Unreachable",
        "the operator cannot read the writer's /v1/status, so status.writer may be stale: "
            + answer.error(),
        now);
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
  }

  private static Condition condition(
      NamiNamespace cr,
      NamiNamespaceStatus old,
      String type,
      String status,
      String reason,
      String message,
      String now) {
    String since =
        old.condition(type)
            .filter(c -> status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElse(now);
    Condition condition = new Condition();
    condition.setType(type);
    condition.setStatus(status);
    condition.setReason(reason);
    condition.setMessage(message);
    condition.setLastTransitionTime(since);
    condition.setObservedGeneration(cr.getMetadata().getGeneration());
    return condition;
  }

  // ---------------------------------------------------------------- writer

  /**
   * The Deployment has observed its current generation and a pod of that template is available: an
   * old pod still serving while a new template rolls out does not count.
   */
  static boolean available(Optional<Deployment> deployment) {
    return deployment
        .map(
            d ->
                d.getStatus() != null
                    && observedCurrentGeneration(d)
                    && d.getStatus().getUpdatedReplicas() != null
                    && d.getStatus().getUpdatedReplicas() >= 1
                    && d.getStatus().getAvailableReplicas() != null
                    && d.getStatus().getAvailableReplicas() >= 1)
        .orElse(false);
  }

  /**
   * A rollout in progress: the Deployment controller has not observed the current template yet, or
   * its Progressing condition says a new ReplicaSet is still being rolled out.
   */
  static boolean rollingOut(Optional<Deployment> deployment) {
    return deployment
        .map(
            d -> {
              if (d.getStatus() == null || d.getStatus().getObservedGeneration() == null) {
                return false; // never observed: a new writer is starting, not rolling out
              }
              if (d.getSpec() != null && Integer.valueOf(0).equals(d.getSpec().getReplicas())) {
                return false;
              }
              if (!observedCurrentGeneration(d)) {
                return true;
              }
              return nullSafe(d.getStatus().getConditions()).stream()
                  .anyMatch(
                      c ->
                          "Progressing".equals(c.getType())
                              && TRUE.equals(c.getStatus())
                              && !"NewReplicaSetAvailable".equals(c.getReason()));
            })
        .orElse(false);
  }

  /** The writer was serving (or already rolling out) before this reconcile. */
  private static boolean wasServing(NamiNamespace cr) {
    NamiNamespaceStatus old = cr.getStatus();
    if (old == null) {
      return false;
    }
    if (old.getPhase() == Phase.Ready || old.getPhase() == Phase.Degraded) {
      return true;
    }
    return nullSafe(old.getConditions()).stream()
        .anyMatch(
            c ->
                Constants.CONDITION_READY.equals(c.getType()) && PROGRESSING.equals(c.getReason()));
  }

  private static boolean observedCurrentGeneration(Deployment d) {
    Long observed = d.getStatus().getObservedGeneration();
    Long generation = d.getMetadata().getGeneration();
    return observed != null && (generation == null || observed >= generation);
  }

  private static WriterState writerState(NamiNamespace cr, Observed observed, Deletion deletion) {
    String deployment = Names.writer(cr);
    if (available(observed.deployment()) && deletion == null && observed.rolloutQueued() != null) {
      return new WriterState(true, false, WriterRollouts.ROLLOUT_QUEUED, observed.rolloutQueued());
    }
    if (available(observed.deployment()) && deletion == null) {
      return new WriterState(
          true,
          false,
          "WriterReady",
          "the writer is ready and holds the namespace's epoch. deployment=" + deployment);
    }
    if (deletion != null) {
      return new WriterState(
          false, false, "Stopped", "the writer is stopped for deletion. deployment=" + deployment);
    }
    if (rollingOut(observed.deployment())
        && wasServing(cr)
        && !Boolean.TRUE.equals(WriterPods.writerSpec(cr).getSuspend())) {
      return new WriterState(
          false,
          false,
          PROGRESSING,
          "the writer deployment is rolling out a new pod template (Recreate: the old writer stops"
              + " first). deployment="
              + deployment);
    }
    if (Boolean.TRUE.equals(WriterPods.writerSpec(cr).getSuspend())) {
      return new WriterState(
          false,
          false,
          "Suspended",
          "spec.writer.suspend is true: the writer is scaled to zero, the data is kept."
              + " deployment="
              + deployment);
    }
    if (observed.deployment().isEmpty()) {
      return new WriterState(
          false,
          false,
          "Creating",
          "the writer deployment is being created. deployment=" + deployment);
    }
    for (Pod pod : pods(observed.pods(), cr, Constants.COMPONENT_WRITER)) {
      if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
        continue;
      }
      String name = pod.getMetadata().getName();
      for (ContainerStatus init : nullSafe(pod.getStatus().getInitContainerStatuses())) {
        if (!Constants.RESTORE_CONTAINER.equals(init.getName())) {
          continue;
        }
        ContainerStateTerminated failed = failure(init);
        if (failed != null && failed.getExitCode() == Constants.EXIT_CONFLICT) {
          return new WriterState(
              false,
              true,
              "RestoreTargetNotEmpty",
              "the namespace already holds other data, so nami restore refused and wrote"
                  + " nothing; the data is untouched. Remove spec.restore to run the writer on"
                  + " it, or use a NamiNamespace with an empty storage namespace: "
                  + text(failed)
                  + ". pod="
                  + name
                  + " from="
                  + cr.getSpec().getRestore().getFrom());
        }
        if (failed != null) {
          return new WriterState(
              false,
              true,
              "RestoreFailed",
              "nami restore failed: "
                  + text(failed)
                  + ". pod="
                  + name
                  + " from="
                  + cr.getSpec().getRestore().getFrom());
        }
        if (init.getState() != null && init.getState().getRunning() != null) {
          return new WriterState(
              false,
              false,
              "Restoring",
              "restoring the namespace. pod="
                  + name
                  + " from="
                  + cr.getSpec().getRestore().getFrom());
        }
      }
      for (ContainerStatus container : nullSafe(pod.getStatus().getContainerStatuses())) {
        ContainerState state = container.getState();
        if (state != null
            && state.getWaiting() != null
            && STUCK_REASONS.contains(state.getWaiting().getReason())) {
          String message = state.getWaiting().getMessage();
          ContainerStateTerminated last =
              container.getLastState() == null ? null : container.getLastState().getTerminated();
          if (last != null && last.getMessage() != null && !last.getMessage().isBlank()) {
            message = last.getMessage().strip();
          }
          return new WriterState(
              false,
              false,
              state.getWaiting().getReason(),
              "the writer container is not running: "
                  + state.getWaiting().getReason()
                  + (message == null ? "" : ": " + message.strip())
                  + ". pod="
                  + name);
        }
      }
      for (PodCondition condition : nullSafe(pod.getStatus().getConditions())) {
        if ("PodScheduled".equals(condition.getType())
            && FALSE.equals(condition.getStatus())
            && "Unschedulable".equals(condition.getReason())) {
          return new WriterState(
              false,
              false,
              "Unschedulable",
              "the writer pod cannot be scheduled: " + condition.getMessage() + ". pod=" + name);
        }
      }
    }
    Optional<WriterReport> fenced = observed.report().filter(WriterReport::fenced);
    if (fenced.isPresent()) {
      return new WriterState(false, false, "Fenced", fencedMessage(fenced.get()));
    }
    if (WriterDeploymentDependentResource.restorePending(cr)) {
      return new WriterState(
          false,
          false,
          "Restoring",
          "waiting for the writer pod to restore the namespace. from="
              + cr.getSpec().getRestore().getFrom());
    }
    return new WriterState(
        false,
        false,
        "Starting",
        "waiting for the writer to become ready. deployment=" + deployment);
  }

  /**
   * Why a fenced writer is not ready, naming the writer id and epoch that hold the namespace (from
   * the newest manifest, as the writer reports it). The holder's manifest version is left out: it
   * moves with every flush and would rewrite the status each time.
   */
  static String fencedMessage(WriterReport report) {
    WriterStatusClient.Holder holder = report.holder();
    String who;
    if (holder != null && Boolean.TRUE.equals(holder.sealed())) {
      who =
          "the namespace was purged (sealed by writerId="
              + holder.writerId()
              + " epoch="
              + holder.epoch()
              + "): no writer may claim it again. ";
    } else if (holder != null) {
      who =
          "the namespace is held by writerId="
              + holder.writerId()
              + " epoch="
              + holder.epoch()
              + ". The writer restarts after nami.writer.fenced-liveness-grace and claims it"
              + " again; if this repeats, that writer keeps running on the same namespace (another"
              + " pod, cluster or resource on this storage, or nami load): stop it. ";
    } else {
      who =
          "it restarts after nami.writer.fenced-liveness-grace and claims it again. If this"
              + " repeats, another writer keeps running on the same namespace. ";
    }
    return "the writer lost the namespace to another writer and is not ready; "
        + who
        + (report.reason() == null ? "" : report.reason());
  }

  private static ContainerStateTerminated failure(ContainerStatus status) {
    if (status.getState() != null
        && status.getState().getTerminated() != null
        && nonZero(status.getState().getTerminated())) {
      return status.getState().getTerminated();
    }
    if (status.getState() != null
        && status.getState().getTerminated() == null
        && status.getLastState() != null
        && status.getLastState().getTerminated() != null
        && nonZero(status.getLastState().getTerminated())) {
      return status.getLastState().getTerminated();
    }
    return null;
  }

  private static boolean nonZero(ContainerStateTerminated terminated) {
    return terminated.getExitCode() != null && terminated.getExitCode() != 0;
  }

  private static String text(ContainerStateTerminated terminated) {
    if (terminated.getMessage() != null && !terminated.getMessage().isBlank()) {
      return terminated.getMessage().strip();
    }
    return "exit code "
        + terminated.getExitCode()
        + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")");
  }

  // ---------------------------------------------------------------- backups

  private Condition backupScheduled(
      NamiNamespace cr, Observed observed, NamiNamespaceStatus old, String now) {
    BackupSpec backup = cr.getSpec().getBackup();
    String type = Constants.CONDITION_BACKUP_SCHEDULED;
    if (backup == null || backup.getSchedule() == null || backup.getSchedule().isBlank()) {
      return condition(cr, old, type, FALSE, "NoSchedule", "spec.backup.schedule is not set", now);
    }
    String cronJob = Names.backup(cr);
    if (observed.conflict() != null) {
      return condition(
          cr,
          old,
          type,
          FALSE,
          "Conflict",
          "no backups: the storage namespace is held by " + observed.conflict(),
          now);
    }
    if (Boolean.TRUE.equals(backup.getSuspend())) {
      return condition(
          cr,
          old,
          type,
          FALSE,
          "Suspended",
          "spec.backup.suspend is true: no backups run. cronjob=" + cronJob,
          now);
    }
    if (Boolean.TRUE.equals(WriterPods.writerSpec(cr).getSuspend())) {
      return condition(
          cr,
          old,
          type,
          FALSE,
          "WriterSuspended",
          "spec.writer.suspend is true: no scheduled backups run while the tenant is suspended"
              + " (keepLast would rotate real history out). cronjob="
              + cronJob,
          now);
    }
    if (observed.cronJob().isEmpty()) {
      return condition(
          cr,
          old,
          type,
          FALSE,
          "CronJobMissing",
          "the backup cronjob does not exist yet. cronjob="
              + cronJob
              + (observed.error() == null ? "" : " error=" + observed.error()),
          now);
    }
    return condition(
        cr,
        old,
        type,
        TRUE,
        "Scheduled",
        "backups run on schedule \""
            + backup.getSchedule()
            + "\" (UTC), keeping the last "
            + BackupCronJobDependentResource.keepLast(backup)
            + ". cronjob="
            + cronJob,
        now);
  }

  private Condition lastBackupSucceeded(
      NamiNamespace cr, NamiNamespaceStatus old, LastBackup lastBackup, String now) {
    String type = Constants.CONDITION_LAST_BACKUP_SUCCEEDED;
    LastBackupStatus last = lastBackup.status();
    if (last == null) {
      return condition(cr, old, type, UNKNOWN, "NoBackupYet", "no backup has finished yet", now);
    }
    if (Boolean.TRUE.equals(last.getSucceeded())) {
      return condition(
          cr, old, type, TRUE, "BackupSucceeded", "backup succeeded. " + lastBackup.detail(), now);
    }
    return condition(
        cr, old, type, FALSE, "BackupFailed", "backup failed. " + lastBackup.detail(), now);
  }

  /**
   * When the scheduled backups of {@code cr} become stale (condition {@code BackupStale}): the last
   * success, or the time the schedule began (the CronJob's creation), plus twice the schedule's
   * interval. Empty without an active schedule.
   */
  Optional<Instant> backupStaleAt(
      NamiNamespace cr, Observed observed, NamiNamespaceStatus status, Condition scheduled) {
    if (!TRUE.equals(scheduled.getStatus()) || observed.cronJob().isEmpty()) {
      return Optional.empty();
    }
    Optional<BackupSchedule> schedule =
        BackupSchedule.parse(cr.getSpec().getBackup().getSchedule());
    String since =
        status.getLastSuccessfulBackup() != null
            ? status.getLastSuccessfulBackup().getTime()
            : observed.cronJob().get().getMetadata().getCreationTimestamp();
    if (schedule.isEmpty() || since == null) {
      return Optional.empty();
    }
    return schedule.get().staleAt(Instant.parse(since), clock.instant());
  }

  private Condition backupStale(
      NamiNamespace cr,
      Observed observed,
      NamiNamespaceStatus old,
      NamiNamespaceStatus status,
      Condition scheduled,
      String now) {
    String type = Constants.CONDITION_BACKUP_STALE;
    Optional<Instant> staleAt = backupStaleAt(cr, observed, status, scheduled);
    if (staleAt.isEmpty()) {
      return condition(
          cr,
          old,
          type,
          FALSE,
          "NotScheduled",
          "no active backup schedule (" + scheduled.getReason() + ")",
          now);
    }
    LastBackupStatus success = status.getLastSuccessfulBackup();
    String last =
        success == null
            ? "no backup has succeeded since the schedule began"
            : "the last successful backup finished at " + success.getTime();
    if (clock.instant().isBefore(staleAt.get())) {
      return condition(
          cr,
          old,
          type,
          FALSE,
          "Fresh",
          last
              + "; backups are stale from "
              + staleAt.get()
              + " on (twice the schedule's interval)",
          now);
    }
    return condition(
        cr,
        old,
        type,
        TRUE,
        "Stale",
        last
            + ", more than twice the schedule's interval ago: scheduled backups are not"
            + " succeeding. Look at the Jobs of cronjob "
            + Names.backup(cr)
            + " and condition LastBackupSucceeded.",
        now);
  }

  /** The newest finished backup and a description of it for messages. */
  record LastBackup(LastBackupStatus status, String detail) {}

  private static LastBackup lastBackup(
      NamiNamespace cr, Observed observed, NamiNamespaceStatus old) {
    List<Job> finishedBackups =
        observed.jobs().stream()
            .filter(job -> isBackup(job, cr))
            .filter(job -> finished(job) != null)
            .toList();
    // Once the final backup of a deletion finished, it is the one that counts: a scheduled run
    // that ended after it (one already running when the deletion began) must not hide it.
    Optional<Job> finalBackup =
        finishedBackups.stream()
            .filter(
                job ->
                    Constants.COMPONENT_FINAL_BACKUP.equals(
                        job.getMetadata().getLabels().get(Constants.COMPONENT_LABEL)))
            .findFirst();
    Optional<Job> newest =
        finalBackup.isPresent()
            ? finalBackup
            : finishedBackups.stream()
                // times have one-second resolution: on a tie the later-created (then later-named;
                // CronJob names end in the scheduled minute) Job is the newer one
                .max(
                    Comparator.comparing((Job job) -> Instant.parse(finished(job).time()))
                        .thenComparing(
                            job -> String.valueOf(job.getMetadata().getCreationTimestamp()))
                        .thenComparing(job -> job.getMetadata().getName()));
    LastBackupStatus previous = old.getLastBackup();
    if (newest.isEmpty()) {
      if (previous == null) {
        return new LastBackup(null, "");
      }
      return new LastBackup(previous, describe(previous, null, old));
    }
    Job job = newest.get();
    Backup backup = backupOf(job, observed.pods(), previous);
    boolean sameJob = previous != null && job.getMetadata().getName().equals(previous.getJob());
    return new LastBackup(
        backup.status(), describe(backup.status(), backup.error(), sameJob ? old : null));
  }

  /** A finished backup Job as the status shows it, and the error its pod reported. */
  record Backup(LastBackupStatus status, String error) {}

  /**
   * Reads a finished backup Job and its pod: the location (the termination message's last line) and
   * size ({@code backed up N objects, B bytes}) {@code nami backup} reported, or its error. What
   * the pod said is kept from {@code previous} when it describes the same Job and the pod is gone.
   */
  static Backup backupOf(Job job, List<Pod> pods, LastBackupStatus previous) {
    Finish finish = finished(job);
    String jobName = job.getMetadata().getName();
    String location = null;
    Long bytes = null;
    String error = null;
    for (Pod pod : pods.stream().filter(pod -> belongsTo(pod, job)).toList()) {
      for (ContainerStatus container :
          nullSafe(pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses())) {
        ContainerStateTerminated terminated =
            container.getState() == null ? null : container.getState().getTerminated();
        if (!Constants.BACKUP_CONTAINER.equals(container.getName()) || terminated == null) {
          continue;
        }
        if (!nonZero(terminated) && terminated.getMessage() != null) {
          location = StorageUris.withoutStoreParameters(lastLine(terminated.getMessage()));
          bytes = backedUpBytes(terminated.getMessage());
        } else if (nonZero(terminated)) {
          error = text(terminated);
        }
      }
    }
    boolean sameJob = previous != null && jobName.equals(previous.getJob());
    if (location == null && sameJob) {
      location = previous.getLocation();
    }
    if (bytes == null && sameJob) {
      bytes = previous.getBytes();
    }
    LastBackupStatus status =
        new LastBackupStatus(
            finish.time(), finish.succeeded() ? location : null, finish.succeeded(), jobName);
    status.setStartTime(job.getStatus() == null ? null : job.getStatus().getStartTime());
    status.setBytes(finish.succeeded() ? bytes : null);
    return new Backup(status, error);
  }

  private static final java.util.regex.Pattern BACKED_UP =
      java.util.regex.Pattern.compile("(?m)^backed up (\\d+) objects, (\\d+) bytes$");

  /** The size in the {@code backed up N objects, B bytes} line of {@code nami backup}, if any. */
  static Long backedUpBytes(String message) {
    java.util.regex.Matcher m = BACKED_UP.matcher(message);
    Long bytes = null;
    while (m.find()) {
      bytes = Long.parseLong(m.group(2));
    }
    return bytes;
  }

  /**
   * The newest backup that succeeded: a finished successful Job (the final backup first, as in
   * {@link #lastBackup}) when it is at least as new as the one the status already names; otherwise
   * that one, which the Job history may have rotated out since.
   */
  private static LastBackupStatus lastSuccessfulBackup(
      NamiNamespace cr, Observed observed, NamiNamespaceStatus old, LastBackupStatus last) {
    LastBackupStatus previous = old.getLastSuccessfulBackup();
    if (previous == null
        && old.getLastBackup() != null
        && Boolean.TRUE.equals(old.getLastBackup().getSucceeded())) {
      previous = old.getLastBackup(); // a status written before this field existed
    }
    if (last != null && Boolean.TRUE.equals(last.getSucceeded())) {
      return last;
    }
    LastBackupStatus before = previous;
    Optional<LastBackupStatus> newest =
        observed.jobs().stream()
            .filter(job -> isBackup(job, cr))
            .filter(job -> finished(job) != null && finished(job).succeeded())
            .max(Comparator.comparing((Job job) -> Instant.parse(finished(job).time())))
            .map(job -> backupOf(job, observed.pods(), before).status());
    if (newest.isPresent()
        && (previous == null
            || !Instant.parse(newest.get().getTime())
                .isBefore(Instant.parse(previous.getTime())))) {
      return newest.get();
    }
    return previous;
  }

  private static String describe(LastBackupStatus last, String error, NamiNamespaceStatus old) {
    StringBuilder text =
        new StringBuilder("job=").append(last.getJob()).append(" time=").append(last.getTime());
    if (last.getLocation() != null) {
      text.append(" location=").append(last.getLocation());
    }
    if (error != null) {
      text.append(" error=").append(error);
    } else if (old != null && Boolean.FALSE.equals(last.getSucceeded())) {
      // The failed pod may be gone by now: keep what the condition said while it was there.
      String said =
          old.condition(Constants.CONDITION_LAST_BACKUP_SUCCEEDED)
              .map(Condition::getMessage)
              .orElse("");
      int at = said.indexOf(" error=");
      if (at >= 0) {
        text.append(said.substring(at));
      }
    }
    return text.toString();
  }

  private static boolean isBackup(Job job, NamiNamespace cr) {
    var labels = job.getMetadata().getLabels();
    if (labels == null
        || !cr.getMetadata().getName().equals(labels.get(Constants.INSTANCE_LABEL))) {
      return false;
    }
    String component = labels.get(Constants.COMPONENT_LABEL);
    return Constants.COMPONENT_BACKUP.equals(component)
        || Constants.COMPONENT_ONDEMAND_BACKUP.equals(component)
        || Constants.COMPONENT_FINAL_BACKUP.equals(component);
  }

  /** How and when a Job finished. */
  record Finish(boolean succeeded, String time) {}

  /** The finish of {@code job}, or null while it runs. */
  static Finish finished(Job job) {
    if (job.getStatus() == null) {
      return null;
    }
    for (JobCondition condition : nullSafe(job.getStatus().getConditions())) {
      if (!TRUE.equals(condition.getStatus())) {
        continue;
      }
      if ("Complete".equals(condition.getType())) {
        String time = job.getStatus().getCompletionTime();
        return new Finish(true, time != null ? time : condition.getLastTransitionTime());
      }
      if ("Failed".equals(condition.getType())) {
        String time = condition.getLastTransitionTime();
        return new Finish(false, time != null ? time : job.getStatus().getStartTime());
      }
    }
    return null;
  }

  static boolean belongsTo(Pod pod, Job job) {
    var labels = pod.getMetadata().getLabels();
    String name = job.getMetadata().getName();
    if (labels != null
        && (name.equals(labels.get("batch.kubernetes.io/job-name"))
            || name.equals(labels.get("job-name")))) {
      return true;
    }
    return nullSafe(pod.getMetadata().getOwnerReferences()).stream()
        .anyMatch(ref -> Objects.equals(ref.getUid(), job.getMetadata().getUid()));
  }

  /** Pods of {@code cr} with the given component label. */
  static List<Pod> pods(List<Pod> pods, NamiNamespace cr, String component) {
    return pods.stream().filter(pod -> hasLabels(pod, cr, component)).toList();
  }

  static boolean hasLabels(HasMetadata object, NamiNamespace cr, String component) {
    var labels = object.getMetadata().getLabels();
    return labels != null
        && cr.getMetadata().getName().equals(labels.get(Constants.INSTANCE_LABEL))
        && component.equals(labels.get(Constants.COMPONENT_LABEL));
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
