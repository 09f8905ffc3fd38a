package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.namidb.operator.api.NamiNamespace;
import java.util.ArrayList;
import java.util.List;

/**
 * Job {@code <cr>-purge}: {@code nami purge --uri … --yes}, which fences the namespace for good and
 * deletes its prefix (with {@code namidb.operator.purge-remove-tombstones}, the tombstones too).
 * Created by {@link DeletionSequence} once the writer is gone (JOSDK does not reconcile workflow
 * dependents while a resource is being deleted, so deletion Jobs are built here and created by the
 * cleanup step rather than listed in the workflow).
 */
final class PurgeJob {
  private PurgeJob() {}

  static Job desired(NamiNamespace cr, OperatorConfig config) {
    Container purge =
        WriterPods.container(
            cr, config, Constants.PURGE_CONTAINER, command(config), WriterPods.storageEnv(cr));
    return new JobBuilder()
        .withMetadata(WriterPods.metadata(cr, Names.purge(cr), Constants.COMPONENT_PURGE))
        .withNewSpec()
        .withBackoffLimit(3)
        .withTemplate(
            WriterPods.jobPodTemplate(cr, Constants.COMPONENT_PURGE, purge, java.util.Map.of()))
        .endSpec()
        .build();
  }

  private static List<String> command(OperatorConfig config) {
    List<String> command =
        new ArrayList<>(
            List.of(
                config.writer().command(),
                "purge",
                "--uri",
                "$(" + Constants.ENV_URI + ")",
                "--yes"));
    if (config.purgeRemoveTombstones()) {
      command.add("--remove-tombstones");
    }
    return command;
  }
}
