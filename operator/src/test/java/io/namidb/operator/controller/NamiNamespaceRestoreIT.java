package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.awaitPhase;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.condition;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.env;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.events;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.api.RestoreSpec;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.WithKubeApiServer;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restore: the writer pod first runs {@code nami restore} as an init container (phase Restoring); a
 * refused restore (e.g. into a non-empty namespace) shows in status and events; once the writer is
 * ready the restore is recorded and the init container dropped, so a later pod restart never
 * restores again.
 */
@WithKubeApiServer
class NamiNamespaceRestoreIT {
  static TestOperator operator;

  @BeforeAll
  static void startOperator(KubeTestNamespace ns) {
    operator = TestOperator.start(ns, new FakeWriters());
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void restoresIntoTheWriterPodThenRunsWithoutIt(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("phoenix");
    cr.getSpec().getStorage().setCredentialsSecret("phoenix-creds");
    RestoreSpec restore = new RestoreSpec();
    restore.setFrom("s3://backups/acme/20261123T120000Z-v42");
    restore.setEndpoint("http://minio.backup:9000");
    restore.setCredentialsSecret("backup-creds");
    cr.getSpec().setRestore(restore);
    Tenants.create(client, cr);

    Deployment deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName("phoenix-writer").get(),
                Objects::nonNull);
    List<Container> init = deployment.getSpec().getTemplate().getSpec().getInitContainers();
    assertThat(init).hasSize(1);
    Container c = init.get(0);
    assertThat(c.getName()).isEqualTo("restore");
    assertThat(c.getCommand())
        .containsExactly(
            "nami", "restore", "--from", "$(NAMI_RESTORE_FROM)", "--uri", "$(NAMI_URI)");
    assertThat(env(c, "NAMI_RESTORE_FROM").getValue())
        .isEqualTo(
            "s3://backups/acme/20261123T120000Z-v42?endpoint=http%3A%2F%2Fminio.backup%3A9000"
                + "&pathStyle=true");
    assertThat(env(c, "NAMI_URI").getValue()).isEqualTo("s3://namidb/data?ns=phoenix");
    assertThat(env(c, "AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("phoenix-creds");
    assertThat(env(c, "NAMI_FROM_AWS_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("backup-creds");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    awaitPhase(client, "phoenix", Phase.Restoring);

    // The pod restores...
    Controllers.writerPod(client, deployment, "phoenix-writer-1");
    Controllers.podStatus(
        client, "phoenix-writer-1", List.of(Controllers.running("restore")), List.of());
    NamiNamespace restoring =
        eventually()
            .until(
                () -> Tenants.get(client, "phoenix"),
                r -> condition(r, "WriterAvailable").getMessage().contains("pod=phoenix-writer-1"));
    assertThat(restoring.getStatus().getPhase()).isEqualTo(Phase.Restoring);

    // ...then the writer holds the epoch: restore done, the init container goes.
    Controllers.podStatus(
        client,
        "phoenix-writer-1",
        List.of(Controllers.terminated("restore", 0, null)),
        List.of(Controllers.running("writer")));
    Controllers.rollOut(client, "phoenix-writer");
    NamiNamespace restored =
        eventually()
            .until(() -> Tenants.get(client, "phoenix"), r -> r.getStatus().getRestore() != null);
    assertThat(restored.getStatus().getRestore().getFrom())
        .isEqualTo("s3://backups/acme/20261123T120000Z-v42");
    assertThat(restored.getStatus().getRestore().getCompletionTime()).isNotBlank();
    eventually()
        .until(
            () ->
                client
                    .apps()
                    .deployments()
                    .withName("phoenix-writer")
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getInitContainers()
                    .isEmpty());
    assertThat(events(client, "phoenix")).extracting(Event::getReason).contains("Restored");
    Controllers.rollOut(client, "phoenix-writer");
    awaitPhase(client, "phoenix", Phase.Ready);
  }

  @Test
  void aRestoreIntoANamespaceHoldingOtherDataSaysSoAndTouchesNothing(KubernetesClient client) {
    NamiNamespace failed =
        refusedRestore(
            client,
            "occupied",
            3,
            "nami: error: restore target is not empty: it holds manifest version 7; restore only"
                + " into an empty (or purged) namespace. location=s3://namidb/data/occupied");
    assertThat(condition(failed, "WriterAvailable").getReason()).isEqualTo("RestoreTargetNotEmpty");
    assertThat(condition(failed, "Ready").getMessage())
        .contains("the namespace already holds other data, so nami restore refused")
        .contains("the data is untouched")
        .contains("Remove spec.restore")
        .contains("it holds manifest version 7")
        .contains("pod=occupied-writer-1");
    awaitWarning(client, "occupied", "already holds other data");
  }

  @Test
  void aFailedRestoreShowsInStatusAndEvents(KubernetesClient client) {
    NamiNamespace failed =
        refusedRestore(
            client, "unreachable", 1, "nami: error: Access Denied (Service: S3, Status Code: 403)");
    assertThat(condition(failed, "WriterAvailable").getReason()).isEqualTo("RestoreFailed");
    assertThat(condition(failed, "Ready").getMessage())
        .contains("nami restore failed: nami: error: Access Denied")
        .contains("pod=unreachable-writer-1");
    awaitWarning(client, "unreachable", "Access Denied");
  }

  private static NamiNamespace refusedRestore(
      KubernetesClient client, String name, int exitCode, String message) {
    NamiNamespace cr = Tenants.tenant(name);
    RestoreSpec restore = new RestoreSpec();
    restore.setFrom("s3://backups/acme/20261123T120000Z-v42");
    cr.getSpec().setRestore(restore);
    Tenants.create(client, cr);
    Deployment deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName(name + "-writer").get(),
                Objects::nonNull);
    Controllers.writerPod(client, deployment, name + "-writer-1");
    Controllers.podStatus(
        client,
        name + "-writer-1",
        List.of(Controllers.terminated("restore", exitCode, message)),
        List.of());
    NamiNamespace failed = awaitPhase(client, name, Phase.Failed);
    assertThat(failed.getStatus().getRestore()).isNull();
    return failed;
  }

  private static void awaitWarning(KubernetesClient client, String name, String text) {
    eventually()
        .until(
            () -> events(client, name),
            events ->
                events.stream()
                    .anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains(text)));
  }
}
