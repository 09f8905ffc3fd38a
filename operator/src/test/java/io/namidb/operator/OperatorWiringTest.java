package io.namidb.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.namidb.operator.controller.NamiNamespaceReconciler;
import io.namidb.operator.controller.OperatorConfig;
import io.namidb.operator.controller.WriterStatusClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The production wiring under Quarkus (no cluster needed: the operator is not started): the typed
 * configuration with the defaults of application.properties, and the reconciler's injection.
 */
@QuarkusTest
@TestProfile(OperatorWiringTest.NoCluster.class)
class OperatorWiringTest {
  @Inject OperatorConfig config;
  @Inject NamiNamespaceReconciler reconciler;
  @Inject WriterStatusClient writerStatus;

  @Test
  void configurationHasTheDocumentedDefaults() {
    assertThat(config.writer().image()).isEqualTo("ghcr.io/namidb/namidb-writer:0.1.0");
    assertThat(config.writer().command()).isEqualTo("nami");
    assertThat(config.writer().resources().requests())
        .containsEntry("cpu", "250m")
        .containsEntry("memory", "512Mi");
    assertThat(config.writer().resources().limits()).containsEntry("memory", "1Gi");
    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.reconcileConcurrency()).isEqualTo(10);
    assertThat(config.statusRefreshInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(new Quantity(config.writer().resources().limits().get("memory")))
        .isEqualTo(new Quantity("1Gi"));
  }

  @Test
  void leaderElectionIsABeanForQuarkusOperatorSdkWithTheDocumentedDefaults() {
    // quarkus-operator-sdk looks it up programmatically in the prod profile: it must exist
    LeaderElectionConfiguration election =
        io.quarkus.arc.Arc.container().instance(LeaderElectionConfiguration.class).get();
    assertThat(election).isNotNull();
    assertThat(election.getLeaseName()).isEqualTo("namidb-operator");
    assertThat(election.getLeaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(election.getRenewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(election.getRetryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(election.isExitOnStopLeading()).isTrue();
    assertThat(config.maxConcurrentWriterRollouts()).isEqualTo("10%");
  }

  @Test
  void reconcilerAndWriterClientAreBeans() {
    assertThat(reconciler).isNotNull();
    WriterStatusClient.Answer answer =
        writerStatus.fetch("http://127.0.0.1:1", WriterStatusClient.Credentials.NONE);
    assertThat(answer.report()).isNull();
    assertThat(answer.error())
        .isEqualTo("connection refused or unreachable from http://127.0.0.1:1/v1/status");
  }

  /** No operator start, no Dev Services cluster. */
  public static class NoCluster implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.operator-sdk.start-operator", "false",
          "quarkus.kubernetes-client.devservices.enabled", "false");
    }
  }
}
