package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.awaitPhase;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.condition;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.events;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.WithKubeApiServer;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * When the API server refuses an object (here: a quota allows no CronJob), the status and the
 * events say so, and the namespace recovers once the cause is gone.
 */
@WithKubeApiServer
class ReconcileErrorIT {
  @Test
  @SuppressWarnings("try") // the operator runs while the block runs
  void aRefusedObjectShowsInStatusAndEvents(KubeTestNamespace ns, KubernetesClient client) {
    // Play the quota controller: no CronJob allowed in this namespace.
    client
        .resourceQuotas()
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("no-cronjobs")
                .endMetadata()
                .withNewSpec()
                .withHard(Map.of("count/cronjobs.batch", new Quantity("0")))
                .endSpec()
                .build())
        .create();
    client
        .resourceQuotas()
        .withName("no-cronjobs")
        .editStatus(
            q -> {
              q.setStatus(
                  new io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder()
                      .withHard(Map.of("count/cronjobs.batch", new Quantity("0")))
                      .withUsed(Map.of("count/cronjobs.batch", new Quantity("0")))
                      .build());
              return q;
            });

    try (TestOperator operator = TestOperator.start(ns, new FakeWriters())) {
      NamiNamespace cr = Tenants.tenant("quota");
      cr.getSpec().setBackup(Tenants.backup("@daily", "s3://backups/quota"));
      Tenants.create(client, cr);
      eventually()
          .until(
              () -> client.apps().deployments().withName("quota-writer").get(), Objects::nonNull);
      Controllers.rollOut(client, "quota-writer");

      NamiNamespace degraded = awaitPhase(client, "quota", Phase.Degraded);
      assertThat(condition(degraded, "Ready").getReason()).isEqualTo("ReconcileError");
      assertThat(condition(degraded, "Ready").getMessage())
          .contains("backup-cronjob")
          .contains("exceeded quota");
      assertThat(condition(degraded, "BackupScheduled").getReason()).isEqualTo("CronJobMissing");
      // The failed reconcile did not finish this generation.
      assertThat(degraded.getStatus().getObservedGeneration()).isNull();
      assertThat(events(client, "quota"))
          .anyMatch(
              e -> "Warning".equals(e.getType()) && e.getMessage().contains("exceeded quota"));

      client.resourceQuotas().withName("no-cronjobs").delete();
      eventually()
          .until(
              () -> client.batch().v1().cronjobs().withName("quota-backup").get(),
              Objects::nonNull);
      NamiNamespace ready = awaitPhase(client, "quota", Phase.Ready);
      assertThat(ready.getStatus().getObservedGeneration())
          .isEqualTo(ready.getMetadata().getGeneration());
    }
  }
}
