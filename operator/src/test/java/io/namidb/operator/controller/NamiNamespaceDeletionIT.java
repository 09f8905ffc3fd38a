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
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.DeletionPolicy;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deletion behind the finalizer, per deletionPolicy: Retain lets go at once; Delete stops the
 * writer, waits for its pods, purges, and lets go only after the purge Job succeeded;
 * BackupThenDelete takes a final backup first. A failed Job keeps the finalizer and says why; a
 * deleted failed Job is retried.
 */
@WithKubeApiServer
class NamiNamespaceDeletionIT {
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
  void retainRemovesTheFinalizerAndRunsNoJob(KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("keep"));
    ready(client, "keep");

    client.resources(NamiNamespace.class).withName("keep").delete();

    eventually().until(() -> Tenants.find(client, "keep").isEmpty());
    assertThat(client.batch().v1().jobs().list().getItems())
        .noneMatch(j -> j.getMetadata().getName().startsWith("keep-"));
    Event retained =
        events(client, "keep").stream()
            .filter(e -> "RetainedByPolicy".equals(e.getReason()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no RetainedByPolicy event"));
    assertThat(retained.getMessage())
        .contains("the data stays in object storage", "uri=s3://namidb/data?ns=keep");
    assertThat(events(client, "keep")).extracting(Event::getReason).doesNotContain("Purged");
  }

  @Test
  void deleteStopsTheWriterWaitsForItsPodsThenPurges(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("doomed");
    cr.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    cr.getSpec().getStorage().setCredentialsSecret("doomed-creds");
    Tenants.create(client, cr);
    Deployment deployment = ready(client, "doomed");
    Controllers.writerPod(client, deployment, "doomed-writer-1");
    // an evicted pod (phase Failed) stays behind on scale-down; it runs nothing and must not block
    Controllers.writerPod(client, deployment, "doomed-evicted");
    client
        .pods()
        .withName("doomed-evicted")
        .editStatus(
            p -> {
              p.setStatus(
                  new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                      .withPhase("Failed")
                      .withReason("Evicted")
                      .build());
              return p;
            });

    client.resources(NamiNamespace.class).withName("doomed").delete();

    // The writer is scaled to zero first.
    eventually()
        .until(
            () ->
                client.apps().deployments().withName("doomed-writer").get().getSpec().getReplicas(),
            replicas -> replicas == 0);
    NamiNamespace deleting = awaitPhase(client, "doomed", Phase.Deleting);
    assertThat(deleting.getMetadata().getFinalizers()).contains("namidb.io/finalizer");
    Controllers.rollOut(client, "doomed-writer");
    // Its pod is still there: no purge yet.
    eventually()
        .until(
            () -> Tenants.get(client, "doomed"),
            r -> condition(r, "Ready").getMessage().contains("pods=doomed-writer-1"));
    assertThat(client.batch().v1().jobs().withName("doomed-purge").get()).isNull();

    client.pods().withName("doomed-writer-1").delete();
    Job purge =
        eventually()
            .until(
                () -> client.batch().v1().jobs().withName("doomed-purge").get(), Objects::nonNull);
    Container c = purge.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getCommand()).containsExactly("nami", "purge", "--uri", "$(NAMI_URI)", "--yes");
    assertThat(env(c, "NAMI_URI").getValue()).isEqualTo("s3://namidb/data?ns=doomed");
    assertThat(env(c, "AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("doomed-creds");
    assertThat(purge.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "doomed");
    assertThat(purge.getMetadata().getOwnerReferences())
        .extracting("kind")
        .containsExactly("NamiNamespace");
    assertThat(purge.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(Tenants.get(client, "doomed").getMetadata().getFinalizers())
        .contains("namidb.io/finalizer");

    // The purge fails: the finalizer stays and the status says why and how to go on.
    Controllers.fail(client, "doomed-purge");
    NamiNamespace failed = awaitPhase(client, "doomed", Phase.Failed);
    assertThat(condition(failed, "Ready").getReason()).isEqualTo("PurgeFailed");
    assertThat(condition(failed, "Ready").getMessage())
        .contains("job=doomed-purge")
        .contains("delete the job to retry")
        .contains("already sealed")
        .doesNotContain("Retain");
    assertThat(failed.getMetadata().getFinalizers()).contains("namidb.io/finalizer");
    assertThat(events(client, "doomed")).extracting(Event::getReason).contains("Failed");

    // Deleting the failed Job retries; success lets the resource go.
    String oldUid = purge.getMetadata().getUid();
    client.batch().v1().jobs().withName("doomed-purge").delete();
    eventually()
        .until(
            () -> client.batch().v1().jobs().withName("doomed-purge").get(),
            j -> j != null && !j.getMetadata().getUid().equals(oldUid));
    awaitPhase(client, "doomed", Phase.Deleting);
    Controllers.succeed(client, "doomed-purge");
    eventually().until(() -> Tenants.find(client, "doomed").isEmpty());
  }

  @Test
  void backupThenDeleteSuspendsTheScheduleWaitsForItsRunThenBacksUpAndPurges(
      KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("last");
    cr.getSpec().setDeletionPolicy(DeletionPolicy.BackupThenDelete);
    cr.getSpec().setBackup(Tenants.backup("@daily", "s3://backups"));
    Tenants.create(client, cr);
    ready(client, "last");
    CronJob cronJob =
        eventually()
            .until(
                () -> client.batch().v1().cronjobs().withName("last-backup").get(),
                Objects::nonNull);
    // a scheduled backup is running when the deletion begins
    Controllers.jobFromCronJob(client, cronJob, "last-backup-29000000");

    client.resources(NamiNamespace.class).withName("last").delete();
    eventually()
        .until(
            () -> client.batch().v1().cronjobs().withName("last-backup").get().getSpec(),
            spec -> Boolean.TRUE.equals(spec.getSuspend()));
    eventually()
        .until(
            () -> client.apps().deployments().withName("last-writer").get().getSpec().getReplicas(),
            replicas -> replicas == 0);
    Controllers.rollOut(client, "last-writer");
    NamiNamespace waiting =
        eventually()
            .until(
                () -> Tenants.get(client, "last"),
                r -> "WaitingForBackup".equals(condition(r, "Ready").getReason()));
    assertThat(condition(waiting, "Ready").getMessage())
        .contains("the backup schedule is suspended")
        .contains("jobs=last-backup-29000000");
    eventually()
        .during(Duration.ofSeconds(2))
        .until(() -> client.batch().v1().jobs().withName("last-final-backup").get() == null);

    Controllers.fail(client, "last-backup-29000000");
    Job backup =
        eventually()
            .until(
                () -> client.batch().v1().jobs().withName("last-final-backup").get(),
                Objects::nonNull);
    Container c = backup.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getCommand().get(2))
        .contains("nami backup --uri \"$NAMI_URI\" --to \"$NAMI_BACKUP_TO\"")
        .doesNotContain("--keep-last");
    assertThat(env(c, "NAMI_BACKUP_TO").getValue()).isEqualTo("s3://backups/last");
    assertThat(client.batch().v1().jobs().withName("last-purge").get()).isNull();
    NamiNamespace deleting = awaitPhase(client, "last", Phase.Deleting);
    assertThat(condition(deleting, "Ready").getReason()).isEqualTo("FinalBackup");

    Controllers.jobPod(client, backup, "last-final-backup-p1");
    Controllers.podStatus(
        client,
        "last-final-backup-p1",
        java.util.List.of(),
        java.util.List.of(
            Controllers.terminated("backup", 0, "s3://backups/last/20261124T080000Z-v9")));
    long finalBackupSecond =
        Instant.parse(
                Controllers.succeed(client, "last-final-backup").getStatus().getCompletionTime())
            .getEpochSecond();
    eventually()
        .until(() -> client.batch().v1().jobs().withName("last-purge").get(), Objects::nonNull);
    // a scheduled run that ends after the final backup (Job times have one-second resolution)
    // does not hide it
    eventually().until(() -> Instant.now().getEpochSecond() > finalBackupSecond);
    Controllers.jobFromCronJob(client, cronJob, "last-backup-29000001");
    Controllers.fail(client, "last-backup-29000001");
    NamiNamespace purging =
        eventually()
            .during(Duration.ofSeconds(2))
            .until(
                () -> Tenants.get(client, "last"),
                r ->
                    "Purging".equals(condition(r, "Ready").getReason())
                        && "last-final-backup".equals(r.getStatus().getLastBackup().getJob()));
    assertThat(purging.getStatus().getLastBackup().getLocation())
        .isEqualTo("s3://backups/last/20261124T080000Z-v9");
    assertThat(purging.getStatus().getLastBackup().getSucceeded()).isTrue();
    assertThat(purging.getStatus().getLastBackup().getJob()).isEqualTo("last-final-backup");
    assertThat(purging.getMetadata().getFinalizers()).contains("namidb.io/finalizer");

    Controllers.succeed(client, "last-purge");
    eventually().until(() -> Tenants.find(client, "last").isEmpty());
    assertThat(events(client, "last"))
        .extracting(Event::getReason)
        .contains("Deleting", "FinalBackup", "Purging", "Purged");
  }

  @Test
  void thePurgeRemovesTombstonesOnlyWhenTheOperatorIsToldTo() {
    NamiNamespace cr = Tenants.tenant("erase");
    TestOperatorConfig keep = TestOperatorConfig.watching("ns");
    assertThat(PurgeJob.desired(cr, keep).getSpec().getTemplate().getSpec().getContainers())
        .singleElement()
        .extracting(Container::getCommand)
        .isEqualTo(java.util.List.of("nami", "purge", "--uri", "$(NAMI_URI)", "--yes"));
    TestOperatorConfig erase = keep.withPurgeRemovingTombstones();
    assertThat(PurgeJob.desired(cr, erase).getSpec().getTemplate().getSpec().getContainers())
        .singleElement()
        .extracting(Container::getCommand)
        .isEqualTo(
            java.util.List.of(
                "nami", "purge", "--uri", "$(NAMI_URI)", "--yes", "--remove-tombstones"));
  }

  @Test
  void aFailedFinalBackupKeepsTheDataAndRetainAbandonsTheDeletion(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("stuck");
    cr.getSpec().setDeletionPolicy(DeletionPolicy.BackupThenDelete);
    cr.getSpec().setBackup(Tenants.backup(null, "s3://backups/stuck"));
    Tenants.create(client, cr);
    ready(client, "stuck");

    client.resources(NamiNamespace.class).withName("stuck").delete();
    eventually()
        .until(
            () ->
                client.apps().deployments().withName("stuck-writer").get().getSpec().getReplicas(),
            replicas -> replicas == 0);
    Controllers.rollOut(client, "stuck-writer");
    eventually()
        .until(
            () -> client.batch().v1().jobs().withName("stuck-final-backup").get(),
            Objects::nonNull);
    Controllers.fail(client, "stuck-final-backup");

    NamiNamespace failed = awaitPhase(client, "stuck", Phase.Failed);
    assertThat(condition(failed, "Ready").getReason()).isEqualTo("FinalBackupFailed");
    assertThat(condition(failed, "Ready").getMessage()).contains("the data was not deleted");
    assertThat(client.batch().v1().jobs().withName("stuck-purge").get()).isNull();

    // The user gives up on deleting the data.
    Tenants.edit(client, "stuck", r -> r.getSpec().setDeletionPolicy(DeletionPolicy.Retain));
    eventually().until(() -> Tenants.find(client, "stuck").isEmpty());
    assertThat(client.batch().v1().jobs().withName("stuck-purge").get()).isNull();
  }

  /** Creates the writer and plays its Deployment controller until the namespace is Ready. */
  static Deployment ready(KubernetesClient client, String name) {
    eventually()
        .until(
            () -> client.apps().deployments().withName(name + "-writer").get(), Objects::nonNull);
    Deployment deployment = Controllers.rollOut(client, name + "-writer");
    awaitPhase(client, name, Phase.Ready);
    return deployment;
  }
}
