package io.namidb.operator.controller;

import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.api.WriterSpec;
import io.namidb.operator.controller.WriterStatusClient.WriterReport;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reconcile scenarios against a real API server with the operator in the test JVM: create, become
 * ready, update, suspend, resume, schedule and unschedule backups, report backups; and a
 * re-reconcile of an unchanged world writes nothing. The test plays the Deployment, CronJob and Job
 * controllers by writing what they would.
 */
@WithKubeApiServer
class NamiNamespaceReconcilerIT {
  static final FakeWriters WRITERS = new FakeWriters();
  static TestOperator operator;

  @BeforeAll
  static void startOperator(KubeTestNamespace ns) {
    operator = TestOperator.start(ns, WRITERS);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void createsWriterDeploymentAndServiceExactlyAsSpecified(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("acme");
    cr.getSpec().getStorage().setEndpoint("http://minio.minio:9000");
    cr.getSpec().getStorage().setRegion("eu-west-1");
    cr.getSpec().getStorage().setCredentialsSecret("acme-creds");
    WriterSpec writer = new WriterSpec();
    writer.setPodLabels(Map.of("team", "acme"));
    writer.setPodAnnotations(Map.of("prometheus.io/scrape", "true"));
    writer.setNodeSelector(Map.of("pool", "tenants"));
    writer.setTolerations(
        List.of(
            new TolerationBuilder()
                .withKey("tenants")
                .withOperator("Exists")
                .withEffect("NoSchedule")
                .build()));
    writer.setServiceAccountName("acme-writer");
    writer.setEnv(List.of(new EnvVarBuilder().withName("JAVA_OPTS").withValue("-Xmx1g").build()));
    cr.getSpec().setWriter(writer);
    NamiNamespace created = Tenants.create(client, cr);

    Deployment deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName("acme-writer").get(), Objects::nonNull);
    assertManagedBy(deployment, created, "writer");
    var spec = deployment.getSpec();
    assertThat(spec.getReplicas()).isEqualTo(1);
    assertThat(spec.getStrategy().getType()).isEqualTo("Recreate");
    assertThat(spec.getSelector().getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/name", "namidb-writer",
                "app.kubernetes.io/instance", "acme",
                "app.kubernetes.io/component", "writer"));
    var pod = spec.getTemplate();
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("team", "acme")
        .containsEntry("app.kubernetes.io/name", "namidb-writer")
        .containsEntry("app.kubernetes.io/instance", "acme")
        .containsEntry("app.kubernetes.io/managed-by", "namidb-operator");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("pool", "tenants");
    // The resource's own toleration, then the operator's node-failure tolerations (30 s, not
    // Kubernetes' 300 s: fencing makes the early replacement safe).
    assertThat(pod.getSpec().getTolerations())
        .extracting("key", "effect", "tolerationSeconds")
        .containsExactly(
            tuple("tenants", "NoSchedule", null),
            tuple("node.kubernetes.io/not-ready", "NoExecute", 30L),
            tuple("node.kubernetes.io/unreachable", "NoExecute", 30L));
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("acme-writer");
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(60L);
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSpec().getInitContainers()).isEmpty();

    Container c = pod.getSpec().getContainers().get(0);
    assertThat(pod.getSpec().getContainers()).hasSize(1);
    assertThat(c.getName()).isEqualTo("writer");
    assertThat(c.getImage()).isEqualTo(TestOperatorConfig.IMAGE);
    assertThat(c.getCommand()).containsExactly("nami", "serve");
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    // Started once the WAL is replayed; the threshold bounds replay time (10 min at 5 s).
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
    assertThat(c.getStartupProbe().getPeriodSeconds()).isEqualTo(5);
    assertThat(c.getStartupProbe().getFailureThreshold()).isEqualTo(120);
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
    assertThat(c.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(env(c, "NAMI_URI").getValue())
        .isEqualTo(
            "s3://namidb/data?ns=acme&endpoint=http%3A%2F%2Fminio.minio%3A9000"
                + "&pathStyle=true&region=eu-west-1");
    assertThat(env(c, "NAMI_HTTP_PORT").getValue()).isEqualTo("8080");
    assertThat(env(c, "AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("acme-creds");
    assertThat(env(c, "AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("AWS_ACCESS_KEY_ID");
    assertThat(env(c, "AWS_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("AWS_SECRET_ACCESS_KEY");
    assertThat(env(c, "JAVA_OPTS").getValue()).isEqualTo("-Xmx1g");

    Service service =
        eventually().until(() -> client.services().withName("acme-writer").get(), Objects::nonNull);
    assertManagedBy(service, created, "writer");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
    assertThat(service.getSpec().getSelector()).isEqualTo(spec.getSelector().getMatchLabels());
    assertThat(client.batch().v1().cronjobs().withName("acme-backup").get()).isNull();

    NamiNamespace pending =
        eventually()
            .until(
                () -> Tenants.get(client, "acme"),
                r -> r.getStatus() != null && r.getStatus().getPhase() == Phase.Pending);
    assertThat(pending.getMetadata().getFinalizers()).containsExactly("namidb.io/finalizer");
    assertThat(pending.getStatus().getObservedGeneration())
        .isEqualTo(pending.getMetadata().getGeneration());
    assertThat(pending.getStatus().getConditions())
        .extracting(Condition::getType)
        .containsExactly(
            "Ready",
            "WriterAvailable",
            "BackupScheduled",
            "LastBackupSucceeded",
            "BackupStale",
            "WriterReachable");
    assertThat(condition(pending, "WriterAvailable").getStatus()).isEqualTo("False");
    assertThat(condition(pending, "BackupStale").getReason()).isEqualTo("NotScheduled");
    assertThat(condition(pending, "WriterReachable").getStatus()).isEqualTo("Unknown");
    assertThat(condition(pending, "WriterReachable").getReason()).isEqualTo("NotAsked");
    assertThat(condition(pending, "BackupScheduled").getReason()).isEqualTo("NoSchedule");
    assertThat(condition(pending, "LastBackupSucceeded").getStatus()).isEqualTo("Unknown");
    assertThat(pending.getStatus().getWriter().getEndpoint())
        .isEqualTo("http://acme-writer." + created.getMetadata().getNamespace() + ".svc:8080");
  }

  @Test
  void writerAndJobPodsTakeTheirTemplatesAndNoServiceAccountToken(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("templated");
    WriterSpec writer = new WriterSpec();
    writer.setPriorityClassName("tenant-high");
    writer.setImagePullSecrets(
        List.of(new io.fabric8.kubernetes.api.model.LocalObjectReference("regcred")));
    writer.setTopologySpreadConstraints(
        List.of(
            new io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("topology.kubernetes.io/zone")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .build()));
    writer.setNodeSelector(Map.of("pool", "tenants"));
    cr.getSpec().setWriter(writer);
    io.namidb.operator.api.JobsSpec jobs = new io.namidb.operator.api.JobsSpec();
    jobs.setPodLabels(Map.of("team", "acme"));
    jobs.setPodAnnotations(Map.of("sidecar.istio.io/inject", "false"));
    jobs.setNodeSelector(Map.of("pool", "batch"));
    jobs.setPriorityClassName("batch-low");
    cr.getSpec().setJobs(jobs);
    cr.getSpec().setBackup(Tenants.backup("@daily", "s3://backups"));
    Tenants.create(client, cr);

    Deployment deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName("templated-writer").get(),
                Objects::nonNull);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getPriorityClassName()).isEqualTo("tenant-high");
    assertThat(pod.getImagePullSecrets()).extracting("name").containsExactly("regcred");
    assertThat(pod.getTopologySpreadConstraints())
        .extracting("topologyKey")
        .containsExactly("topology.kubernetes.io/zone");

    CronJob cronJob =
        eventually()
            .until(
                () -> client.batch().v1().cronjobs().withName("templated-backup").get(),
                Objects::nonNull);
    var template = cronJob.getSpec().getJobTemplate().getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels())
        .containsEntry("team", "acme")
        .containsEntry("app.kubernetes.io/component", "backup")
        .containsEntry("app.kubernetes.io/instance", "templated");
    assertThat(template.getMetadata().getAnnotations())
        .containsEntry("sidecar.istio.io/inject", "false");
    assertThat(template.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(template.getSpec().getNodeSelector()).isEqualTo(Map.of("pool", "batch"));
    assertThat(template.getSpec().getPriorityClassName()).isEqualTo("batch-low");
    assertThat(template.getSpec().getImagePullSecrets())
        .extracting("name")
        .containsExactly("regcred");
    var purge = PurgeJob.desired(Tenants.get(client, "templated"), operatorConfig());
    assertThat(purge.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "acme")
        .containsEntry("app.kubernetes.io/component", "purge");
    assertThat(purge.getSpec().getTemplate().getSpec().getPriorityClassName())
        .isEqualTo("batch-low");
  }

  private static TestOperatorConfig operatorConfig() {
    return TestOperatorConfig.watching("unused");
  }

  @Test
  void becomesReadyWithEpochWhenTheWriterIsAvailable(KubernetesClient client) {
    NamiNamespace created = Tenants.create(client, Tenants.tenant("ready"));
    eventually()
        .until(() -> client.apps().deployments().withName("ready-writer").get(), Objects::nonNull);
    WRITERS.answer(
        "http://ready-writer." + created.getMetadata().getNamespace() + ".svc:8080",
        new WriterReport("ready", "WRITER", 7L, 42L, 1234L));

    Controllers.rollOut(client, "ready-writer");

    NamiNamespace ready = awaitPhase(client, "ready", Phase.Ready);
    assertThat(ready.getStatus().getWriter().getEpoch()).isEqualTo(7L);
    assertThat(ready.getStatus().getWriter().getManifestVersion()).isEqualTo(42L);
    assertThat(condition(ready, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(ready, "WriterAvailable").getStatus()).isEqualTo("True");
    assertThat(events(client, "ready"))
        .extracting(Event::getReason)
        .contains("Pending", "Ready", "WriterReady");

    // Losing the writer after it was ready is Degraded, not Pending.
    Controllers.unavailable(client, "ready-writer");
    NamiNamespace degraded = awaitPhase(client, "ready", Phase.Degraded);
    assertThat(condition(degraded, "WriterAvailable").getStatus()).isEqualTo("False");
    assertThat(events(client, "ready")).extracting(Event::getType).contains("Warning");
  }

  @Test
  void imageOrResourceChangeUpdatesOnlyTheDeployment(KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("update"));
    Deployment before =
        eventually()
            .until(
                () -> client.apps().deployments().withName("update-writer").get(),
                Objects::nonNull);
    Service service =
        eventually()
            .until(() -> client.services().withName("update-writer").get(), Objects::nonNull);

    Tenants.edit(
        client,
        "update",
        cr -> {
          WriterSpec writer = new WriterSpec();
          writer.setImage("registry.example/namidb-writer:2.0");
          writer.setResources(
              new ResourceRequirementsBuilder()
                  .addToRequests("cpu", new Quantity("2"))
                  .addToRequests("memory", new Quantity("4Gi"))
                  .addToLimits("memory", new Quantity("4Gi"))
                  .build());
          cr.getSpec().setWriter(writer);
        });

    Deployment after =
        eventually()
            .until(
                () -> client.apps().deployments().withName("update-writer").get(),
                d ->
                    d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage()
                        .equals("registry.example/namidb-writer:2.0"));
    Container c = after.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getResources().getRequests())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("4Gi"));
    assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(client.services().withName("update-writer").get().getMetadata().getResourceVersion())
        .isEqualTo(service.getMetadata().getResourceVersion());
  }

  @Test
  void aTemplateChangeIsProgressingNotReadyUntilTheNewPodIsAvailable(KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("rolling"));
    eventually()
        .until(
            () -> client.apps().deployments().withName("rolling-writer").get(), Objects::nonNull);
    Controllers.rollOut(client, "rolling-writer");
    awaitPhase(client, "rolling", Phase.Ready);

    // The old pod still serves and the Deployment controller has not observed the new template.
    Tenants.edit(client, "rolling", cr -> writer(cr).setImage("registry.example/namidb-writer:2"));
    NamiNamespace progressing =
        eventually()
            .until(
                () -> Tenants.get(client, "rolling"),
                r -> "Progressing".equals(condition(r, "Ready").getReason()));
    assertThat(condition(progressing, "Ready").getStatus()).isEqualTo("False");
    assertThat(progressing.getStatus().getPhase()).isEqualTo(Phase.Pending);
    assertThat(events(client, "rolling")).noneMatch(e -> "Warning".equals(e.getType()));

    Controllers.rollOut(client, "rolling-writer");
    NamiNamespace ready = awaitPhase(client, "rolling", Phase.Ready);
    assertThat(condition(ready, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void suspendScalesToZeroAndResumeScalesBack(KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("sleepy"));
    eventually()
        .until(() -> client.apps().deployments().withName("sleepy-writer").get(), Objects::nonNull);
    Controllers.rollOut(client, "sleepy-writer");
    awaitPhase(client, "sleepy", Phase.Ready);

    Tenants.edit(client, "sleepy", cr -> writer(cr).setSuspend(true));
    eventually()
        .until(
            () ->
                client.apps().deployments().withName("sleepy-writer").get().getSpec().getReplicas(),
            replicas -> replicas == 0);
    Controllers.rollOut(client, "sleepy-writer");
    NamiNamespace suspended = awaitPhase(client, "sleepy", Phase.Suspended);
    assertThat(condition(suspended, "WriterAvailable").getReason()).isEqualTo("Suspended");
    assertThat(condition(suspended, "Ready").getReason()).isEqualTo("Suspended");

    Tenants.edit(client, "sleepy", cr -> writer(cr).setSuspend(false));
    eventually()
        .until(
            () ->
                client.apps().deployments().withName("sleepy-writer").get().getSpec().getReplicas(),
            replicas -> replicas == 1);
    Controllers.rollOut(client, "sleepy-writer");
    awaitPhase(client, "sleepy", Phase.Ready);
  }

  @Test
  void aSecondResourceNamingTheSameNamespaceGetsAConflictNoWriterAndItsDeletionPurgesNothing(
      KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("holder"));
    eventually()
        .until(() -> client.apps().deployments().withName("holder-writer").get(), Objects::nonNull);
    Controllers.rollOut(client, "holder-writer");
    awaitPhase(client, "holder", Phase.Ready);

    // The same namespace, spelled differently (a trailing slash on the path). Created within the
    // same second as the holder, the rule's tie-break (namespace, then name) still picks "holder".
    NamiNamespace dup = Tenants.tenant("second");
    dup.getSpec().getStorage().setUri("s3://namidb/data/?ns=holder");
    dup.getSpec().setDeletionPolicy(io.namidb.operator.api.DeletionPolicy.Delete);
    dup.getSpec().setBackup(Tenants.backup("0 * * * *", "s3://backups/dup"));
    Tenants.create(client, dup);
    NamiNamespace conflicted = awaitPhase(client, "second", Phase.Failed);
    assertThat(condition(conflicted, "Ready").getReason()).isEqualTo("Conflict");
    assertThat(condition(conflicted, "Ready").getMessage())
        .contains(Tenants.get(client, "holder").getMetadata().getNamespace() + "/holder");
    assertThat(condition(conflicted, "WriterAvailable").getReason()).isEqualTo("Conflict");
    assertThat(condition(conflicted, "BackupScheduled").getReason()).isEqualTo("Conflict");
    assertThat(client.apps().deployments().withName("second-writer").get()).isNull();
    assertThat(client.services().withName("second-writer").get()).isNull();
    assertThat(client.batch().v1().cronjobs().withName("second-backup").get()).isNull();

    // Deleting the duplicate with policy Delete must not purge the holder's data, and must say
    // so: the data stays, held by the named resource (not "purged").
    client.resource(Tenants.get(client, "second")).delete();
    eventually().until(() -> Tenants.find(client, "second").isEmpty());
    String holder = Tenants.get(client, "holder").getMetadata().getNamespace() + "/holder";
    Event deleted =
        eventually()
            .until(
                () ->
                    events(client, "second").stream()
                        .filter(e -> "HeldByOtherResource".equals(e.getReason()))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    assertThat(deleted.getType()).isEqualTo("Warning");
    assertThat(deleted.getMessage())
        .contains(
            "another NamiNamespace, " + holder + ", uses the same storage namespace",
            "deletionPolicy Delete was not carried out",
            "the data stays in object storage untouched",
            "uri=s3://namidb/data/?ns=holder")
        .doesNotContain("was purged");
    assertThat(events(client, "second"))
        .extracting(Event::getReason)
        .doesNotContain("Purged", "Purging", "FinalBackup");
    assertThat(
            operator
                .meters()
                .get("namidb.operator.deletions.data.retained")
                .tag("reason", "HeldByOtherResource")
                .counter()
                .count())
        .isEqualTo(1.0);
    // The data is untouched: no Job ran for the duplicate (no purge, no final backup), and the
    // holder's writer still runs.
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .withLabel("app.kubernetes.io/instance", "second")
                .list()
                .getItems())
        .isEmpty();
    assertThat(Tenants.get(client, "holder").getStatus().getPhase()).isEqualTo(Phase.Ready);
    assertThat(client.apps().deployments().withName("holder-writer").get().getSpec().getReplicas())
        .isEqualTo(1);
  }

  @Test
  void aFencedWriterPodIsReportedAsFencedWithWhoHoldsTheNamespace(KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("zombie"));
    var deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName("zombie-writer").get(),
                Objects::nonNull);
    // A running writer pod that is not ready: its /v1/status says FENCED.
    Controllers.writerPod(client, deployment, "zombie-writer-1");
    WRITERS.answer(
        "http://10.9.9.9:8080",
        new WriterReport(
            "zombie",
            "FENCED",
            3L,
            9L,
            20L,
            "fenced: another writer wrote manifest version 10. ourEpoch=3 theirEpoch=4",
            "w-zombie",
            new WriterStatusClient.Holder("w-elsewhere", 4L, 10L, null)));
    client
        .pods()
        .withName("zombie-writer-1")
        .editStatus(
            p -> {
              p.setStatus(
                  new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                      .withPhase("Running")
                      .withPodIP("10.9.9.9")
                      .withContainerStatuses(Controllers.running("writer"))
                      .build());
              return p;
            });

    NamiNamespace fenced =
        eventually()
            .until(
                () -> Tenants.get(client, "zombie"),
                r ->
                    r.getStatus() != null
                        && "Fenced".equals(condition(r, "WriterAvailable").getReason()));
    assertThat(condition(fenced, "WriterAvailable").getMessage())
        .contains("theirEpoch=4")
        .contains("the namespace is held by writerId=w-elsewhere epoch=4");
    assertThat(condition(fenced, "Ready").getReason()).isEqualTo("Fenced");
    // The fenced writer's epoch is not the namespace's: the status does not take it.
    assertThat(fenced.getStatus().getWriter().getEpoch()).isNull();
  }

  @Test
  void backupScheduleMakesACronJobWhoseJobsReportTheLastBackup(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("backed");
    cr.getSpec().getStorage().setCredentialsSecret("backed-creds");
    cr.getSpec().setBackup(Tenants.backup("0 */6 * * *", "s3://backups/backed"));
    cr.getSpec().getBackup().getDestination().setEndpoint("http://minio.backup:9000");
    cr.getSpec().getBackup().getDestination().setCredentialsSecret("backup-creds");
    NamiNamespace created = Tenants.create(client, cr);
    eventually()
        .until(() -> client.apps().deployments().withName("backed-writer").get(), Objects::nonNull);
    Controllers.rollOut(client, "backed-writer");

    CronJob cronJob =
        eventually()
            .until(
                () -> client.batch().v1().cronjobs().withName("backed-backup").get(),
                Objects::nonNull);
    assertManagedBy(cronJob, created, "backup");
    assertThat(cronJob.getSpec().getSchedule()).isEqualTo("0 */6 * * *");
    assertThat(cronJob.getSpec().getSuspend()).isFalse();
    assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cronJob.getSpec().getTimeZone()).isEqualTo("Etc/UTC");
    // One stuck backup must not block every later run (Forbid): a deadline and a backoff limit.
    assertThat(cronJob.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds())
        .isEqualTo(7200L);
    assertThat(cronJob.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isEqualTo(2);
    var jobPod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate();
    assertThat(jobPod.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "backed");
    assertThat(jobPod.getSpec().getRestartPolicy()).isEqualTo("Never");
    Container c = jobPod.getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(TestOperatorConfig.IMAGE);
    assertThat(c.getCommand()).hasSize(3).startsWith("/bin/sh", "-c");
    assertThat(c.getCommand().get(2))
        .contains(
            "nami backup --uri \"$NAMI_URI\" --to \"$NAMI_BACKUP_TO\" --keep-last"
                + " \"$NAMI_BACKUP_KEEP_LAST\"")
        .contains("/dev/termination-log");
    assertThat(env(c, "NAMI_URI").getValue()).isEqualTo("s3://namidb/data?ns=backed");
    assertThat(env(c, "NAMI_BACKUP_TO").getValue())
        .isEqualTo("s3://backups/backed?endpoint=http%3A%2F%2Fminio.backup%3A9000&pathStyle=true");
    assertThat(env(c, "NAMI_BACKUP_KEEP_LAST").getValue()).isEqualTo("7");
    assertThat(env(c, "AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("backed-creds");
    assertThat(env(c, "NAMI_TO_AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("backup-creds");
    NamiNamespace scheduled =
        eventually()
            .until(
                () -> Tenants.get(client, "backed"),
                r -> "True".equals(condition(r, "BackupScheduled").getStatus()));
    assertThat(condition(scheduled, "BackupScheduled").getMessage()).contains("0 */6 * * *");

    // The CronJob controller runs a backup; it succeeds and prints its location. The status keeps
    // the location without the store's parameters (those are spec.backup.destination's), so that
    // it can go into spec.restore.from next to restore.endpoint as it is.
    Job job = Controllers.jobFromCronJob(client, cronJob, "backed-backup-29001");
    Controllers.jobPod(client, job, "backed-backup-29001-x1");
    Controllers.podStatus(
        client,
        "backed-backup-29001-x1",
        List.of(),
        List.of(
            Controllers.terminated(
                "backup",
                0,
                "s3://backups/backed/20261124T060000Z-v42?endpoint=http%3A%2F%2Fminio%3A9000"
                    + "&region=us-east-1&pathStyle=true\n")));
    Job done = Controllers.succeed(client, "backed-backup-29001");
    NamiNamespace backedUp =
        eventually()
            .until(
                () -> Tenants.get(client, "backed"),
                r ->
                    r.getStatus().getLastBackup() != null
                        && r.getStatus().getLastBackup().getLocation() != null);
    assertThat(backedUp.getStatus().getLastBackup().getLocation())
        .isEqualTo("s3://backups/backed/20261124T060000Z-v42");
    assertThat(backedUp.getStatus().getLastBackup().getSucceeded()).isTrue();
    assertThat(backedUp.getStatus().getLastBackup().getTime())
        .isEqualTo(done.getStatus().getCompletionTime());
    assertThat(condition(backedUp, "LastBackupSucceeded").getStatus()).isEqualTo("True");
    assertThat(backedUp.getStatus().getPhase()).isEqualTo(Phase.Ready);

    // The next one fails: the namespace is Degraded and says why.
    Job second = Controllers.jobFromCronJob(client, cronJob, "backed-backup-29002");
    Controllers.jobPod(client, second, "backed-backup-29002-x1");
    Controllers.podStatus(
        client,
        "backed-backup-29002-x1",
        List.of(),
        List.of(Controllers.terminated("backup", 1, "access denied. bucket=backups")));
    Controllers.fail(client, "backed-backup-29002");
    NamiNamespace failed = awaitPhase(client, "backed", Phase.Degraded);
    assertThat(condition(failed, "LastBackupSucceeded").getStatus()).isEqualTo("False");
    assertThat(condition(failed, "LastBackupSucceeded").getMessage())
        .contains("job=backed-backup-29002")
        .contains("access denied. bucket=backups");
    assertThat(failed.getStatus().getLastBackup().getSucceeded()).isFalse();
    assertThat(events(client, "backed"))
        .extracting(Event::getReason)
        .contains("BackupSucceeded", "BackupFailed", "Scheduled");

    // Suspending the tenant suspends its scheduled backups too (keepLast would rotate real
    // history out while nothing changes), and resuming it resumes them.
    Tenants.edit(client, "backed", r -> writer(r).setSuspend(true));
    awaitCronJobSuspended(client, "backed-backup", true);
    eventually()
        .until(
            () -> Tenants.get(client, "backed"),
            r -> "WriterSuspended".equals(condition(r, "BackupScheduled").getReason()));
    Tenants.edit(client, "backed", r -> writer(r).setSuspend(false));
    awaitCronJobSuspended(client, "backed-backup", false);

    // Suspending backups suspends the CronJob.
    Tenants.edit(client, "backed", r -> r.getSpec().getBackup().setSuspend(true));
    awaitCronJobSuspended(client, "backed-backup", true);

    // Removing the schedule removes the CronJob.
    Tenants.edit(client, "backed", r -> r.getSpec().getBackup().setSchedule(null));
    eventually()
        .until(() -> client.batch().v1().cronjobs().withName("backed-backup").get() == null);
    eventually()
        .until(
            () -> Tenants.get(client, "backed"),
            r -> "NoSchedule".equals(condition(r, "BackupScheduled").getReason()));
  }

  @Test
  void reReconcilingAnUnchangedWorldWritesNothing(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("steady");
    cr.getSpec().setBackup(Tenants.backup("@daily", "s3://backups/steady"));
    Tenants.create(client, cr);
    eventually()
        .until(
            () -> client.batch().v1().cronjobs().withName("steady-backup").get(), Objects::nonNull);
    Deployment deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName("steady-writer").get(),
                Objects::nonNull);
    Controllers.rollOut(client, "steady-writer");
    awaitPhase(client, "steady", Phase.Ready);
    eventually()
        .until(
            () -> Tenants.get(client, "steady"),
            r -> "True".equals(condition(r, "BackupScheduled").getStatus()));
    Map<String, String> versions = versions(client, "steady");

    // A pod event makes the operator reconcile again.
    int before = operator.reconciliations(Tenants.get(client, "steady"));
    Controllers.writerPod(
        client, client.apps().deployments().withName("steady-writer").get(), "steady-writer-abc");
    eventually().until(() -> operator.reconciliations(Tenants.get(client, "steady")) > before);

    assertThat(versions(client, "steady")).isEqualTo(versions);
    assertThat(deployment).isNotNull();
  }

  static Map<String, String> versions(KubernetesClient client, String name) {
    return Map.of(
        "nns", Tenants.get(client, name).getMetadata().getResourceVersion(),
        "deployment",
            client
                .apps()
                .deployments()
                .withName(name + "-writer")
                .get()
                .getMetadata()
                .getResourceVersion(),
        "service",
            client.services().withName(name + "-writer").get().getMetadata().getResourceVersion(),
        "cronjob",
            Optional.ofNullable(client.batch().v1().cronjobs().withName(name + "-backup").get())
                .map(c -> c.getMetadata().getResourceVersion())
                .orElse("none"));
  }

  static NamiNamespace awaitPhase(KubernetesClient client, String name, Phase phase) {
    return eventually()
        .until(
            () -> Tenants.get(client, name),
            r -> r.getStatus() != null && r.getStatus().getPhase() == phase);
  }

  static Condition condition(NamiNamespace cr, String type) {
    return cr.getStatus().condition(type).orElseThrow();
  }

  static List<Event> events(KubernetesClient client, String name) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  static EnvVar env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> name.equals(e.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name + " in " + container.getEnv()));
  }

  static void awaitCronJobSuspended(KubernetesClient client, String cronJob, boolean suspended) {
    eventually()
        .until(
            () -> client.batch().v1().cronjobs().withName(cronJob).get().getSpec().getSuspend(),
            s -> Boolean.valueOf(suspended).equals(s));
  }

  static WriterSpec writer(NamiNamespace cr) {
    if (cr.getSpec().getWriter() == null) {
      cr.getSpec().setWriter(new WriterSpec());
    }
    return cr.getSpec().getWriter();
  }

  static void assertManagedBy(HasMetadata object, NamiNamespace owner, String component) {
    assertThat(object.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "namidb-writer")
        .containsEntry("app.kubernetes.io/instance", owner.getMetadata().getName())
        .containsEntry("app.kubernetes.io/managed-by", "namidb-operator")
        .containsEntry("app.kubernetes.io/component", component);
    OwnerReference ref = object.getMetadata().getOwnerReferences().get(0);
    assertThat(object.getMetadata().getOwnerReferences()).hasSize(1);
    assertThat(ref.getKind()).isEqualTo("NamiNamespace");
    assertThat(ref.getApiVersion()).isEqualTo("namidb.io/v1alpha1");
    assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
    assertThat(ref.getController()).isTrue();
  }
}
