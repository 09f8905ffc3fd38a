package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * {@code spec.writer.tls}: HTTPS for the writer API, from a certificate Secret in cert-manager's
 * format ({@code tls.crt}, {@code tls.key}, optionally {@code ca.crt}), either given or issued by
 * cert-manager for the writer Service's names.
 */
@ValidationRule(
    value = "has(self.secretName) != has(self.certManager)",
    message = "writer.tls needs exactly one of secretName and certManager")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WriterTlsSpec {
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
      messageExpression = "'writer.tls.secretName must be the name of a Secret, got ' + self")
  @JsonPropertyDescription(
      "A Secret with tls.crt and tls.key (PEM; cert-manager's format), and ca.crt when a CA"
          + " signed it. Renewals reach the writer without a restart.")
  private String secretName;

  @JsonPropertyDescription(
      "Have cert-manager issue the certificate: the operator creates the Certificate"
          + " <name>-writer-tls for the writer Service's DNS names, stored in the Secret"
          + " <name>-writer-tls. Needs cert-manager, and the operator's"
          + " namidb.operator.cert-manager.enabled (chart value certManager.enabled).")
  private CertManagerSpec certManager;

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public CertManagerSpec getCertManager() {
    return certManager;
  }

  public void setCertManager(CertManagerSpec certManager) {
    this.certManager = certManager;
  }

  /** {@code spec.writer.tls.certManager}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CertManagerSpec {
    @Required
    @JsonPropertyDescription("The cert-manager issuer that signs the writer's certificate.")
    private IssuerRef issuerRef;

    public IssuerRef getIssuerRef() {
      return issuerRef;
    }

    public void setIssuerRef(IssuerRef issuerRef) {
      this.issuerRef = issuerRef;
    }
  }

  /** A cert-manager issuer reference. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IssuerRef {
    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the Issuer or ClusterIssuer.")
    private String name;

    @ValidationRule(
        value = "self in ['Issuer', 'ClusterIssuer']",
        messageExpression =
            "'writer.tls.certManager.issuerRef.kind must be Issuer or ClusterIssuer, got ' + self")
    @JsonPropertyDescription("Issuer (default) or ClusterIssuer.")
    private String kind;

    @JsonPropertyDescription("API group of the issuer. Default: cert-manager.io.")
    private String group;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getKind() {
      return kind;
    }

    public void setKind(String kind) {
      this.kind = kind;
    }

    public String getGroup() {
      return group;
    }

    public void setGroup(String group) {
      this.group = group;
    }
  }
}
