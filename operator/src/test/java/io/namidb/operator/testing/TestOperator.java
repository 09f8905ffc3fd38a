package io.namidb.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.namidb.operator.controller.NamiNamespaceBackupReconciler;
import io.namidb.operator.controller.NamiNamespaceReconciler;
import io.namidb.operator.controller.OperatorConfig;
import io.namidb.operator.controller.OperatorLeaderElection;
import io.namidb.operator.controller.WriterStatusClient;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The operator, run in the test JVM as a plain Java Operator SDK {@link Operator} (no Quarkus)
 * against the harness's API server, with the same reconciler, dependents and configuration
 * interface as in production. Counts finished reconciliations per resource so that tests can wait
 * for "the operator has looked at it" instead of sleeping.
 */
public final class TestOperator implements AutoCloseable {
  private final Operator operator;
  private final Map<String, AtomicInteger> reconciled = new ConcurrentHashMap<>();
  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private TestOperator(
      String kubeconfigYaml,
      OperatorConfig config,
      WriterStatusClient writers,
      UnaryOperator<Config> clientConfig,
      Clock clock) {
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(clientConfig.apply(Config.fromKubeconfig(kubeconfigYaml)))
            .build();
    Metrics counting =
        new Metrics() {
          @Override
          public void reconciliationExecutionFinished(
              HasMetadata resource, Map<String, Object> metadata) {
            reconciled.computeIfAbsent(key(resource), k -> new AtomicInteger()).incrementAndGet();
          }
        };
    // As in production (OperatorLeaderElection), but a lost Lease must not exit the test JVM.
    var election = OperatorLeaderElection.of(config, false);
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withMetrics(counting)
                  .withConcurrentReconciliationThreads(config.reconcileConcurrency())
                  .withCloseClientOnStop(true);
              election.ifPresent(o::withLeaderElectionConfiguration);
            });
    NamiNamespaceReconciler reconciler =
        new NamiNamespaceReconciler(config, writers, clock, meters);
    operator.register(reconciler, reconciler::updateConfigurationFrom);
    NamiNamespaceBackupReconciler backups = new NamiNamespaceBackupReconciler(config);
    operator.register(backups, backups::updateConfigurationFrom);
    operator.start();
  }

  /** Starts an operator watching {@code ns} with the test defaults. */
  public static TestOperator start(KubeTestNamespace ns, WriterStatusClient writers) {
    return start(ns, TestOperatorConfig.watching(ns.name()), writers);
  }

  public static TestOperator start(
      KubeTestNamespace ns, OperatorConfig config, WriterStatusClient writers) {
    Crds.install(ns.client());
    return start(ns, config, writers, Clock.systemUTC());
  }

  /** As {@link #start(KubeTestNamespace, OperatorConfig, WriterStatusClient)} on {@code clock}. */
  public static TestOperator start(
      KubeTestNamespace ns, OperatorConfig config, WriterStatusClient writers, Clock clock) {
    Crds.install(ns.client());
    return new TestOperator(ns.kubeconfigYaml(), config, writers, UnaryOperator.identity(), clock);
  }

  /**
   * Starts an operator whose client acts as {@code user} (API server impersonation), e.g. the
   * chart's ServiceAccount, so the test proves its RBAC suffices.
   */
  public static TestOperator startAs(
      KubeTestNamespace ns, OperatorConfig config, WriterStatusClient writers, String user) {
    Crds.install(ns.client());
    return new TestOperator(
        ns.kubeconfigYaml(),
        config,
        writers,
        c -> {
          c.setImpersonateUsername(user);
          return c;
        },
        Clock.systemUTC());
  }

  /**
   * Whether the operator has started: what quarkus-operator-sdk's readiness check reports, so a
   * replica waiting for the Lease is ready too.
   */
  public boolean isStarted() {
    return operator.getRuntimeInfo().isStarted();
  }

  /** How many reconciliations (or cleanups) of any resource have finished. */
  public int reconciliations() {
    return reconciled.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** The operator's meters, e.g. the per-tenant backup gauges. */
  public MeterRegistry meters() {
    return meters;
  }

  /** How many reconciliations (or cleanups) of {@code resource} have finished. */
  public int reconciliations(HasMetadata resource) {
    AtomicInteger count = reconciled.get(key(resource));
    return count == null ? 0 : count.get();
  }

  private static String key(HasMetadata resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      operator.stop();
    }
  }
}
