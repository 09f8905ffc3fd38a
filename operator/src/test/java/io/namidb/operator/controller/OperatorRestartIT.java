package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.awaitPhase;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.condition;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.api.RestoreSpec;
import io.namidb.operator.api.WriterSpec;
import io.namidb.operator.controller.WriterStatusClient.WriterReport;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.WithKubeApiServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Idempotence: a second operator started over resources the first one reconciled reconciles each of
 * them and changes nothing, no resourceVersion and no new Event.
 */
@WithKubeApiServer
class OperatorRestartIT {
  static final List<String> NAMES = List.of("plain", "scheduled", "asleep", "restoring", "serving");

  @Test
  @SuppressWarnings("try") // the operator runs while the block runs
  void aSecondOperatorChangesNoResourceVersion(KubeTestNamespace ns, KubernetesClient client) {
    FakeWriters writers = new FakeWriters();
    writers.answer(
        "http://serving-writer." + ns.name() + ".svc:8080",
        new WriterReport("serving", "WRITER", 3L, 17L, 99L));
    try (TestOperator first = TestOperator.start(ns, writers)) {
      Tenants.create(client, Tenants.tenant("plain"));
      NamiNamespace scheduled = Tenants.tenant("scheduled");
      scheduled.getSpec().setBackup(Tenants.backup("30 2 * * *", "s3://backups/scheduled"));
      Tenants.create(client, scheduled);
      NamiNamespace asleep = Tenants.tenant("asleep");
      asleep.getSpec().setWriter(new WriterSpec());
      asleep.getSpec().getWriter().setSuspend(true);
      Tenants.create(client, asleep);
      NamiNamespace restoring = Tenants.tenant("restoring");
      restoring.getSpec().setRestore(new RestoreSpec());
      restoring.getSpec().getRestore().setFrom("s3://backups/x/20261123T120000Z-v1");
      Tenants.create(client, restoring);
      Tenants.create(client, Tenants.tenant("serving"));

      eventually()
          .until(
              () -> client.apps().deployments().withName("serving-writer").get(), Objects::nonNull);
      Controllers.rollOut(client, "serving-writer");
      awaitPhase(client, "serving", Phase.Ready);
      awaitPhase(client, "plain", Phase.Pending);
      awaitPhase(client, "asleep", Phase.Suspended);
      awaitPhase(client, "restoring", Phase.Restoring);
      eventually()
          .until(
              () -> Tenants.get(client, "scheduled"),
              r -> "True".equals(condition(r, "BackupScheduled").getStatus()));
    }
    Map<String, String> before = snapshot(client);
    int eventsBefore = client.v1().events().list().getItems().size();

    try (TestOperator second = TestOperator.start(ns, writers)) {
      for (String name : NAMES) {
        eventually().until(() -> second.reconciliations(Tenants.get(client, name)) >= 1);
      }
      assertThat(snapshot(client)).isEqualTo(before);
      assertThat(client.v1().events().list().getItems()).hasSize(eventsBefore);
    }
  }

  private static Map<String, String> snapshot(KubernetesClient client) {
    Map<String, String> versions = new LinkedHashMap<>();
    for (String name : NAMES) {
      versions.putAll(
          NamiNamespaceReconcilerIT.versions(client, name).entrySet().stream()
              .collect(
                  LinkedHashMap::new,
                  (m, e) -> m.put(name + "/" + e.getKey(), e.getValue()),
                  Map::putAll));
    }
    return versions;
  }
}
