package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;

/** {@code spec.writer}: the writer pod. Unset fields take the operator's configured defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WriterSpec {
  @Size(max = 512)
  @ValidationRule(
      value = "self.matches('^[^ ]+$')",
      messageExpression =
          "'writer.image must be an image reference without spaces, got \"' + self + '\"'")
  @JsonPropertyDescription("Writer image. Default: the operator's namidb.operator.writer.image.")
  private String image;

  @JsonPropertyDescription(
      "CPU and memory of the writer (and of its backup, restore and purge Jobs)."
          + " Default: the operator's namidb.operator.writer.resources.")
  private ResourceRequirements resources;

  @Default("false")
  @JsonPropertyDescription(
      "true scales the writer to zero; the data is kept and the status phase is Suspended.")
  private Boolean suspend;

  @Size(max = 64)
  @ValidationRule(
      value =
          "self.all(e, !(e.name in ['NAMI_URI', 'NAMI_HTTP_PORT', 'NAMI_HTTP_HOST',"
              + " 'NAMI_AUTH_TOKENS', 'NAMI_TLS_CERT', 'NAMI_TLS_KEY', 'AWS_ACCESS_KEY_ID',"
              + " 'AWS_SECRET_ACCESS_KEY']))",
      message =
          "writer.env cannot set NAMI_URI, NAMI_HTTP_PORT, NAMI_HTTP_HOST, NAMI_AUTH_TOKENS,"
              + " NAMI_TLS_CERT, NAMI_TLS_KEY, AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY: the"
              + " operator sets them from spec.storage and spec.writer.auth/tls (use"
              + " spec.storage.credentialsSecret for credentials)")
  @JsonPropertyDescription("Extra environment variables of the writer container.")
  private List<EnvVar> env;

  @JsonPropertyDescription("Node selector of the writer pod and its Jobs.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the writer pod and its Jobs.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Affinity of the writer pod.")
  private Affinity affinity;

  @ValidationRule(
      value =
          "!('app.kubernetes.io/name' in self) && !('app.kubernetes.io/instance' in self)"
              + " && !('app.kubernetes.io/component' in self)"
              + " && !('app.kubernetes.io/managed-by' in self)",
      message =
          "writer.podLabels cannot set app.kubernetes.io/name, app.kubernetes.io/instance,"
              + " app.kubernetes.io/component or app.kubernetes.io/managed-by: the operator sets"
              + " them to find its pods")
  @JsonPropertyDescription("Extra labels of the writer pod.")
  private Map<String, String> podLabels;

  @JsonPropertyDescription("Extra annotations of the writer pod.")
  private Map<String, String> podAnnotations;

  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
      messageExpression =
          "'writer.serviceAccountName must be the name of a ServiceAccount, got ' + self")
  @JsonPropertyDescription(
      "ServiceAccount of the writer pod and its Jobs (e.g. for IRSA / workload identity).")
  private String serviceAccountName;

  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
      messageExpression =
          "'writer.priorityClassName must be the name of a PriorityClass, got ' + self")
  @JsonPropertyDescription("PriorityClass of the writer pod and its Jobs.")
  private String priorityClassName;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Secrets to pull the writer image with, for the writer pod and its Jobs.")
  private List<LocalObjectReference> imagePullSecrets;

  @Size(max = 8)
  @JsonPropertyDescription("Topology spread constraints of the writer pod.")
  private List<TopologySpreadConstraint> topologySpreadConstraints;

  @JsonPropertyDescription(
      "Bearer tokens of the writer API. Default: generated into the Secret <name>-writer-auth.")
  private WriterAuthSpec auth;

  @JsonPropertyDescription("HTTPS for the writer API. Default: plain HTTP.")
  private WriterTlsSpec tls;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Who may connect to the writer's port, as NetworkPolicy peers (podSelector,"
          + " namespaceSelector, ipBlock); the operator is always allowed. Default: every pod in"
          + " this resource's Kubernetes namespace. [] allows only the operator. Enforced when the"
          + " operator's NetworkPolicies are on (chart value networkPolicy.enabled) and the"
          + " cluster's network plugin enforces NetworkPolicy.")
  private List<NetworkPolicyPeer> clients;

  public WriterAuthSpec getAuth() {
    return auth;
  }

  public void setAuth(WriterAuthSpec auth) {
    this.auth = auth;
  }

  public WriterTlsSpec getTls() {
    return tls;
  }

  public void setTls(WriterTlsSpec tls) {
    this.tls = tls;
  }

  public List<NetworkPolicyPeer> getClients() {
    return clients;
  }

  public void setClients(List<NetworkPolicyPeer> clients) {
    this.clients = clients;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
    return topologySpreadConstraints;
  }

  public void setTopologySpreadConstraints(
      List<TopologySpreadConstraint> topologySpreadConstraints) {
    this.topologySpreadConstraints = topologySpreadConstraints;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public Map<String, String> getPodLabels() {
    return podLabels;
  }

  public void setPodLabels(Map<String, String> podLabels) {
    this.podLabels = podLabels;
  }

  public Map<String, String> getPodAnnotations() {
    return podAnnotations;
  }

  public void setPodAnnotations(Map<String, String> podAnnotations) {
    this.podAnnotations = podAnnotations;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }
}
