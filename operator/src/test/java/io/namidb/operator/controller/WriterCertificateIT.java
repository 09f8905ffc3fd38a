package io.namidb.operator.controller;

import static io.namidb.operator.testing.Tenants.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.WriterSpec;
import io.namidb.operator.api.WriterTlsSpec;
import io.namidb.operator.testing.FakeWriters;
import io.namidb.operator.testing.KubeTestNamespace;
import io.namidb.operator.testing.Tenants;
import io.namidb.operator.testing.TestOperator;
import io.namidb.operator.testing.TestOperatorConfig;
import io.namidb.operator.testing.WithKubeApiServer;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.writer.tls.certManager}: with cert-manager's Certificate API served and the operator
 * told so, the operator asks cert-manager for a certificate of the writer Service's names and
 * mounts the Secret cert-manager fills.
 */
@WithKubeApiServer
class WriterCertificateIT {
  static final ResourceDefinitionContext CERTIFICATES =
      new ResourceDefinitionContext.Builder()
          .withGroup("cert-manager.io")
          .withVersion("v1")
          .withKind("Certificate")
          .withPlural("certificates")
          .withNamespaced(true)
          .build();
  static TestOperator operator;

  @BeforeAll
  static void startOperator(KubeTestNamespace ns) throws Exception {
    try (InputStream crd =
        WriterCertificateIT.class.getResourceAsStream("/cert-manager/certificates-crd.yaml")) {
      CustomResourceDefinition applied =
          ns.client().apiextensions().v1().customResourceDefinitions().load(crd).serverSideApply();
      ns.client()
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(applied.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c.getStatus() != null
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  "Established".equals(x.getType())
                                      && "True".equals(x.getStatus())),
              1,
              TimeUnit.MINUTES);
    }
    operator =
        TestOperator.start(
            ns, TestOperatorConfig.watching(ns.name()).withCertManager(), new FakeWriters());
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void theOperatorAsksCertManagerForTheServiceNamesAndMountsTheSecret(KubernetesClient client) {
    NamiNamespace cr = Tenants.tenant("issued");
    WriterSpec writer = new WriterSpec();
    WriterTlsSpec tls = new WriterTlsSpec();
    WriterTlsSpec.CertManagerSpec certManager = new WriterTlsSpec.CertManagerSpec();
    WriterTlsSpec.IssuerRef issuer = new WriterTlsSpec.IssuerRef();
    issuer.setName("tenants-ca");
    issuer.setKind("ClusterIssuer");
    certManager.setIssuerRef(issuer);
    tls.setCertManager(certManager);
    writer.setTls(tls);
    cr.getSpec().setWriter(writer);
    NamiNamespace created = Tenants.create(client, cr);
    String ns = created.getMetadata().getNamespace();

    GenericKubernetesResource certificate =
        eventually()
            .until(
                () ->
                    client
                        .genericKubernetesResources(CERTIFICATES)
                        .withName("issued-writer-tls")
                        .get(),
                Objects::nonNull);
    assertThat(certificate.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid()));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
    assertThat(spec.get("secretName")).isEqualTo("issued-writer-tls");
    assertThat(spec.get("dnsNames"))
        .isEqualTo(
            List.of(
                "issued-writer",
                "issued-writer." + ns,
                "issued-writer." + ns + ".svc",
                "issued-writer." + ns + ".svc.cluster.local"));
    assertThat(spec.get("issuerRef"))
        .isEqualTo(
            Map.of("name", "tenants-ca", "kind", "ClusterIssuer", "group", "cert-manager.io"));
    assertThat(spec.get("usages"))
        .isEqualTo(List.of("server auth", "digital signature", "key encipherment"));

    Deployment deployment =
        eventually()
            .until(
                () -> client.apps().deployments().withName("issued-writer").get(),
                Objects::nonNull);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("tls");
              assertThat(v.getSecret().getSecretName()).isEqualTo("issued-writer-tls");
            });
    assertThat(pod.getContainers().get(0).getReadinessProbe().getHttpGet().getScheme())
        .isEqualTo("HTTPS");

    // back to plain HTTP: the Certificate goes with the setting
    Tenants.edit(client, "issued", r -> r.getSpec().getWriter().setTls(null));
    eventually()
        .until(
            () ->
                client.genericKubernetesResources(CERTIFICATES).withName("issued-writer-tls").get()
                    == null);
  }
}
