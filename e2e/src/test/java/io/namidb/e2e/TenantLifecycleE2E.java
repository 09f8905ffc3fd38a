package io.namidb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A tenant's life on real nodes, the way the README's "Run on Kubernetes" section runs it: the
 * operator installed with helm, the examples applied with kubectl (adapted to dev/cluster's MinIO
 * by the overlays in the test resources), writes and reads through the tenant's Service, suspend,
 * an on-demand backup (a NamiNamespaceBackup), a second tenant restored from it (and rebuilt as
 * GitOps would, without its status), each deletion policy, and the deletion of the Kubernetes
 * namespace that holds a tenant whose policy is Delete.
 */
@ExtendWith(Diagnostics.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantLifecycleE2E {
  private static final Duration START = Duration.ofMinutes(3);

  private static Cluster cluster;
  private static Tenants tenants;

  @BeforeAll
  static void setUp() {
    cluster = Cluster.get();
    NamiOperator.ensureInstalled(cluster);
    for (String bucket : List.of("my-bucket", "namidb", "namidb-backups")) {
      cluster.ensureBucket(bucket);
    }
    assertThat(cluster.s3Endpoint())
        .as("the overlays name dev/cluster's MinIO")
        .isEqualTo("http://10.231.0.1:9000");
    tenants = Tenants.inFreshNamespace(cluster, "e2e-lifecycle");
  }

  @Test
  @Order(1)
  void operatorRunsAsTwoPodsUnderTheChartsServiceAccountAndAStandbyTakesOverFromAKilledLeader() {
    await("both operator replicas ready")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> operatorPods().stream().filter(Tenants::ready).count() == 2);
    List<Pod> pods = operatorPods();
    assertThat(pods).hasSize(2);
    for (Pod operator : pods) {
      assertThat(operator.getSpec().getServiceAccountName()).isEqualTo("namidb-operator");
      assertThat(operator.getSpec().getContainers().get(0).getImage())
          .isEqualTo("ghcr.io/namidb/namidb-operator:0.1.0");
      assertThat(operator.getSpec().getNodeName()).isIn(cluster.nodes());
    }

    // one of them holds the Lease; kill it (no goodbye) and the other takes over
    Pod leader = NamiOperator.leader(cluster);
    cluster
        .kubectl(
            "-n",
            NamiOperator.NAMESPACE,
            "delete",
            "pod",
            leader.getMetadata().getName(),
            "--grace-period=0",
            "--force")
        .requireSuccess();
    await("the standby takes the Lease")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              String holder = NamiOperator.leaseHolder(cluster);
              return !holder.isEmpty()
                  && !holder.equals(leader.getMetadata().getName())
                  && operatorPods().stream()
                      .anyMatch(p -> p.getMetadata().getName().equals(holder));
            });
    // the later tests reconcile every tenant through the new leader
  }

  @Test
  @Order(2)
  void acmeServesThroughItsServiceKeepsItsDataOverSuspendAndRetainsItOnDeletion() throws Exception {
    try (S3Client s3 = cluster.s3()) {
      Graph.deletePrefix(s3, "my-bucket", "data/tenant-acme/");
    }
    tenants.applyOverlay("tenant-acme", Map.of());
    tenants.awaitPhase("tenant-acme", "Ready", START);

    Pod writer = tenants.readyWriter("tenant-acme").orElseThrow();
    assertThat(writer.getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/namidb/namidb-writer:0.1.0");
    assertThat(writer.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/q/health/ready");
    String table =
        cluster.kubectl("-n", tenants.namespace(), "get", "nns").requireSuccess().stdout();
    long epoch = tenants.epoch("tenant-acme");
    assertThat(epoch).isPositive();
    assertThat(table).containsPattern("(?m)^tenant-acme\\s+Ready\\s+" + epoch + "\\s");

    WriterApi api = tenants.api("tenant-acme");
    Graph.write(api);
    Graph.assertServed(api);

    tenants.patchSpec("tenant-acme", "{\"spec\":{\"writer\":{\"suspend\":true}}}");
    tenants.awaitPhase("tenant-acme", "Suspended", START);
    await("no writer pod while suspended")
        .atMost(START)
        .until(() -> tenants.writerPods("tenant-acme").isEmpty());
    tenants.patchSpec("tenant-acme", "{\"spec\":{\"writer\":{\"suspend\":false}}}");
    tenants.awaitPhase("tenant-acme", "Ready", START);
    await("a newer epoch after resume")
        .atMost(START)
        .until(() -> tenants.epoch("tenant-acme") > epoch);
    Graph.assertServed(api);

    tenants.delete("tenant-acme", Duration.ofMinutes(2));
    await("the tenant's objects are gone from the cluster")
        .atMost(START)
        .until(() -> nothingOfTheTenantLeft("tenant-acme"));
    try (S3Client s3 = cluster.s3()) {
      assertThat(Graph.objects(s3, "my-bucket", "data/tenant-acme/"))
          .as("Retain keeps the data")
          .anyMatch(k -> k.contains("/manifest/"))
          .anyMatch(k -> k.contains("/wal/"));
    }
  }

  @Test
  @Order(3)
  void globexBacksUpOnDemandInitechRestoresFromItAndBothDeletionPoliciesErase() throws Exception {
    try (S3Client s3 = cluster.s3()) {
      Graph.deletePrefix(s3, "namidb", "data/tenant-globex/");
      Graph.deletePrefix(s3, "namidb", "data/tenant-initech/");
      Graph.deletePrefix(s3, "namidb-backups", "tenant-globex/");
    }
    tenants.applyOverlay("tenant-globex", Map.of());
    tenants.awaitPhase("tenant-globex", "Ready", START);
    Graph.write(tenants.api("tenant-globex"));

    // A backup now, declaratively: examples/tenant-globex-backup-now.yaml, a NamiNamespaceBackup.
    cluster
        .kubectl("-n", tenants.namespace(), "apply", "-f", "examples/tenant-globex-backup-now.yaml")
        .requireSuccess();
    String backup = "tenant-globex-before-upgrade";
    await("the NamiNamespaceBackup succeeds")
        .atMost(START)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> "Succeeded".equals(nnsb(backup, "{.status.phase}")));
    assertThat(succeeded(job(backup + "-ondemand"))).isTrue();
    String location = nnsb(backup, "{.status.location}");
    assertThat(location).startsWith("s3://namidb-backups/tenant-globex/");
    assertThat(Long.parseLong(nnsb(backup, "{.status.bytes}"))).isPositive();
    String table =
        cluster.kubectl("-n", tenants.namespace(), "get", "nnsb").requireSuccess().stdout();
    assertThat(table).containsPattern("(?m)^" + backup + "\\s+tenant-globex\\s+Succeeded\\s+\\d+");
    await("the NamiNamespace counts it as its last backup")
        .atMost(START)
        .until(() -> location.equals(lastBackupLocation("tenant-globex")));
    Object bytes =
        Tenants.path(
            tenants.find("tenant-globex").orElseThrow(), "status", "lastSuccessfulBackup", "bytes");
    assertThat(((Number) bytes).longValue())
        .as("the size line of nami backup reached the status through the pod")
        .isPositive();
    String metrics = operatorMetrics();
    assertThat(metrics)
        .containsPattern(
            "(?m)^namidb_backup_last_success_size_bytes\\{[^}]*name=\"tenant-globex\"[^}]*\\} "
                + ((Number) bytes).longValue()
                + "(\\.0)?$")
        .containsPattern(
            "(?m)^namidb_backup_stale\\{[^}]*name=\"tenant-globex\"[^}]*\\} 0(\\.0)?$");

    String record;
    try (S3Client s3 = cluster.s3()) {
      String folder = location.substring("s3://namidb-backups/".length());
      record = Graph.text(s3, "namidb-backups", folder + "/backup.json");
    }
    assertThat(record)
        .as("the backup says whose it is, so pruning never touches another tenant's")
        .contains("\"source\":\"s3://namidb/data/tenant-globex\"");

    tenants.applyOverlay("tenant-initech", Map.of("BACKUP_LOCATION", location));
    tenants.awaitPhase("tenant-initech", "Ready", START);
    WriterApi initech = tenants.api("tenant-initech");
    Graph.assertServed(initech);
    // written after the restore: a second restore would lose it
    initech.post("/v1/write", Graph.AFTER_RESTORE).require(200);
    String marker;
    try (S3Client s3 = cluster.s3()) {
      marker = Graph.text(s3, "namidb", "data/tenant-initech/restore.json");
    }
    assertThat(marker).contains(location);

    // A GitOps rebuild: the resource goes (its data stays) and the same manifest is applied
    // again, without status. The restore finds its own marker and the tenant comes up with its
    // data, the write after the restore included, not Failed.
    tenants.patchSpec("tenant-initech", "{\"spec\":{\"deletionPolicy\":\"Retain\"}}");
    tenants.delete("tenant-initech", Duration.ofMinutes(2));
    await("initech's objects are gone from the cluster before the rebuild")
        .atMost(START)
        .until(() -> nothingOfTheTenantLeft("tenant-initech"));
    tenants.applyOverlay("tenant-initech", Map.of("BACKUP_LOCATION", location));
    tenants.awaitPhase("tenant-initech", "Ready", START);
    initech = tenants.api("tenant-initech");
    Graph.assertServed(initech);
    initech.get(Graph.AFTER_RESTORE_PATH).require(200);
    try (S3Client s3 = cluster.s3()) {
      assertThat(Graph.text(s3, "namidb", "data/tenant-initech/restore.json"))
          .as("the rebuild restored nothing")
          .isEqualTo(marker);
    }

    tenants.delete("tenant-initech", Duration.ofMinutes(3));
    await("initech's objects are gone from the cluster")
        .atMost(START)
        .until(() -> nothingOfTheTenantLeft("tenant-initech"));
    // A NamiNamespaceBackup is a record that outlives nothing on its own: deleting it takes its
    // Job and pod (garbage collection by owner), not the backup it wrote (counted below).
    cluster
        .kubectl("-n", tenants.namespace(), "delete", "nnsb", backup, "--wait=true")
        .requireSuccess();
    await("the NamiNamespaceBackup's Job is collected with it")
        .atMost(START)
        .until(() -> job(backup + "-ondemand") == null);
    tenants.delete("tenant-globex", Duration.ofMinutes(3));
    await("globex's objects are gone from the cluster")
        .atMost(START)
        .until(() -> nothingOfTheTenantLeft("tenant-globex"));

    try (S3Client s3 = cluster.s3()) {
      assertThat(Graph.objectsHoldingTenantData(s3, "namidb", "data/tenant-initech/"))
          .as("Delete leaves no tenant data under the prefix")
          .isEmpty();
      assertThat(Graph.objectsHoldingTenantData(s3, "namidb", "data/tenant-globex/"))
          .as("BackupThenDelete leaves no tenant data under the prefix")
          .isEmpty();
      List<String> backups = Graph.objects(s3, "namidb-backups", "tenant-globex/");
      assertThat(
              backups.stream()
                  .map(k -> k.substring(0, k.indexOf('/', "tenant-globex/".length()) + 1))
                  .distinct())
          .as("the on-demand backup and the final backup of BackupThenDelete")
          .hasSize(2);
    }
  }

  @Test
  @Order(4)
  void deletingTheKubernetesNamespaceOfADeleteTenantFinishesAndKeepsTheData() throws Exception {
    try (S3Client s3 = cluster.s3()) {
      Graph.deletePrefix(s3, "my-bucket", "data/tenant-acme/");
    }
    Tenants doomed = Tenants.inFreshNamespace(cluster, "e2e-nsdelete");
    doomed.applyOverlay("tenant-acme", Map.of());
    doomed.patchSpec("tenant-acme", "{\"spec\":{\"deletionPolicy\":\"Delete\"}}");
    doomed.awaitPhase("tenant-acme", "Ready", START);
    Graph.write(doomed.api("tenant-acme"));

    // No Job can start in a terminating namespace: the operator must let the resource go (else
    // the namespace hangs in Terminating) and keep the data, which it logs and counts.
    cluster.kubectl("delete", "namespace", doomed.namespace(), "--wait=false").requireSuccess();
    await("the Kubernetes namespace is gone")
        .atMost(START)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                cluster
                    .kubectl(
                        "get", "namespace", doomed.namespace(), "--ignore-not-found", "-o", "name")
                    .requireSuccess()
                    .stdout()
                    .isBlank());
    try (S3Client s3 = cluster.s3()) {
      assertThat(Graph.objects(s3, "my-bucket", "data/tenant-acme/"))
          .as("the data stays: the purge could not run")
          .anyMatch(k -> k.contains("/manifest/"))
          .anyMatch(k -> k.contains("/wal/"));
    }
    assertThat(operatorMetrics())
        .containsPattern(
            "(?m)^namidb_operator_deletions_data_retained_total\\{[^}]*reason=\"DataRetained\"[^}]*\\}"
                + " [1-9]");
  }

  private static List<Pod> operatorPods() {
    return cluster
        .client()
        .pods()
        .inNamespace(NamiOperator.NAMESPACE)
        .withLabel("app.kubernetes.io/name", "namidb-operator")
        .list()
        .getItems();
  }

  /** The leading operator pod's /q/metrics, fetched by its pod IP from the host. */
  private static String operatorMetrics() throws Exception {
    Pod operator = NamiOperator.leader(cluster);
    WriterApi api =
        new WriterApi(
            "http://" + operator.getStatus().getPodIP() + ":8080", Duration.ofSeconds(10));
    return api.get("/q/metrics").require(200).body();
  }

  /** A field of NamiNamespaceBackup {@code name}, by kubectl's JSONPath. */
  private static String nnsb(String name, String jsonPath) {
    return cluster
        .kubectl("-n", tenants.namespace(), "get", "nnsb", name, "-o", "jsonpath=" + jsonPath)
        .requireSuccess()
        .stdout()
        .strip();
  }

  private static Job job(String name) {
    return cluster
        .client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(tenants.namespace())
        .withName(name)
        .get();
  }

  private static boolean succeeded(Job job) {
    return job != null
        && job.getStatus() != null
        && job.getStatus().getSucceeded() != null
        && job.getStatus().getSucceeded() > 0;
  }

  private static String lastBackupLocation(String name) {
    return tenants
        .find(name)
        .map(
            r ->
                Boolean.TRUE.equals(Tenants.path(r, "status", "lastBackup", "succeeded"))
                    ? (String) Tenants.path(r, "status", "lastBackup", "location")
                    : null)
        .orElse(null);
  }

  /**
   * No NamiNamespace, Deployment, Service, CronJob, Job, pod, Secret or NetworkPolicy of the tenant
   * is left.
   */
  private static boolean nothingOfTheTenantLeft(String name) {
    var client = cluster.client();
    String ns = tenants.namespace();
    String selector = "app.kubernetes.io/instance";
    return tenants.find(name).isEmpty()
        && client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withLabel(selector, name)
            .list()
            .getItems()
            .isEmpty()
        && client.services().inNamespace(ns).withLabel(selector, name).list().getItems().isEmpty()
        && client
            .batch()
            .v1()
            .cronjobs()
            .inNamespace(ns)
            .withLabel(selector, name)
            .list()
            .getItems()
            .isEmpty()
        && client
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .withLabel(selector, name)
            .list()
            .getItems()
            .isEmpty()
        && client.pods().inNamespace(ns).withLabel(selector, name).list().getItems().isEmpty()
        && client.secrets().inNamespace(ns).withLabel(selector, name).list().getItems().isEmpty()
        && client
            .network()
            .networkPolicies()
            .inNamespace(ns)
            .withLabel(selector, name)
            .list()
            .getItems()
            .isEmpty();
  }
}
