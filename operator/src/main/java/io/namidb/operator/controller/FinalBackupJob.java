package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.namidb.operator.api.NamiNamespace;

/**
 * Job {@code <cr>-final-backup} of deletionPolicy BackupThenDelete: the scheduled backup's command
 * without {@code --keep-last} (a final backup never prunes), run after the writer stopped so it
 * holds every acknowledged write.
 */
final class FinalBackupJob {
  private FinalBackupJob() {}

  static Job desired(NamiNamespace cr, OperatorConfig config) {
    return new JobBuilder()
        .withMetadata(
            WriterPods.metadata(cr, Names.finalBackup(cr), Constants.COMPONENT_FINAL_BACKUP))
        .withNewSpec()
        .withBackoffLimit(3)
        .withTemplate(
            WriterPods.jobPodTemplate(
                cr,
                Constants.COMPONENT_FINAL_BACKUP,
                BackupCronJobDependentResource.backupContainer(cr, config, null),
                java.util.Map.of()))
        .endSpec()
        .build();
  }
}
