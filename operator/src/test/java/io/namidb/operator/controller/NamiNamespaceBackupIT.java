package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceDeletionIT.ready;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.env;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.NamiNamespaceBackup;
import io.namidb.operator.api.NamiNamespaceBackupSpec;
import io.namidb.operator.api.NamiNamespaceBackupStatus.BackupPhase;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.Crds;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.WithKubeApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On-demand backups as resources: a NamiNamespaceBackup waits for its NamiNamespace, runs one Job
 * (with or without a schedule), reports phase, location, size and times, is never run twice, and
 * keeps its spec as written.
 */
@WithKubeApiServer
class NamiNamespaceBackupIT {
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
  void waitsForItsNamespaceRunsOneJobAndReportsTheBackup(KubernetesClient client) {
    create(client, "before-upgrade", "acme");
    NamiNamespaceBackup waiting = awaitPhase(client, "before-upgrade", BackupPhase.Pending);
    assertThat(waiting.getStatus().getMessage()).startsWith("waiting for NamiNamespace acme in");

    // no schedule, only a destination: on-demand backups need nothing more
    NamiNamespace cr = Tenants.tenant("acme");
    cr.getSpec().setBackup(Tenants.backup(null, "s3://backups"));
    Tenants.create(client, cr);
    ready(client, "acme");
    Job job =
        eventually()
            .atMost(Duration.ofSeconds(90)) // the Pending recheck is 30 s
            .until(
                () -> client.batch().v1().jobs().withName("before-upgrade-ondemand").get(),
                Objects::nonNull);
    assertThat(job.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "acme")
        .containsEntry("app.kubernetes.io/component", "ondemand-backup")
        .containsEntry("namidb.io/backup", "before-upgrade");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("NamiNamespaceBackup");
              assertThat(ref.getName()).isEqualTo("before-upgrade");
            });
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getCommand().get(2)).contains("nami backup").doesNotContain("--keep-last");
    assertThat(env(c, "NAMI_BACKUP_TO").getValue()).isEqualTo("s3://backups/acme");
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
    awaitPhase(client, "before-upgrade", BackupPhase.Running);

    Controllers.jobPod(client, job, "before-upgrade-ondemand-p1");
    Controllers.podStatus(
        client,
        "before-upgrade-ondemand-p1",
        List.of(),
        List.of(
            Controllers.terminated(
                "backup",
                0,
                "backed up 40 objects, 123456 bytes\n"
                    + "s3://backups/acme/20261201T235900Z-v12?endpoint=http%3A%2F%2Fm%3A9000")));
    Controllers.succeed(client, "before-upgrade-ondemand");
    NamiNamespaceBackup done = awaitPhase(client, "before-upgrade", BackupPhase.Succeeded);
    assertThat(done.getStatus().getLocation()).isEqualTo("s3://backups/acme/20261201T235900Z-v12");
    assertThat(done.getStatus().getBytes()).isEqualTo(123456L);
    assertThat(done.getStatus().getStartTime()).isNotNull();
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    assertThat(done.getStatus().getJob()).isEqualTo("before-upgrade-ondemand");
    assertThat(done.getStatus().getMessage())
        .isEqualTo("backed up to s3://backups/acme/20261201T235900Z-v12");
    assertThat(done.getMetadata().getGeneration()).as("the spec as written").isEqualTo(1L);
    assertThat(done.getSpec().getNaminamespace()).isEqualTo("acme");

    // the NamiNamespace counts it as its last (successful) backup
    eventually()
        .until(
            () -> Tenants.get(client, "acme").getStatus().getLastSuccessfulBackup(),
            b -> b != null && "before-upgrade-ondemand".equals(b.getJob()));

    // finished is finished: a lost Job is not run again
    client.batch().v1().jobs().withName("before-upgrade-ondemand").delete();
    eventually()
        .until(() -> client.batch().v1().jobs().withName("before-upgrade-ondemand").get() == null);
    eventually()
        .during(Duration.ofSeconds(2))
        .until(() -> client.batch().v1().jobs().withName("before-upgrade-ondemand").get() == null);
    assertThat(get(client, "before-upgrade").getStatus().getPhase())
        .isEqualTo(BackupPhase.Succeeded);

    // the spec describes one backup and does not change
    assertThatThrownBy(
            () ->
                client
                    .resources(NamiNamespaceBackup.class)
                    .withName("before-upgrade")
                    .edit(
                        b -> {
                          b.getSpec().setNaminamespace("globex");
                          return b;
                        }))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("the spec of a NamiNamespaceBackup cannot change");
  }

  @Test
  void aFailedBackupSaysSoAndANamespaceWithoutDestinationWaits(KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("nodest"));
    create(client, "nodest-now", "nodest");
    NamiNamespaceBackup pending = awaitPhase(client, "nodest-now", BackupPhase.Pending);
    assertThat(pending.getStatus().getMessage())
        .isEqualTo(
            "NamiNamespace nodest has no spec.backup.destination: the backup starts once it has"
                + " one");
    assertThat(client.batch().v1().jobs().withName("nodest-now-ondemand").get()).isNull();

    NamiNamespace cr = Tenants.tenant("flaky");
    cr.getSpec().setBackup(Tenants.backup("@daily", "s3://backups"));
    Tenants.create(client, cr);
    create(client, "flaky-now", "flaky");
    NamiNamespaceBackup notReady = awaitPhase(client, "flaky-now", BackupPhase.Pending);
    assertThat(notReady.getStatus().getMessage())
        .startsWith("waiting for NamiNamespace flaky to be Ready, Degraded or Suspended");
    ready(client, "flaky");
    Job job =
        eventually()
            .atMost(Duration.ofSeconds(90)) // the Pending recheck is 30 s
            .until(
                () -> client.batch().v1().jobs().withName("flaky-now-ondemand").get(),
                Objects::nonNull);
    Controllers.jobPod(client, job, "flaky-now-ondemand-p1");
    Controllers.podStatus(
        client,
        "flaky-now-ondemand-p1",
        List.of(),
        List.of(Controllers.terminated("backup", 1, "nami: error: Access Denied")));
    Controllers.fail(client, "flaky-now-ondemand");
    NamiNamespaceBackup failed = awaitPhase(client, "flaky-now", BackupPhase.Failed);
    assertThat(failed.getStatus().getMessage())
        .contains("nami backup failed: nami: error: Access Denied")
        .contains("create a new NamiNamespaceBackup to try again");
    assertThat(failed.getStatus().getLocation()).isNull();
  }

  @Test
  void theCrdHasShortNameAndPrinterColumns(KubernetesClient client) {
    var crd =
        client.apiextensions().v1().customResourceDefinitions().withName(Crds.BACKUP_NAME).get();
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("nnsb");
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(col -> col.getName() + "=" + col.getJsonPath())
        .containsExactly(
            "NamiNamespace=.spec.naminamespace",
            "Phase=.status.phase",
            "Bytes=.status.bytes",
            "Location=.status.location",
            "Age=.metadata.creationTimestamp");
    assertThatThrownBy(() -> create(client, "x".repeat(55), "acme"))
        .hasMessageContaining("metadata.name: Too long: may not be more than 54");
    assertThatThrownBy(() -> create(client, "1backup", "acme"))
        .hasMessageContaining("be at most 54 characters: its Job is <name>-ondemand");
  }

  private static NamiNamespaceBackup create(KubernetesClient client, String name, String target) {
    NamiNamespaceBackup backup = new NamiNamespaceBackup();
    backup.setMetadata(new ObjectMetaBuilder().withName(name).build());
    NamiNamespaceBackupSpec spec = new NamiNamespaceBackupSpec();
    spec.setNaminamespace(target);
    backup.setSpec(spec);
    return client.resource(backup).create();
  }

  private static NamiNamespaceBackup get(KubernetesClient client, String name) {
    return client.resources(NamiNamespaceBackup.class).withName(name).get();
  }

  private static NamiNamespaceBackup awaitPhase(
      KubernetesClient client, String name, BackupPhase phase) {
    return eventually()
        .until(
            () -> get(client, name),
            b -> b != null && b.getStatus() != null && b.getStatus().getPhase() == phase);
  }
}
