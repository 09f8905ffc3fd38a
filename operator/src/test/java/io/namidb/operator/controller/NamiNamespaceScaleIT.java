package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.WithKubeApiServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Scale: 300 NamiNamespaces created at once all reach their objects (writer Deployment and Service,
 * a backup CronJob for every other one) and a status. A benchmark, not a timed test: it reports the
 * time and the heap (test JVM, which holds the operator) to stdout and {@code
 * target/scale-report.txt} and asserts only that everything arrives.
 */
@WithKubeApiServer
class NamiNamespaceScaleIT {
  static final int COUNT = 300;
  static final String SELECTOR = "app.kubernetes.io/managed-by=namidb-operator";

  @Test
  @SuppressWarnings("try") // the operator runs while the block runs
  void threeHundredNamespacesAllReachTheirObjects(KubeTestNamespace ns, KubernetesClient client)
      throws Exception {
    Controllers.addServiceCidr(client, "scale-test", "10.1.0.0/22");
    long heapBefore = usedHeapAfterGc();
    try (TestOperator operator = TestOperator.start(ns, new FakeWriters())) {
      long start = System.nanoTime();
      ExecutorService creators =
          Executors.newFixedThreadPool(
              8, r -> new Thread(r, "scale-creator-" + Integer.toHexString(r.hashCode())));
      for (int i = 0; i < COUNT; i++) {
        int n = i;
        creators.submit(
            () -> {
              NamiNamespace cr = Tenants.tenant(String.format("tenant-%03d", n));
              if (n % 2 == 0) {
                cr.getSpec().setBackup(Tenants.backup("0 */6 * * *", "s3://backups/t" + n));
              }
              return Tenants.create(client, cr);
            });
      }
      creators.shutdown();
      assertThat(creators.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
      long created = System.nanoTime();

      Awaitility.await()
          .atMost(Duration.ofMinutes(15))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  client
                              .apps()
                              .deployments()
                              .withLabel("app.kubernetes.io/managed-by", "namidb-operator")
                              .list()
                              .getItems()
                              .size()
                          == COUNT
                      && client
                              .services()
                              .withLabel("app.kubernetes.io/managed-by", "namidb-operator")
                              .list()
                              .getItems()
                              .size()
                          == COUNT
                      && client
                              .batch()
                              .v1()
                              .cronjobs()
                              .withLabel("app.kubernetes.io/managed-by", "namidb-operator")
                              .list()
                              .getItems()
                              .size()
                          == COUNT / 2
                      && client.resources(NamiNamespace.class).list().getItems().stream()
                              .filter(
                                  r -> r.getStatus() != null && r.getStatus().getPhase() != null)
                              .count()
                          == COUNT);
      long done = System.nanoTime();
      long heapAfter = usedHeapAfterGc();
      MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      String report =
          String.format(
              "NamiNamespace scale run: %d resources (%d with backup schedule), operator in the"
                  + " test JVM, %d reconcile threads, %d CPUs%n"
                  + "  creating the resources took %.1f s%n"
                  + "  all Deployments, Services, CronJobs and statuses present after %.1f s"
                  + " (from the first create)%n"
                  + "  heap used after GC: %d MiB before the operator started, %d MiB with %d"
                  + " resources reconciled (delta %d MiB); heap committed %d MiB, max %d MiB%n",
              COUNT,
              COUNT / 2,
              10,
              Runtime.getRuntime().availableProcessors(),
              (created - start) / 1e9,
              (done - start) / 1e9,
              heapBefore >> 20,
              heapAfter >> 20,
              COUNT,
              (heapAfter - heapBefore) >> 20,
              heap.getCommitted() >> 20,
              heap.getMax() >> 20);
      System.out.println(report);
      Files.writeString(Path.of("target", "scale-report.txt"), report);
    }
  }

  private static long usedHeapAfterGc() throws IOException {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
