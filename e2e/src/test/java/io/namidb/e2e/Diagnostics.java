package io.namidb.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * On a failed test, prints what explains it: every NamiNamespace with its status, the events, the
 * pods and their logs in the test's namespaces, and the operator's log.
 */
public final class Diagnostics implements TestWatcher {
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    dump(context.getDisplayName());
  }

  static void dump(String title) {
    Cluster cluster;
    try {
      cluster = Cluster.get();
    } catch (AssertionError e) {
      System.out.println("=== diagnostics: no cluster: " + e.getMessage());
      return;
    }
    System.out.println("=== diagnostics for " + title);
    section(cluster, "NamiNamespaces", "get", "nns", "-A", "-o", "yaml");
    section(cluster, "nodes", "get", "nodes", "-o", "wide");
    section(cluster, "pods", "get", "pods", "-A", "-o", "wide");
    section(cluster, "jobs", "get", "jobs,cronjobs", "-A");
    section(cluster, "events", "get", "events", "-A", "--sort-by=.lastTimestamp");
    section(
        cluster,
        "writer and job logs",
        "logs",
        "-A",
        "-l",
        "app.kubernetes.io/name=namidb-writer",
        "--all-containers",
        "--prefix",
        "--tail=200",
        "--max-log-requests=20");
    section(
        cluster,
        "operator log",
        "-n",
        NamiOperator.NAMESPACE,
        "logs",
        "deploy/" + NamiOperator.RELEASE,
        "--tail=400");
  }

  private static void section(Cluster cluster, String name, String... kubectlArgs) {
    try {
      Proc.Result r = cluster.kubectl(kubectlArgs);
      System.out.println("--- " + name + "\n" + r.stdout() + r.stderr());
    } catch (RuntimeException | AssertionError e) {
      System.out.println("--- " + name + ": " + e);
    }
  }
}
