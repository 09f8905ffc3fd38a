package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.awaitPhase;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election on the real API server, as the chart runs them: only
 * the Lease holder reconciles; when it stops in the middle of reconciling new resources, the
 * standby takes the Lease and finishes them, and reacts to later events.
 */
@WithKubeApiServer
class LeaderElectionIT {
  @Test
  void theStandbyTakesOverWhenTheLeaderStopsAndFinishesTheReconciles(
      KubeTestNamespace ns, KubernetesClient client) {
    FakeWriters writers = new FakeWriters();
    TestOperatorConfig config = TestOperatorConfig.watching(ns.name());
    TestOperator a = TestOperator.start(ns, config.withLeaderElection("operator-a"), writers);
    try {
      eventually().until(() -> holder(client, ns), "operator-a"::equals);
      try (TestOperator b =
          TestOperator.start(ns, config.withLeaderElection("operator-b"), writers)) {
        // The standby is up (quarkus-operator-sdk's readiness check would say so) but idle.
        assertThat(b.isStarted()).isTrue();
        List<String> tenants = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
          tenants.add(create(client, "before-" + i));
        }
        for (String name : tenants) {
          awaitReconciled(client, name);
        }
        assertThat(b.reconciliations()).as("the standby reconciles nothing").isZero();
        assertThat(holder(client, ns)).isEqualTo("operator-a");

        // More work arrives, and the leader stops while it reconciles it.
        for (int i = 1; i <= 6; i++) {
          tenants.add(create(client, "during-" + i));
        }
        eventually().until(() -> a.reconciliations() > 3);
        a.close();

        eventually().until(() -> holder(client, ns), "operator-b"::equals);
        for (String name : tenants) {
          awaitReconciled(client, name);
        }
        assertThat(b.reconciliations()).isPositive();
        // New events reach the new leader only.
        int byA = a.reconciliations();
        Controllers.rollOut(client, "during-6-writer");
        awaitPhase(client, "during-6", Phase.Ready);
        assertThat(a.reconciliations()).as("the old leader is stopped").isEqualTo(byA);
      }
    } finally {
      a.close();
    }
  }

  private static String create(KubernetesClient client, String name) {
    Tenants.create(client, Tenants.tenant(name));
    return name;
  }

  /** The operator made the writer Deployment and wrote a status for the current generation. */
  private static void awaitReconciled(KubernetesClient client, String name) {
    eventually()
        .until(
            () -> client.apps().deployments().withName(name + "-writer").get(), Objects::nonNull);
    eventually()
        .until(
            () -> Tenants.get(client, name),
            (NamiNamespace r) ->
                r.getStatus() != null
                    && Objects.equals(
                        r.getStatus().getObservedGeneration(), r.getMetadata().getGeneration()));
  }

  private static String holder(KubernetesClient client, KubeTestNamespace ns) {
    Lease lease =
        client.resources(Lease.class).inNamespace(ns.name()).withName("namidb-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
