package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceDeletionIT.ready;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.awaitPhase;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.namidb.operator.api.DeletionPolicy;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.WithKubeApiServer;
import org.junit.jupiter.api.Test;

/**
 * Deleting the Kubernetes namespace that holds a tenant whose policy deletes data: the API server
 * refuses every new object there, so the purge Job cannot start. The resource must still go (else
 * the namespace stays Terminating forever) and the data stays, which the operator says. This API
 * server runs no namespace controller, so the test deletes the resource itself, as that controller
 * would; the real one runs in {@code TenantLifecycleE2E}.
 */
@WithKubeApiServer
class NamespaceTerminationIT {

  @Test
  void aTenantWithDeleteInATerminatingNamespaceGoesAndKeepsItsData(
      KubeTestNamespace ns, KubernetesClient client) {
    try (TestOperator operator = TestOperator.start(ns, new FakeWriters())) {
      NamiNamespace cr = Tenants.tenant("gone");
      cr.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
      Tenants.create(client, cr);
      ready(client, "gone");

      client.namespaces().withName(ns.name()).delete();
      eventually()
          .until(
              () -> client.namespaces().withName(ns.name()).get().getStatus().getPhase(),
              "Terminating"::equals);
      // what the operator meets: the API server's refusal, with its cause
      KubernetesClientException refused =
          (KubernetesClientException)
              catchThrowable(() -> Controllers.createProbeJob(client, "probe"));
      assertThat(DeletionSequence.namespaceTerminating(refused)).as("%s", refused).isTrue();

      client.resources(NamiNamespace.class).withName("gone").delete();
      eventually()
          .until(
              () ->
                  client.apps().deployments().withName("gone-writer").get().getSpec().getReplicas(),
              replicas -> replicas == 0);
      awaitPhase(client, "gone", Phase.Deleting);
      Controllers.rollOut(client, "gone-writer");

      eventually().until(() -> Tenants.find(client, "gone").isEmpty());
      assertThat(client.batch().v1().jobs().withName("gone-purge").get()).isNull();
      assertThat(
              operator
                  .meters()
                  .get("namidb.operator.deletions.data.retained")
                  .tag("reason", "DataRetained")
                  .counter()
                  .count())
          .isEqualTo(1.0);
      // the one ending it met, under its own reason only
      assertThat(operator.meters().find("namidb.operator.deletions.data.retained").counters())
          .hasSize(1);
    }
  }

  @Test
  void otherRefusalsAreNotMistakenForATerminatingNamespace() {
    assertThat(
            DeletionSequence.namespaceTerminating(
                new KubernetesClientException("forbidden by RBAC", 403, null)))
        .isFalse();
  }
}
