package io.namidb.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;

/**
 * The operator, installed as a platform team does: {@code helm install} of charts/namidb-operator
 * with the chart's defaults, which name the images dev/images built. Once per cluster.
 */
final class NamiOperator {
  static final String RELEASE = "namidb-operator";
  static final String NAMESPACE = "namidb-system";

  private static boolean installed;

  private NamiOperator() {}

  static synchronized void ensureInstalled(Cluster cluster) {
    if (installed) {
      return;
    }
    if (cluster.helm("status", RELEASE, "--namespace", NAMESPACE).exitCode() != 0) {
      cluster
          .helm(
              "install",
              RELEASE,
              "charts/namidb-operator",
              "--namespace",
              NAMESPACE,
              "--create-namespace",
              "--wait",
              "--timeout",
              "5m")
          .requireSuccess();
    } else {
      // A cluster kept from an earlier run (-Dnamidb.cluster.keep=true): helm leaves CRDs alone
      // on upgrade, and a rebuilt image keeps its tag, so bring both up to date by hand.
      cluster
          .kubectl(
              "apply", "--server-side", "--force-conflicts", "-f", "charts/namidb-operator/crds/")
          .requireSuccess();
      cluster
          .helm(
              "upgrade",
              RELEASE,
              "charts/namidb-operator",
              "--namespace",
              NAMESPACE,
              "--wait",
              "--timeout",
              "5m")
          .requireSuccess();
      cluster
          .kubectl("-n", NAMESPACE, "rollout", "restart", "deployment/" + RELEASE)
          .requireSuccess();
      cluster
          .kubectl("-n", NAMESPACE, "rollout", "status", "deployment/" + RELEASE, "--timeout=3m")
          .requireSuccess();
    }
    await("operator Deployment available")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              var d =
                  cluster
                      .client()
                      .apps()
                      .deployments()
                      .inNamespace(NAMESPACE)
                      .withName(RELEASE)
                      .get();
              // Every replica the chart asks for (2 by default: a leader and a standby) must be
              // available, so that the tests can rely on a standby to take the Lease over.
              return d != null
                  && d.getStatus() != null
                  && d.getSpec().getReplicas() != null
                  && d.getSpec().getReplicas().equals(d.getStatus().getAvailableReplicas())
                  && d.getSpec().getReplicas().equals(d.getStatus().getUpdatedReplicas());
            });
    installed = true;
  }

  /** The holder of the operator's Lease (the chart's leaderElection.leaseName), or "". */
  static String leaseHolder(Cluster cluster) {
    var lease =
        cluster.client().resources(Lease.class).inNamespace(NAMESPACE).withName(RELEASE).get();
    if (lease == null || lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null) {
      return "";
    }
    return lease.getSpec().getHolderIdentity();
  }

  /** The operator pod holding the Lease: the one that reconciles (the other is a standby). */
  static Pod leader(Cluster cluster) {
    await("an operator pod holds the Lease")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> pod(cluster, leaseHolder(cluster)) != null);
    return pod(cluster, leaseHolder(cluster));
  }

  private static Pod pod(Cluster cluster, String name) {
    return cluster.client().pods().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElse(null);
  }
}
