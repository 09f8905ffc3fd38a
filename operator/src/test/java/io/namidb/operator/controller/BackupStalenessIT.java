package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceDeletionIT.ready;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.condition;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.ShiftableClock;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backups you can alert on: condition {@code BackupStale} once the last success is older than twice
 * the schedule's interval (the operator's clock is moved hours ahead to get there), {@code
 * status.lastSuccessfulBackup} kept while later runs fail, and the per-tenant gauges (the chart's
 * alert rules read them).
 */
@WithKubeApiServer
class BackupStalenessIT {
  static final ShiftableClock CLOCK = new ShiftableClock();
  static TestOperator operator;

  @BeforeAll
  static void startOperator(KubeTestNamespace ns) {
    operator =
        TestOperator.start(ns, TestOperatorConfig.watching(ns.name()), new FakeWriters(), CLOCK);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void backupsTurnStaleAfterTwoMissedIntervalsAndFreshWithTheNextSuccess(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("hourly");
    cr.getSpec().setBackup(Tenants.backup("0 * * * *", "s3://backups"));
    Tenants.create(client, cr);
    ready(client, "hourly");
    CronJob cronJob =
        eventually()
            .until(
                () -> client.batch().v1().cronjobs().withName("hourly-backup").get(),
                Objects::nonNull);
    NamiNamespace fresh =
        eventually()
            .until(
                () -> Tenants.get(client, "hourly"),
                r -> "Fresh".equals(condition(r, "BackupStale").getReason()));
    assertThat(condition(fresh, "BackupStale").getStatus()).isEqualTo("False");
    assertThat(condition(fresh, "BackupStale").getMessage())
        .contains("no backup has succeeded since the schedule began")
        .contains("twice the schedule's interval");
    assertThat(gauge("namidb.backup.stale", "hourly")).isZero();
    assertThat(gauge("namidb.tenant.writer.available", "hourly")).isEqualTo(1.0);
    assertThat(gauge("namidb.tenant.suspended", "hourly")).isZero();
    assertThat(
            operator
                .meters()
                .find("namidb.operator.reconcile.errors")
                .tag("name", "hourly")
                .counter()
                .count())
        .isZero();

    // three hours later, still no backup: two hourly runs missed
    CLOCK.shift(Duration.ofHours(3));
    touch(client, "hourly");
    NamiNamespace stale =
        eventually()
            .until(
                () -> Tenants.get(client, "hourly"),
                r -> "True".equals(condition(r, "BackupStale").getStatus()));
    assertThat(condition(stale, "BackupStale").getReason()).isEqualTo("Stale");
    assertThat(condition(stale, "BackupStale").getMessage())
        .contains("scheduled backups are not succeeding")
        .contains("cronjob hourly-backup");
    eventually().until(() -> gauge("namidb.backup.stale", "hourly") == 1.0);

    // back to now, and a backup succeeds
    CLOCK.shift(Duration.ZERO);
    Job run = Controllers.jobFromCronJob(client, cronJob, "hourly-backup-29000060");
    Controllers.jobPod(client, run, "hourly-backup-29000060-p1");
    Controllers.podStatus(
        client,
        "hourly-backup-29000060-p1",
        List.of(),
        List.of(
            Controllers.terminated(
                "backup",
                0,
                "backed up 12 objects, 34567 bytes\ns3://backups/hourly/20261201T230000Z-v7")));
    Controllers.succeed(client, "hourly-backup-29000060");
    NamiNamespace backedUp =
        eventually()
            .until(
                () -> Tenants.get(client, "hourly"),
                r -> "Fresh".equals(condition(r, "BackupStale").getReason()));
    var success = backedUp.getStatus().getLastSuccessfulBackup();
    assertThat(success.getLocation()).isEqualTo("s3://backups/hourly/20261201T230000Z-v7");
    assertThat(success.getBytes()).isEqualTo(34567L);
    assertThat(success.getStartTime()).isNotNull();
    assertThat(condition(backedUp, "BackupStale").getMessage())
        .contains("the last successful backup finished at " + success.getTime());
    eventually().until(() -> gauge("namidb.backup.stale", "hourly") == 0.0);
    assertThat(gauge("namidb.backup.last.success.size", "hourly")).isEqualTo(34567.0);
    assertThat(gauge("namidb.backup.last.success.timestamp", "hourly"))
        .isEqualTo(Instant.parse(success.getTime()).getEpochSecond());
    assertThat(gauge("namidb.backup.last.success.duration", "hourly")).isNotNegative();
    assertThat(gauge("namidb.backup.last.failed", "hourly")).isZero();

    // a failed run: the last backup failed, the last success is still the one before
    Controllers.jobFromCronJob(client, cronJob, "hourly-backup-29000120");
    Controllers.fail(client, "hourly-backup-29000120");
    NamiNamespace failed =
        eventually()
            .until(
                () -> Tenants.get(client, "hourly"),
                r -> Boolean.FALSE.equals(r.getStatus().getLastBackup().getSucceeded()));
    assertThat(failed.getStatus().getLastSuccessfulBackup()).isEqualTo(success);
    eventually().until(() -> gauge("namidb.backup.last.failed", "hourly") == 1.0);

    // deleting the tenant takes its gauges away
    client.resources(NamiNamespace.class).withName("hourly").delete();
    eventually().until(() -> Tenants.find(client, "hourly").isEmpty());
    eventually()
        .until(
            () ->
                operator
                    .meters()
                    .find("namidb.backup.stale")
                    .tag("name", "hourly")
                    .gauges()
                    .isEmpty());
  }

  private static double gauge(String name, String tenant) {
    Gauge gauge = operator.meters().find(name).tag("name", tenant).gauge();
    assertThat(gauge).as(name + " of " + tenant).isNotNull();
    return gauge.value();
  }

  /** A harmless spec change (a new generation), to make the operator look again now. */
  private static void touch(KubernetesClient client, String name) {
    Tenants.edit(client, name, r -> r.getSpec().getBackup().setKeepLast(8));
  }
}
