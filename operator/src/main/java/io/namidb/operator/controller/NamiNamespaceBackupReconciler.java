package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.namidb.operator.api.LastBackupStatus;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.NamiNamespaceBackup;
import io.namidb.operator.api.NamiNamespaceBackupStatus;
import io.namidb.operator.api.NamiNamespaceBackupStatus.BackupPhase;
import io.namidb.operator.api.Phase;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs the one backup a {@link NamiNamespaceBackup} asks for: once its NamiNamespace exists with a
 * backup destination, Job {@code <name>-ondemand} runs the scheduled backup's command without
 * {@code --keep-last}; the Job's end, and what {@code nami backup} reported, become the status. A
 * finished backup is never run again. The Job carries the NamiNamespace's labels, so the
 * NamiNamespace's {@code lastBackup}, {@code BackupStale} and metrics count it like a scheduled
 * one, and its deletion waits for it.
 */
@ControllerConfiguration(name = NamiNamespaceBackupReconciler.NAME)
public class NamiNamespaceBackupReconciler
    implements Reconciler<NamiNamespaceBackup>, ConfigurableReconciler<NamiNamespaceBackup> {
  public static final String NAME = "naminamespacebackup";

  private static final Logger LOG = Logger.getLogger(NamiNamespaceBackupReconciler.class);
  private static final Duration WAITING_RECHECK = Duration.ofSeconds(30);

  private final OperatorConfig config;

  @Inject
  public NamiNamespaceBackupReconciler(OperatorConfig config) {
    this.config = config;
  }

  @Override
  public void updateConfigurationFrom(
      ControllerConfigurationOverrider<NamiNamespaceBackup> overrider) {
    WatchedNamespaces.apply(config, overrider);
  }

  @Override
  public List<EventSource<?, NamiNamespaceBackup>> prepareEventSources(
      EventSourceContext<NamiNamespaceBackup> context) {
    InformerEventSourceConfiguration<Job> jobs =
        InformerEventSourceConfiguration.from(Job.class, NamiNamespaceBackup.class)
            .withName("ondemand-jobs")
            .withLabelSelector(
                Constants.MANAGED_SELECTOR
                    + ","
                    + Constants.COMPONENT_LABEL
                    + "="
                    + Constants.COMPONENT_ONDEMAND_BACKUP)
            .withSecondaryToPrimaryMapper(
                job -> {
                  var labels = job.getMetadata().getLabels();
                  String backup = labels == null ? null : labels.get(Constants.BACKUP_LABEL);
                  return backup == null
                      ? Set.of()
                      : Set.of(new ResourceID(backup, job.getMetadata().getNamespace()));
                })
            .withNamespacesInheritedFromController()
            .build();
    return List.of(new InformerEventSource<>(jobs, context));
  }

  @Override
  public UpdateControl<NamiNamespaceBackup> reconcile(
      NamiNamespaceBackup backup, Context<NamiNamespaceBackup> context) {
    NamiNamespaceBackupStatus old = backup.getStatus();
    if (old != null && old.finished()) {
      return UpdateControl.noUpdate();
    }
    String jobName = Names.ondemandBackup(backup);
    Optional<Job> job =
        context.getSecondaryResources(Job.class).stream()
            .filter(j -> jobName.equals(j.getMetadata().getName()))
            .findFirst();
    NamiNamespaceBackupStatus status =
        job.isPresent() ? fromJob(context.getClient(), job.get()) : start(backup, context);
    UpdateControl<NamiNamespaceBackup> control =
        status.equals(old)
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(withStatus(backup, status));
    if (status.getPhase() != phaseOf(old) && status.finished()) {
      LOG.infof(
          "backup %s. namespace=%s name=%s job=%s location=%s",
          status.getPhase(),
          backup.getMetadata().getNamespace(),
          backup.getMetadata().getName(),
          jobName,
          status.getLocation());
    }
    return status.getPhase() == BackupPhase.Pending
        ? control.rescheduleAfter(WAITING_RECHECK)
        : control;
  }

  private static BackupPhase phaseOf(NamiNamespaceBackupStatus old) {
    return old == null ? null : old.getPhase();
  }

  /** No Job yet: create it if the NamiNamespace is there and can be backed up. */
  private NamiNamespaceBackupStatus start(
      NamiNamespaceBackup backup, Context<NamiNamespaceBackup> context) {
    String ns = backup.getMetadata().getNamespace();
    String target = backup.getSpec().getNaminamespace();
    NamiNamespace cr =
        context.getClient().resources(NamiNamespace.class).inNamespace(ns).withName(target).get();
    if (cr == null) {
      return phase(
          BackupPhase.Pending, "waiting for NamiNamespace " + target + " in namespace " + ns);
    }
    if (cr.getMetadata().getDeletionTimestamp() != null) {
      return phase(
          BackupPhase.Failed,
          "NamiNamespace " + target + " is being deleted: no new backup of it is started");
    }
    if (cr.getSpec().getBackup() == null || cr.getSpec().getBackup().getDestination() == null) {
      return phase(
          BackupPhase.Pending,
          "NamiNamespace "
              + target
              + " has no spec.backup.destination: the backup starts once it has one");
    }
    if (cr.getStatus() != null
        && cr.getStatus()
            .condition(Constants.CONDITION_WRITER_AVAILABLE)
            .filter(c -> "Conflict".equals(c.getReason()))
            .isPresent()) {
      return phase(
          BackupPhase.Failed,
          "NamiNamespace "
              + target
              + " names a storage namespace another NamiNamespace holds (condition"
              + " WriterAvailable=Conflict): back up that one instead");
    }
    Phase phase = cr.getStatus() == null ? null : cr.getStatus().getPhase();
    if (phase != Phase.Ready && phase != Phase.Degraded && phase != Phase.Suspended) {
      // a new tenant's writer has not claimed the namespace yet: nothing to back up
      return phase(
          BackupPhase.Pending,
          "waiting for NamiNamespace "
              + target
              + " to be Ready, Degraded or Suspended (it is "
              + (phase == null ? "new" : phase)
              + ")");
    }
    Job job = desiredJob(backup, cr);
    try {
      context.getClient().batch().v1().jobs().inNamespace(ns).resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    NamiNamespaceBackupStatus status = phase(BackupPhase.Running, "running nami backup");
    status.setJob(job.getMetadata().getName());
    return status;
  }

  /** The Job: the scheduled backup's container without pruning, owned by the backup resource. */
  Job desiredJob(NamiNamespaceBackup backup, NamiNamespace cr) {
    Map<String, String> labels =
        new HashMap<>(WriterPods.labels(cr, Constants.COMPONENT_ONDEMAND_BACKUP));
    labels.put(Constants.BACKUP_LABEL, backup.getMetadata().getName());
    ObjectMeta metadata =
        new ObjectMetaBuilder()
            .withName(Names.ondemandBackup(backup))
            .withNamespace(backup.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(NamiNamespace.API_VERSION)
                    .withKind(NamiNamespaceBackup.KIND)
                    .withName(backup.getMetadata().getName())
                    .withUid(backup.getMetadata().getUid())
                    .withController(true)
                    .build())
            .build();
    return new JobBuilder()
        .withMetadata(metadata)
        .withNewSpec()
        .withBackoffLimit(2)
        .withActiveDeadlineSeconds(config.backupJobDeadline().toSeconds())
        .withTemplate(
            WriterPods.jobPodTemplate(
                cr,
                Constants.COMPONENT_ONDEMAND_BACKUP,
                BackupCronJobDependentResource.backupContainer(cr, config, null),
                Map.of(Constants.BACKUP_LABEL, backup.getMetadata().getName())))
        .endSpec()
        .build();
  }

  /** Where the Job stands; once it finished, what its pod reported. */
  private static NamiNamespaceBackupStatus fromJob(KubernetesClient client, Job job) {
    String name = job.getMetadata().getName();
    StatusAggregator.Finish finish = StatusAggregator.finished(job);
    NamiNamespaceBackupStatus status;
    if (finish == null) {
      status = phase(BackupPhase.Running, "running nami backup");
      status.setStartTime(job.getStatus() == null ? null : job.getStatus().getStartTime());
    } else {
      List<Pod> pods =
          client
              .pods()
              .inNamespace(job.getMetadata().getNamespace())
              .withLabel("job-name", name)
              .list()
              .getItems();
      StatusAggregator.Backup read = StatusAggregator.backupOf(job, pods, null);
      LastBackupStatus done = read.status();
      status =
          finish.succeeded()
              ? phase(BackupPhase.Succeeded, "backed up to " + done.getLocation())
              : phase(
                  BackupPhase.Failed,
                  "nami backup failed"
                      + (read.error() == null ? "" : ": " + read.error())
                      + ". Its pod's log has the details; create a new NamiNamespaceBackup to try"
                      + " again.");
      status.setLocation(done.getLocation());
      status.setBytes(done.getBytes());
      status.setStartTime(done.getStartTime());
      status.setCompletionTime(done.getTime());
    }
    status.setJob(name);
    return status;
  }

  private static NamiNamespaceBackupStatus phase(BackupPhase phase, String message) {
    NamiNamespaceBackupStatus status = new NamiNamespaceBackupStatus();
    status.setPhase(phase);
    status.setMessage(message);
    return status;
  }

  private static NamiNamespaceBackup withStatus(
      NamiNamespaceBackup backup, NamiNamespaceBackupStatus status) {
    NamiNamespaceBackup patch = new NamiNamespaceBackup();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(backup.getMetadata().getName())
            .withNamespace(backup.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
