package io.namidb.operator.chart;

import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

    List<String> crds =
        objects.stream()
            .filter(CustomResourceDefinition.class::isInstance)
            .map(Serialization::asYaml)
            .toList();
    List<String> committed = new java.util.ArrayList<>();
    for (String file : Crds.FILE_NAMES) {
      committed.add(
          Serialization.asYaml(
              Serialization.unmarshal(
                  Files.readString(RepoFiles.committedCrd(file)), CustomResourceDefinition.class)));
    }
    assertThat(crds).containsExactlyInAnyOrderElementsOf(committed);

    Deployment deployment = only(objects, Deployment.class);
    // two replicas, one leader (a Lease), so a rollout may overlap them
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()
                .get(0)
                .getPodAffinityTerm()
                .getTopologyKey())
        .isEqualTo("kubernetes.io/hostname");
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
        .containsEntry("NAMIDB_OPERATOR_MAX_CONCURRENT_WRITER_ROLLOUTS", "10%")
        .containsEntry("NAMIDB_OPERATOR_LEADER_ELECTION_ENABLED", "true")
        .containsEntry("NAMIDB_OPERATOR_LEADER_ELECTION_LEASE_NAME", "namidb-operator")
        .containsEntry("QUARKUS_LOG_LEVEL", "INFO");
    assertThat(operator.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("NAMIDB_OPERATOR_LEADER_ELECTION_IDENTITY")
                    && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.name"));
    Role election = only(objects, Role.class);
    assertThat(election.getMetadata().getNamespace()).isEqualTo(ns.name());
    assertThat(rules(election.getRules()))
        .containsExactly(
            "coordination.k8s.io/leases:create",
            // patch: taking over a Lease from a dead holder (found on dev/cluster's real pods)
            "coordination.k8s.io/leases:get,patch,update");
    assertThat(election.getRules().get(1).getResourceNames()).containsExactly("namidb-operator");
    List<ClusterRole> clusterRoles =
        objects.stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .toList();
    assertThat(clusterRoles)
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("rbac-namidb-operator", "rbac-namidb-operator-nodes");
    assertThat(rules(nodeReader(objects).getRules())).containsExactly("/nodes:get");
    ClusterRole role =
        clusterRoles.stream()
            .filter(r -> r.getMetadata().getName().equals("rbac-namidb-operator"))
            .findFirst()
            .orElseThrow();
    assertThat(rules(role.getRules()))
        .contains(
            "namidb.io/naminamespaces/status:get,patch,update",
            "namidb.io/naminamespacebackups:get,list,watch",
            "namidb.io/naminamespacebackups/status:get,patch,update",
            "apps/deployments:create,get,list,patch,update,watch",
            "batch/jobs:create,get,list,watch",
            // delete: a writer pod stuck Terminating on a lost node is force-deleted
            "/pods:delete,get,list,watch",
            "/events:create,patch",
            // the writers' tokens: by name only, never a list or watch of every Secret
            "/secrets:create,delete,get",
            "networking.k8s.io/networkpolicies:create,delete,get,list,patch,update,watch")
        .noneMatch(r -> r.startsWith("/secrets:") && (r.contains("list") || r.contains("watch")))
        .noneMatch(r -> r.contains("cert-manager.io"))
        .noneMatch(r -> r.contains("*"));
    assertThat(objects).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
  }

  @Test
  void withoutLeaderElectionItRunsOneReplicaAndRefusesTwo(KubeTestNamespace ns) {
    List<HasMetadata> objects =
        template(ns.name(), "--set", "leaderElection.enabled=false", "--set", "replicaCount=1");
    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity()).isNull();
    assertThat(objects).noneMatch(o -> o instanceof Role);

    Helm.Result refused =
        Helm.run(
            "template",
            "rbac",
            CHART,
            "--namespace",
            ns.name(),
            "--kube-version",
            "1.34.4",
            "--set",
            "leaderElection.enabled=false");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("replicaCount > 1 needs leaderElection.enabled");
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
    // nodes are cluster-scoped: reading them is the one ClusterRole, namespaces or not
    assertThat(objects.stream().filter(o -> o instanceof ClusterRole))
        .singleElement()
        .isEqualTo(nodeReader(objects));
    assertThat(rules(nodeReader(objects).getRules())).containsExactly("/nodes:get");
    assertThat(
            objects.stream()
                .filter(o -> o instanceof ClusterRoleBinding)
                .map(o -> ((ClusterRoleBinding) o).getRoleRef().getName()))
        .containsExactly("rbac-namidb-operator-nodes");
    assertThat(
            objects.stream()
                .filter(o -> o instanceof Role)
                .filter(o -> !o.getMetadata().getName().endsWith("-leader-election"))
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

    // with leader election, as the chart runs it: the Lease in the release namespace
    try (TestOperator operator =
        TestOperator.startAs(
            ns,
            TestOperatorConfig.watching(ns.name()).withLeaderElection("rbac-0"),
            new FakeWriters(),
            serviceAccount)) {
      eventually()
          .until(
              () ->
                  client
                      .resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
                      .withName("namidb-operator")
                      .get(),
              lease -> lease != null && "rbac-0".equals(lease.getSpec().getHolderIdentity()));
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

      // a writer pod stuck Terminating on a lost node: reading the node (the nodes ClusterRole,
      // although the operator watches one namespace) and force-deleting the pod
      String lostNode = ns.name() + "-rbac-lost";
      Controllers.node(client, lostNode, "Unknown", Instant.now().minus(Duration.ofMinutes(10)));
      Controllers.writerPodOn(
          client,
          client.apps().deployments().withName("least-writer").get(),
          "least-writer-lost",
          lostNode);
      client.pods().withName("least-writer-lost").withGracePeriod(1).delete();
      eventually().until(() -> client.pods().withName("least-writer-lost").get() == null);
      client.nodes().withName(lostNode).delete();

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

  @Test
  void rendersPodMonitorAlertRulesAndDashboardWhenAsked(KubeTestNamespace ns) throws Exception {
    List<HasMetadata> off = template(ns.name());
    assertThat(off)
        .noneMatch(o -> List.of("PodMonitor", "PrometheusRule").contains(o.getKind()))
        .noneMatch(o -> o.getMetadata().getName().endsWith("-dashboard"));

    List<HasMetadata> objects =
        template(
            ns.name(),
            "--set",
            "monitoring.podMonitor.enabled=true",
            "--set",
            "monitoring.prometheusRule.enabled=true",
            "--set",
            "monitoring.grafanaDashboard.enabled=true");
    Map<String, Object> podMonitor = spec(kind(objects, "PodMonitor"));
    assertThat(podMonitor.get("namespaceSelector")).isEqualTo(Map.of("any", true));
    assertThat(podMonitor.get("selector"))
        .isEqualTo(
            Map.of(
                "matchLabels",
                Map.of(
                    "app.kubernetes.io/name", "namidb-writer",
                    "app.kubernetes.io/component", "writer",
                    "app.kubernetes.io/managed-by", "namidb-operator")));
    assertThat(podMonitor.get("podMetricsEndpoints"))
        .isEqualTo(List.of(Map.of("port", "http", "path", "/q/metrics", "interval", "30s")));

    Object rules = Serialization.unmarshal(Files.readString(RULES), Map.class).get("groups");
    assertThat(spec(kind(objects, "PrometheusRule")).get("groups")).isEqualTo(rules);
    assertThat(alertNames(rules))
        .containsExactly(
            "NamiDBWriterNotReady",
            "NamiDBWriterFenced",
            "NamiDBBackupStale",
            "NamiDBBackupFailed",
            "NamiDBOperatorReconcileErrors");

    ConfigMap dashboard = only(objects, ConfigMap.class);
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(Serialization.jsonMapper().readTree(dashboard.getData().get("namidb-tenant.json")))
        .isEqualTo(Serialization.jsonMapper().readTree(Files.readString(DASHBOARD)));
  }

  @Test
  void promtoolAcceptsTheAlertRulesAndTheirUnitTestsPass() throws Exception {
    Path dir = Files.createTempDirectory("promtool");
    Files.copy(RULES, dir.resolve("rules.yaml"));
    try (var test = HelmChartIT.class.getResourceAsStream("/prometheus/namidb-rules-test.yaml")) {
      Files.copy(test, dir.resolve("test.yaml"));
    }
    Helm.Result check = Helm.promtool(dir, "check", "rules", "rules.yaml");
    assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
    assertThat(check.stdout()).contains("SUCCESS: 5 rules found");
    Helm.Result test = Helm.promtool(dir, "test", "rules", "test.yaml");
    assertThat(test.exitCode()).as(test.stdout() + test.stderr()).isZero();
    assertThat(test.stdout()).contains("SUCCESS");
  }

  @Test
  void theDashboardQueriesOnlyMetricsNamiDbExports() throws Exception {
    var json = Serialization.jsonMapper().readTree(Files.readString(DASHBOARD));
    List<String> exprs = new ArrayList<>();
    json.findValues("expr").forEach(e -> exprs.add(e.asText()));
    json.findValues("query").stream()
        .filter(q -> q.isObject() && q.has("query"))
        .forEach(q -> exprs.add(q.get("query").asText()));
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\b(nami_[a-z_]+|namidb_[a-z_]+)")
            .matcher(String.join("\n", exprs));
    java.util.Set<String> used = new java.util.TreeSet<>();
    while (m.find()) {
      used.add(m.group(1));
    }
    // the operator's (TenantMetrics) and the writer's (docs/writer.md) metric names
    String writerDocs = Files.readString(RepoFiles.root().resolve("docs/writer.md"));
    String operatorDocs = Files.readString(RepoFiles.root().resolve("docs/kubernetes.md"));
    for (String metric : used) {
      String base = metric.replaceAll("_(bucket|count|sum)$", "");
      assertThat(writerDocs.contains(base) || operatorDocs.contains(base))
          .as("%s is documented as a metric NamiDB exports", metric)
          .isTrue();
    }
  }

  @Test
  void theAdmissionPolicyAllowsOnlyTheListedImagesAndServiceAccounts(
      KubeTestNamespace ns, KubernetesClient client) throws Exception {
    Crds.install(client);
    assertThat(template(ns.name()))
        .noneMatch(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"));
    List<HasMetadata> policy =
        template(
                ns.name(),
                "--set",
                "admissionPolicy.enabled=true",
                "--set",
                "admissionPolicy.allowedImageRegistries={ghcr.io/namidb,registry.example.com/platform}",
                "--set",
                "admissionPolicy.allowedServiceAccounts={namidb-writer}",
                "--set",
                "admissionPolicy.namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name="
                    + ns.name())
            .stream()
            .filter(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"))
            .toList();
    assertThat(policy).hasSize(2);
    try {
      policy.forEach(o -> client.resource(o).create());
      // the API server picks a new policy up asynchronously: wait until it refuses
      java.util.concurrent.atomic.AtomicInteger attempt =
          new java.util.concurrent.atomic.AtomicInteger();
      KubernetesClientException refused =
          eventually()
              .until(
                  () ->
                      refusal(
                          client,
                          writer(
                              "evil-" + attempt.incrementAndGet(), "evil.example/miner:1", null)),
                  e -> e != null && e.getCode() != 409);
      assertThat(refused.getCode()).isIn(403, 422);
      assertThat(refused.getMessage())
          .contains(
              "spec.writer.image evil.example/miner:1 is not from an allowed registry"
                  + " (ghcr.io/namidb, registry.example.com/platform)")
          .contains("admissionPolicy.allowedImageRegistries");
      // a registry whose name merely starts like an allowed one is refused too
      assertThat(refusal(client, writer("lookalike", "ghcr.io/namidb-evil/writer:1", null)))
          .isNotNull();
      KubernetesClientException account =
          refusal(client, writer("admin", null, "cluster-admin-sa"));
      assertThat(account).isNotNull();
      assertThat(account.getMessage())
          .contains(
              "spec.writer.serviceAccountName cluster-admin-sa is not allowed (allowed:"
                  + " namidb-writer)");

      assertThat(refusal(client, writer("ours", "ghcr.io/namidb/namidb-writer:0.2.0", null)))
          .isNull();
      assertThat(
              refusal(
                  client,
                  writer("platform", "registry.example.com/platform/namidb:1", "namidb-writer")))
          .isNull();
      assertThat(refusal(client, Tenants.tenant("defaults"))).as("unset fields").isNull();
      // an update is checked as well
      KubernetesClientException update =
          eventually()
              .until(
                  () -> {
                    try {
                      Tenants.edit(
                          client,
                          "ours",
                          r -> r.getSpec().getWriter().setImage("evil.example/miner:2"));
                      return null;
                    } catch (KubernetesClientException e) {
                      return e;
                    }
                  },
                  Objects::nonNull);
      assertThat(update.getMessage()).contains("evil.example/miner:2 is not from an allowed");
    } finally {
      policy.forEach(o -> client.resource(o).delete());
    }
  }

  private static NamiNamespace writer(String name, String image, String serviceAccount) {
    NamiNamespace cr = Tenants.tenant(name);
    io.namidb.operator.api.WriterSpec writer = new io.namidb.operator.api.WriterSpec();
    writer.setImage(image);
    writer.setServiceAccountName(serviceAccount);
    cr.getSpec().setWriter(writer);
    return cr;
  }

  /** Creates {@code cr}: null when admitted, else the API server's refusal. */
  private static KubernetesClientException refusal(KubernetesClient client, NamiNamespace cr) {
    try {
      Tenants.create(client, cr);
      return null;
    } catch (KubernetesClientException e) {
      return e;
    }
  }

  private static final Path RULES = RepoFiles.chart().resolve("files/prometheus-rules.yaml");
  private static final Path DASHBOARD = RepoFiles.chart().resolve("files/grafana-dashboard.json");

  private static HasMetadata kind(List<HasMetadata> objects, String kind) {
    List<HasMetadata> matching = objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    assertThat(matching).as(kind).hasSize(1);
    return matching.get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(HasMetadata object) {
    return (Map<String, Object>)
        ((io.fabric8.kubernetes.api.model.GenericKubernetesResource) object)
            .getAdditionalProperties()
            .get("spec");
  }

  @SuppressWarnings("unchecked")
  private static List<String> alertNames(Object groups) {
    List<String> names = new ArrayList<>();
    for (Object group : (List<Object>) groups) {
      for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
        names.add((String) ((Map<String, Object>) rule).get("alert"));
      }
    }
    return names;
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

  /** The ClusterRole that lets the operator read nodes. */
  private static ClusterRole nodeReader(List<HasMetadata> objects) {
    return objects.stream()
        .filter(ClusterRole.class::isInstance)
        .map(ClusterRole.class::cast)
        .filter(r -> r.getMetadata().getName().equals("rbac-namidb-operator-nodes"))
        .findFirst()
        .orElseThrow();
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
