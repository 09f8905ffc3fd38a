package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.namidb.operator.api.BackupSpec;
import io.namidb.operator.api.NamiNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CronJob {@code <cr>-backup}: runs {@code nami backup --uri … --to … --keep-last N} on {@code
 * spec.backup.schedule} (UTC), never two at once. Exists only while a schedule is set ({@link
 * ScheduleSet}); {@code spec.backup.suspend} suspends it, and so does {@code spec.writer.suspend}:
 * a suspended tenant takes no scheduled backups, which with {@code keepLast} would rotate its real
 * history out. A Job gets {@code namidb.operator.backup.job-deadline} to finish, so that one stuck
 * backup does not block every later run ({@code Forbid}).
 *
 * <p>The container runs through {@code /bin/sh} so that what {@code nami backup} reports becomes
 * the pod's termination message: its size line ({@code backed up N objects, B bytes}, stderr) and
 * the backup location (stdout, the last line), from which the status reports {@code
 * lastBackup.bytes} and {@code lastBackup.location}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Constants.MANAGED_SELECTOR))
public class BackupCronJobDependentResource
    extends CRUDKubernetesDependentResource<CronJob, NamiNamespace> {
  static final int DEFAULT_KEEP_LAST = 7;

  public BackupCronJobDependentResource() {
    super(CronJob.class);
  }

  @Override
  protected CronJob desired(NamiNamespace cr, Context<NamiNamespace> context) {
    OperatorConfig config = OperatorContext.config(context);
    BackupSpec backup = cr.getSpec().getBackup();
    return new CronJobBuilder()
        .withMetadata(WriterPods.metadata(cr, Names.backup(cr), Constants.COMPONENT_BACKUP))
        .withNewSpec()
        .withSchedule(backup.getSchedule())
        .withTimeZone("Etc/UTC")
        .withSuspend(
            Boolean.TRUE.equals(backup.getSuspend())
                || Boolean.TRUE.equals(WriterPods.writerSpec(cr).getSuspend()))
        .withConcurrencyPolicy("Forbid")
        .withStartingDeadlineSeconds(600L)
        .withSuccessfulJobsHistoryLimit(3)
        .withFailedJobsHistoryLimit(3)
        .withNewJobTemplate()
        .withNewMetadata()
        .withLabels(WriterPods.labels(cr, Constants.COMPONENT_BACKUP))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(2)
        .withActiveDeadlineSeconds(config.backupJobDeadline().toSeconds())
        .withTemplate(
            WriterPods.jobPodTemplate(
                cr,
                Constants.COMPONENT_BACKUP,
                backupContainer(cr, config, keepLast(backup)),
                Map.of()))
        .endSpec()
        .endJobTemplate()
        .endSpec()
        .build();
  }

  static int keepLast(BackupSpec backup) {
    return backup.getKeepLast() == null ? DEFAULT_KEEP_LAST : backup.getKeepLast();
  }

  /**
   * The container of a backup Job: {@code nami backup}, its output in the log, its last line (the
   * backup location) as the termination message. {@code keepLast} null: no pruning.
   */
  static Container backupContainer(NamiNamespace cr, OperatorConfig config, Integer keepLast) {
    BackupSpec backup = cr.getSpec().getBackup();
    List<EnvVar> env = new ArrayList<>(WriterPods.storageEnv(cr));
    env.add(
        WriterPods.env(
            Constants.ENV_BACKUP_TO,
            StorageUris.backupDestination(backup.getDestination(), cr.getSpec().getStorage())));
    String prune = "";
    if (keepLast != null) {
      env.add(WriterPods.env(Constants.ENV_BACKUP_KEEP_LAST, keepLast.toString()));
      prune = " --keep-last \"$" + Constants.ENV_BACKUP_KEEP_LAST + "\"";
    }
    env.addAll(
        WriterPods.credentials(
            backup.getDestination().getCredentialsSecret(), Constants.ENV_TO_PREFIX));
    // stdout is the location; stderr, shown live through tee, ends with the size line
    String script =
        "mkfifo /tmp/backup.fifo\n"
            + "tee /tmp/backup.err < /tmp/backup.fifo >&2 &\n"
            + "out=\"$("
            + config.writer().command()
            + " backup --uri \"$"
            + Constants.ENV_URI
            + "\" --to \"$"
            + Constants.ENV_BACKUP_TO
            + "\""
            + prune
            + " 2>/tmp/backup.fifo)\"; rc=$?\n"
            + "wait\n"
            + "printf '%s\\n' \"$out\"\n"
            + "if [ \"$rc\" -eq 0 ]; then { grep '^backed up ' /tmp/backup.err | tail -n 1;"
            + " printf '%s\\n' \"$out\" | tail -n 1; } > /dev/termination-log; fi\n"
            + "exit \"$rc\"\n";
    return WriterPods.container(
        cr, config, Constants.BACKUP_CONTAINER, List.of("/bin/sh", "-c", script), env);
  }

  /**
   * The CronJob exists only while {@code spec.backup.schedule} is set and the resource holds its
   * storage namespace ({@link StorageConflicts}).
   */
  public static class ScheduleSet implements Condition<CronJob, NamiNamespace> {
    @Override
    public boolean isMet(
        DependentResource<CronJob, NamiNamespace> dependent,
        NamiNamespace cr,
        Context<NamiNamespace> context) {
      BackupSpec backup = cr.getSpec().getBackup();
      return backup != null
          && backup.getDestination() != null
          && backup.getSchedule() != null
          && !backup.getSchedule().isBlank()
          && StorageConflicts.holderOtherThan(cr, context).isEmpty();
    }
  }
}
