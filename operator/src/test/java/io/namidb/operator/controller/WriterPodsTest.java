package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.WriterSpec;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperatorConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriterPodsTest {
  private static final NamiNamespace ACME = Tenants.tenant("acme");
  private final TestOperatorConfig config = TestOperatorConfig.watching("tenants");

  @Test
  void writerToleratesNodeFailureForTheConfiguredTimeOnly() {
    NamiNamespace cr = Tenants.tenant("acme");

    assertThat(WriterPods.tolerations(cr, config))
        .extracting("key", "operator", "effect", "tolerationSeconds")
        .containsExactly(
            tuple("node.kubernetes.io/not-ready", "Exists", "NoExecute", 30L),
            tuple("node.kubernetes.io/unreachable", "Exists", "NoExecute", 30L));
  }

  @Test
  void aResourcesOwnNodeFailureTolerationWins() {
    NamiNamespace cr = Tenants.tenant("acme");
    WriterSpec writer = new WriterSpec();
    writer.setTolerations(List.of(Tenants.noExecute("node.kubernetes.io/unreachable", 120L)));
    cr.getSpec().setWriter(writer);

    assertThat(WriterPods.tolerations(cr, config))
        .extracting("key", "tolerationSeconds")
        .containsExactly(
            tuple("node.kubernetes.io/unreachable", 120L),
            tuple("node.kubernetes.io/not-ready", 30L));
  }

  @Test
  void statusIsAskedOfTheNewestRunningWriterPodThatIsNotBeingDeleted() {
    Pod old = pod("acme-writer-old", "writer", "Running", "10.0.0.1", "2026-01-01T00:00:00Z");
    Pod newer = pod("acme-writer-new", "writer", "Running", "10.0.0.2", "2026-01-01T00:01:00Z");
    Pod deleting = pod("acme-writer-gone", "writer", "Running", "10.0.0.3", "2026-01-01T00:02:00Z");
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:03:00Z");
    Pod pending = pod("acme-writer-pending", "writer", "Pending", null, "2026-01-01T00:04:00Z");
    Pod backup = pod("acme-backup-1", "backup", "Running", "10.0.0.5", "2026-01-01T00:05:00Z");

    assertThat(WriterPods.runningWriterPod(List.of(old, newer, deleting, pending, backup), ACME))
        .map(pod -> Names.podEndpoint(pod, false))
        .contains("http://10.0.0.2:8080");
    assertThat(WriterPods.runningWriterPod(List.of(pending, backup), ACME)).isEmpty();
  }

  private static Pod pod(String name, String component, String phase, String ip, String created) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(created)
        .addToLabels(Constants.COMPONENT_LABEL, component)
        .addToLabels(Constants.INSTANCE_LABEL, "acme")
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .withPodIP(ip)
        .endStatus()
        .build();
  }
}
