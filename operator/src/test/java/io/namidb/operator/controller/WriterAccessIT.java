package io.namidb.operator.controller;

import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.condition;
import static io.namidb.operator.controller.NamiNamespaceReconcilerIT.env;
import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.WriterAuthSpec;
import io.namidb.operator.api.WriterSpec;
import io.namidb.operator.api.WriterTlsSpec;
import io.namidb.operator.controller.WriterStatusClient.Credentials;
import io.namidb.operator.controller.WriterStatusClient.WriterReport;
import io.namidb.operator.testing.Controllers;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may reach a tenant's writer, as the operator wires it on a real API server: the generated
 * token Secret, the token file and certificate mounted into the writer pod, the operator's own
 * authenticated (and, with TLS, pinned) status requests, and the NetworkPolicy.
 */
@WithKubeApiServer
class WriterAccessIT {
  static final FakeWriters WRITERS = new FakeWriters();
  static TestOperator operator;
  static String namespace;

  @BeforeAll
  static void startOperator(KubeTestNamespace ns) {
    namespace = ns.name();
    operator =
        TestOperator.start(
            ns,
            TestOperatorConfig.watching(ns.name())
                .withStatusRefresh(Duration.ofMillis(300))
                .withExtraFrom(
                    "[{\"namespaceSelector\":{\"matchLabels\":"
                        + "{\"kubernetes.io/metadata.name\":\"monitoring\"}}}]"),
            WRITERS);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void theOperatorGeneratesTokensMountsThemAndAsksWithTheReadToken(KubernetesClient client) {
    NamiNamespace created = Tenants.create(client, Tenants.tenant("tokens"));
    Secret secret =
        eventually()
            .until(() -> client.secrets().withName("tokens-writer-auth").get(), Objects::nonNull);
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid()));
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "namidb-operator")
        .containsEntry("app.kubernetes.io/component", "writer-auth");
    String read = value(secret, "read-token");
    String write = value(secret, "write-token");
    assertThat(read).hasSize(43).isNotEqualTo(write);
    assertThat(write).hasSize(43);
    assertThat(value(secret, "tokens")).contains("read " + read + "\n", "write " + write + "\n");

    Deployment deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName("tokens-writer").get(),
                Objects::nonNull);
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(env(c, "NAMI_HTTP_HOST").getValue()).isEqualTo("0.0.0.0");
    assertThat(env(c, "NAMI_AUTH_TOKENS").getValue()).isEqualTo("/etc/namidb/auth/tokens");
    assertThat(c.getEnv()).noneMatch(e -> e.getName().startsWith("NAMI_TLS_"));
    assertThat(c.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("auth");
              assertThat(m.getMountPath()).isEqualTo("/etc/namidb/auth");
              assertThat(m.getReadOnly()).isTrue();
            });
    Volume auth = volume(pod.getVolumes(), "auth");
    assertThat(auth.getSecret().getSecretName()).isEqualTo("tokens-writer-auth");
    // only the token file, readable by the writer's group
    assertThat(auth.getSecret().getItems()).extracting("key").containsExactly("tokens");
    assertThat(auth.getSecret().getDefaultMode()).isEqualTo(0440);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
    assertThat(c.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");

    // The operator asks the running pod, with the tokens of the Secret, read first.
    Pod running = runningPod(client, deployment, "tokens-writer-0", "10.0.7.1");
    WRITERS.answer("http://10.0.7.1:8080", new WriterReport("tokens", "WRITER", 3L, 9L, 1L));
    Controllers.rollOut(client, "tokens-writer");
    NamiNamespace ready =
        eventually()
            .until(
                () -> Tenants.get(client, "tokens"),
                r ->
                    r.getStatus() != null
                        && Long.valueOf(3).equals(r.getStatus().getWriter().getEpoch()));
    assertThat(ready.getStatus().getWriter().getAuthSecret()).isEqualTo("tokens-writer-auth");
    Credentials presented = WRITERS.presented("http://10.0.7.1:8080");
    assertThat(presented.tokens()).containsExactly(read, write);
    assertThat(presented.trust()).isEmpty();
    assertThat(presented.toString()).doesNotContain(read);

    // A rotation is the team's: the operator never writes the Secret again, follows its content,
    // and the writer pod template does not change (no restart).
    String rotated = "read " + read + "-next\nread " + read + "\nwrite " + write + "\n";
    client
        .secrets()
        .withName("tokens-writer-auth")
        .edit(
            s -> {
              s.getData()
                  .put(
                      "tokens",
                      Base64.getEncoder().encodeToString(rotated.getBytes(StandardCharsets.UTF_8)));
              return s;
            });
    eventually()
        .until(
            () -> WRITERS.presented("http://10.0.7.1:8080").tokens(),
            t -> t.equals(List.of(read + "-next", read, write)));
    int before = operator.reconciliations(created);
    eventually().until(() -> operator.reconciliations(created) > before + 2);
    assertThat(value(client.secrets().withName("tokens-writer-auth").get(), "tokens"))
        .isEqualTo(rotated);
    assertThat(client.apps().deployments().withName("tokens-writer").get().getSpec().getTemplate())
        .isEqualTo(deployment.getSpec().getTemplate());
    assertThat(running).isNotNull();
  }

  @Test
  void aSecretOfTheTeamsOwnReplacesTheGeneratedOne(KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("own"));
    eventually().until(() -> client.secrets().withName("own-writer-auth").get(), Objects::nonNull);
    Deployment deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName("own-writer").get(), Objects::nonNull);
    runningPod(client, deployment, "own-writer-0", "10.0.7.2");
    WRITERS.answer("http://10.0.7.2:8080", new WriterReport("own", "WRITER", 1L, 1L, 1L));
    Controllers.rollOut(client, "own-writer");

    Tenants.edit(
        client,
        "own",
        cr -> {
          WriterSpec writer = new WriterSpec();
          WriterAuthSpec auth = new WriterAuthSpec();
          auth.setSecretName("team-tokens");
          writer.setAuth(auth);
          cr.getSpec().setWriter(writer);
        });
    // the generated Secret goes; the Deployment mounts the team's
    eventually().until(() -> client.secrets().withName("own-writer-auth").get() == null);
    eventually()
        .until(
            () -> client.apps().deployments().withName("own-writer").get(),
            d ->
                "team-tokens"
                    .equals(
                        volume(d.getSpec().getTemplate().getSpec().getVolumes(), "auth")
                            .getSecret()
                            .getSecretName()));
    // until it exists, the status says what is missing
    NamiNamespace missing =
        eventually()
            .until(
                () -> Tenants.get(client, "own"),
                r ->
                    "False".equals(condition(r, "WriterReachable").getStatus())
                        && condition(r, "WriterReachable").getMessage().contains("team-tokens"));
    assertThat(condition(missing, "WriterReachable").getMessage())
        .contains("auth Secret team-tokens not found");
    assertThat(missing.getStatus().getWriter().getAuthSecret()).isEqualTo("team-tokens");

    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("team-tokens")
                .endMetadata()
                .withStringData(
                    Map.of(
                        "tokens", "write team-write-token-0123456789\nread team-read-0123456789\n"))
                .build())
        .create();
    eventually()
        .until(
            () -> WRITERS.presented("http://10.0.7.2:8080"),
            c ->
                c != null
                    && c.tokens()
                        .equals(List.of("team-read-0123456789", "team-write-token-0123456789")));
    eventually()
        .until(
            () -> Tenants.get(client, "own"),
            r -> "True".equals(condition(r, "WriterReachable").getStatus()));
  }

  @Test
  void withTlsTheWriterServesHttpsAndTheOperatorTrustsOnlyTheTenantsCertificate(
      KubernetesClient client) {
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("secure-tls")
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withStringData(
                    Map.of("tls.crt", TestCertificates.CERT, "tls.key", TestCertificates.KEY))
                .build())
        .create();
    NamiNamespace cr = Tenants.tenant("secure");
    WriterSpec writer = new WriterSpec();
    WriterTlsSpec tls = new WriterTlsSpec();
    tls.setSecretName("secure-tls");
    writer.setTls(tls);
    cr.getSpec().setWriter(writer);
    Tenants.create(client, cr);
    Deployment deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName("secure-writer").get(),
                Objects::nonNull);
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(env(c, "NAMI_TLS_CERT").getValue()).isEqualTo("/etc/namidb/tls/tls.crt");
    assertThat(env(c, "NAMI_TLS_KEY").getValue()).isEqualTo("/etc/namidb/tls/tls.key");
    assertThat(volume(pod.getVolumes(), "tls").getSecret().getSecretName()).isEqualTo("secure-tls");
    assertThat(c.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(c.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(c.getStartupProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");

    runningPod(client, deployment, "secure-writer-0", "10.0.7.3");
    WRITERS.answer("https://10.0.7.3:8080", new WriterReport("secure", "WRITER", 2L, 1L, 1L));
    Controllers.rollOut(client, "secure-writer");
    NamiNamespace ready =
        eventually()
            .until(
                () -> Tenants.get(client, "secure"),
                r ->
                    r.getStatus() != null
                        && Long.valueOf(2).equals(r.getStatus().getWriter().getEpoch()));
    assertThat(ready.getStatus().getWriter().getEndpoint()).startsWith("https://secure-writer.");
    Credentials presented = WRITERS.presented("https://10.0.7.3:8080");
    assertThat(presented.trust()).singleElement();
    assertThat(presented.trust().get(0).getSubjectX500Principal().getName())
        .contains("CN=namidb-test");
  }

  @Test
  void theNetworkPolicyLetsInOnlyTheClientsAndTheOperator(KubernetesClient client) {
    Tenants.create(client, Tenants.tenant("fenced-in"));
    NetworkPolicy defaults =
        eventually()
            .until(
                () -> client.network().networkPolicies().withName("fenced-in-writer").get(),
                Objects::nonNull);
    assertThat(defaults.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/instance", "fenced-in")
        .containsEntry("app.kubernetes.io/component", "writer");
    assertThat(defaults.getSpec().getPolicyTypes()).containsExactly("Ingress");
    var ingress = defaults.getSpec().getIngress();
    assertThat(ingress).singleElement();
    assertThat(ingress.get(0).getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
    List<NetworkPolicyPeer> from = ingress.get(0).getFrom();
    NetworkPolicyPeer ownNamespace =
        new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build();
    NetworkPolicyPeer theOperator =
        new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(
                new LabelSelectorBuilder()
                    .withMatchLabels(Map.of("kubernetes.io/metadata.name", "namidb-system"))
                    .build())
            .withPodSelector(
                new LabelSelectorBuilder()
                    .withMatchLabels(Map.of("app.kubernetes.io/name", "namidb-operator"))
                    .build())
            .build();
    NetworkPolicyPeer monitoring =
        new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(
                new LabelSelectorBuilder()
                    .withMatchLabels(Map.of("kubernetes.io/metadata.name", "monitoring"))
                    .build())
            .build();
    assertThat(from).containsExactly(ownNamespace, theOperator, monitoring);

    NetworkPolicyPeer apps =
        new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(
                new LabelSelectorBuilder().withMatchLabels(Map.of("team", "acme")).build())
            .withPodSelector(
                new LabelSelectorBuilder().withMatchLabels(Map.of("role", "api")).build())
            .build();
    Tenants.edit(
        client,
        "fenced-in",
        cr -> {
          WriterSpec writer = new WriterSpec();
          writer.setClients(List.of(apps));
          cr.getSpec().setWriter(writer);
        });
    eventually()
        .until(
            () -> client.network().networkPolicies().withName("fenced-in-writer").get(),
            p ->
                p.getSpec()
                    .getIngress()
                    .get(0)
                    .getFrom()
                    .equals(List.of(apps, theOperator, monitoring)));

    // [] (only the operator) as a user writes it; Java clients drop empty lists when serialising
    client
        .resources(NamiNamespace.class)
        .withName("fenced-in")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"writer\":{\"clients\":[]}}}");
    eventually()
        .until(
            () -> client.network().networkPolicies().withName("fenced-in-writer").get(),
            p ->
                p.getSpec().getIngress().get(0).getFrom().equals(List.of(theOperator, monitoring)));
  }

  private static Pod runningPod(
      KubernetesClient client, Deployment deployment, String name, String ip) {
    Controllers.writerPod(client, deployment, name);
    return client
        .pods()
        .withName(name)
        .editStatus(
            p -> {
              p.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).build());
              return p;
            });
  }

  private static Volume volume(List<Volume> volumes, String name) {
    return volumes.stream()
        .filter(v -> name.equals(v.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name + " in " + volumes));
  }

  private static String value(Secret secret, String key) {
    return WriterAccess.value(secret, key).orElseThrow();
  }
}
