package io.namidb.operator.chart;

import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.namidb.operator.api.DeletionPolicy;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.Phase;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.Crds;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.Helm;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.RepoFiles;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart: {@code helm lint} and {@code helm template} pass, the rendered objects are what
 * the chart promises and the API server accepts them, and its RBAC is enough: an operator acting as
 * the chart's ServiceAccount runs a tenant from creation to purge.
 */
@WithKubeApiServer
class HelmChartIT {
  static final String CHART = RepoFiles.chart().toString();
  static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void lintsCleanly() {
    Helm.Result lint = Helm.run("lint", "--strict", CHART, "--kube-version", "1.34.4");
    assertThat(lint.exitCode()).as(lint.stdout() + lint.stderr()).isZero();
    assertThat(lint.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @Test
  void rendersTheOperatorWithDefaults(KubeTestNamespace ns) throws Exception {
    List<HasMetadata> objects = template(ns.name(), "--include-crds");

    CustomResourceDefinition crd = only(objects, CustomResourceDefinition.class);
    assertThat(Serialization.asYaml(crd))
        .isEqualTo(
            Serialization.asYaml(
                Serialization.unmarshal(
                    Files.readString(RepoFiles.committedCrd()), CustomResourceDefinition.class)));

    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container operator = pod.getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/namidb/namidb-operator:0.1.0");
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
    assertThat(env(operator))
        .containsEntry("NAMIDB_OPERATOR_WATCH_NAMESPACES", "")
        .containsEntry("NAMIDB_OPERATOR_WRITER_IMAGE", "ghcr.io/namidb/namidb-writer:0.1.0")
        .containsEntry("NAMIDB_OPERATOR_WRITER_RESOURCES_REQUESTS_MEMORY", "512Mi")
        .containsEntry("QUARKUS_LOG_LEVEL", "INFO");
    ClusterRole role = only(objects, ClusterRole.class);
    assertThat(rules(role.getRules()))
        .contains(
            "namidb.io/naminamespaces/status:get,patch,update",
            "apps/deployments:create,get,list,patch,update,watch",
            "batch/jobs:create,get,list,watch",
            "/pods:get,list,watch",
            "/events:create,patch")
        .noneMatch(r -> r.contains("secrets"))
        .noneMatch(r -> r.contains("*"));
    assertThat(objects).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
  }

  @Test
  void rendersWatchNamespacesLogLevelAndServiceMonitor(KubeTestNamespace ns) throws Exception {
    List<HasMetadata> objects =
        template(
            ns.name(),
            "--set",
            "watchNamespaces={team-a,team-b}",
            "--set",
            "logLevel=DEBUG",
            "--set",
            "image.tag=1.2.3",
            "--set",
            "serviceMonitor.enabled=true");
    assertThat(objects).noneMatch(o -> o instanceof ClusterRole);
    assertThat(
            objects.stream()
                .filter(o -> o instanceof Role)
                .map(o -> o.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("team-a", "team-b");
    Container operator =
        only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/namidb/namidb-operator:1.2.3");
    assertThat(env(operator))
        .containsEntry("NAMIDB_OPERATOR_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG");
    HasMetadata monitor =
        objects.stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .findFirst()
            .orElseThrow();
    assertThat(Serialization.asYaml(monitor)).contains("path: \"/q/metrics\"");
  }

  @Test
  @SuppressWarnings("try") // the operator runs while the block runs
  void theApiServerAcceptsTheChartAndItsRbacIsEnoughToRunATenant(
      KubeTestNamespace ns, KubernetesClient client) throws Exception {
    Crds.install(client);
    String release = "rbac";
    List<HasMetadata> objects = template(ns.name(), "--set", "watchNamespaces={" + ns.name() + "}");
    for (HasMetadata object : objects) {
      client.resource(object).inNamespace(ns.name()).create();
    }
    String serviceAccount =
        "system:serviceaccount:" + ns.name() + ":" + release + "-namidb-operator";

    try (TestOperator operator =
        TestOperator.startAs(
            ns, TestOperatorConfig.watching(ns.name()), new FakeWriters(), serviceAccount)) {
      NamiNamespace cr = Tenants.tenant("least");
      cr.getSpec().setBackup(Tenants.backup("@hourly", "s3://backups/least"));
      cr.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
      Tenants.create(client, cr);
      eventually().until(() -> client.services().withName("least-writer").get(), Objects::nonNull);
      eventually()
          .until(
              () -> client.batch().v1().cronjobs().withName("least-backup").get(),
              Objects::nonNull);
      eventually()
          .until(
              () -> client.apps().deployments().withName("least-writer").get(), Objects::nonNull);
      Controllers.rollOut(client, "least-writer");
      eventually()
          .until(
              () -> Tenants.get(client, "least"),
              r -> r.getStatus() != null && r.getStatus().getPhase() == Phase.Ready);
      assertThat(client.v1().events().list().getItems())
          .anyMatch(e -> "least".equals(e.getInvolvedObject().getName()));

      client.resources(NamiNamespace.class).withName("least").delete();
      eventually()
          .until(
              () ->
                  client
                      .apps()
                      .deployments()
                      .withName("least-writer")
                      .get()
                      .getSpec()
                      .getReplicas(),
              replicas -> replicas == 0);
      Controllers.rollOut(client, "least-writer");
      eventually()
          .until(() -> client.batch().v1().jobs().withName("least-purge").get(), Objects::nonNull);
      Controllers.succeed(client, "least-purge");
      eventually().until(() -> Tenants.find(client, "least").isEmpty());
    }
  }

  private static List<HasMetadata> template(String namespace, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "template", "rbac", CHART, "--namespace", namespace, "--kube-version", "1.34.4"));
    args.addAll(List.of(extra));
    Helm.Result result = Helm.run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : result.stdout().split("(?m)^---\\s*$")) {
      if (doc.strip().isEmpty() || doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      objects.add(YAML.unmarshal(doc));
    }
    return objects;
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as(type.getSimpleName()).hasSize(1);
    return matching.get(0);
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static List<String> rules(List<PolicyRule> rules) {
    List<String> out = new ArrayList<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          out.add(
              group
                  + "/"
                  + resource
                  + ":"
                  + rule.getVerbs().stream().sorted().collect(Collectors.joining(",")));
        }
      }
    }
    return out;
  }
}
