package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.WriterTlsSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cert-manager Certificate {@code <cr>-writer-tls} for {@code spec.writer.tls.certManager}: the
 * writer Service's DNS names, signed by the given issuer, into the Secret {@code <cr>-writer-tls}
 * that the writer pod mounts. cert-manager renews it; the writer picks the renewal up without a
 * restart.
 *
 * <p>Not a workflow dependent: the Certificate API exists only where cert-manager is installed, and
 * an informer on a missing API would stop the operator. So the operator applies and removes the
 * Certificate itself, only when told cert-manager is there ({@code
 * namidb.operator.cert-manager.enabled}); it never needs to watch it (it reads the Secret).
 */
final class WriterCertificates {
  static final ResourceDefinitionContext CERTIFICATES =
      new ResourceDefinitionContext.Builder()
          .withGroup("cert-manager.io")
          .withVersion("v1")
          .withKind("Certificate")
          .withPlural("certificates")
          .withNamespaced(true)
          .build();

  private WriterCertificates() {}

  /**
   * Applies the Certificate the resource asks for, or removes the one it asked for before; does
   * nothing when cert-manager support is off.
   */
  static void reconcile(NamiNamespace cr, KubernetesClient client, OperatorConfig config) {
    if (!config.certManager().enabled()) {
      return;
    }
    var certificates =
        client
            .genericKubernetesResources(CERTIFICATES)
            .inNamespace(cr.getMetadata().getNamespace());
    if (WriterAccess.certManager(cr)) {
      certificates
          .resource(desired(cr))
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.SERVER_SIDE_APPLY)
                  .withFieldManager(Constants.MANAGED_BY_VALUE)
                  .withForce(true)
                  .build());
    } else {
      GenericKubernetesResource existing = certificates.withName(Names.writerTls(cr)).get();
      if (existing != null && ownedBy(existing, cr)) {
        certificates.withName(Names.writerTls(cr)).delete();
      }
    }
  }

  static GenericKubernetesResource desired(NamiNamespace cr) {
    WriterTlsSpec.IssuerRef issuer =
        WriterPods.writerSpec(cr).getTls().getCertManager().getIssuerRef();
    Map<String, Object> issuerRef = new LinkedHashMap<>();
    issuerRef.put("name", issuer.getName());
    issuerRef.put("kind", issuer.getKind() == null ? "Issuer" : issuer.getKind());
    issuerRef.put("group", issuer.getGroup() == null ? "cert-manager.io" : issuer.getGroup());
    List<String> dnsNames = Names.writerDnsNames(cr);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("secretName", Names.writerTls(cr));
    spec.put("commonName", dnsNames.get(2));
    spec.put("dnsNames", dnsNames);
    spec.put("usages", List.of("server auth", "digital signature", "key encipherment"));
    spec.put("privateKey", Map.of("rotationPolicy", "Always"));
    spec.put("issuerRef", issuerRef);
    spec.put("secretTemplate", Map.of("labels", WriterPods.labels(cr, Constants.COMPONENT_WRITER)));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("cert-manager.io/v1")
        .withKind("Certificate")
        .withMetadata(WriterPods.metadata(cr, Names.writerTls(cr), Constants.COMPONENT_WRITER))
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private static boolean ownedBy(GenericKubernetesResource r, NamiNamespace cr) {
    return r.getMetadata().getOwnerReferences() != null
        && r.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> cr.getMetadata().getUid().equals(o.getUid()));
  }
}
