package io.namidb.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.jobs}: the pods of the backup (scheduled, on-demand, final) and purge Jobs. Unset
 * fields fall back to {@code spec.writer}'s ({@code nodeSelector}, {@code tolerations}, {@code
 * priorityClassName}); labels and annotations are the Jobs' own (e.g. a service-mesh opt-out, so
 * that a sidecar does not keep a finished Job running). The restore runs inside the writer pod and
 * takes the writer's template.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobsSpec {
  @ValidationRule(
      value =
          "!('app.kubernetes.io/name' in self) && !('app.kubernetes.io/instance' in self)"
              + " && !('app.kubernetes.io/component' in self)"
              + " && !('app.kubernetes.io/managed-by' in self)",
      message =
          "jobs.podLabels cannot set app.kubernetes.io/name, app.kubernetes.io/instance,"
              + " app.kubernetes.io/component or app.kubernetes.io/managed-by: the operator sets"
              + " them to find its pods")
  @JsonPropertyDescription("Extra labels of the Job pods.")
  private Map<String, String> podLabels;

  @JsonPropertyDescription(
      "Extra annotations of the Job pods, e.g. sidecar.istio.io/inject: \"false\".")
  private Map<String, String> podAnnotations;

  @JsonPropertyDescription("Node selector of the Job pods. Default: writer.nodeSelector.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the Job pods. Default: writer.tolerations.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Affinity of the Job pods.")
  private Affinity affinity;

  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
      messageExpression =
          "'jobs.priorityClassName must be the name of a PriorityClass, got ' + self")
  @JsonPropertyDescription("PriorityClass of the Job pods. Default: writer.priorityClassName.")
  private String priorityClassName;

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

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }
}
