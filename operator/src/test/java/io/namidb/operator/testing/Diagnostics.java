package io.namidb.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a failed operator test prints: every NamiNamespace of the test's namespace (metadata
 * essentials, spec, status), the Events, and the objects the operator manages.
 */
public final class Diagnostics {
  private Diagnostics() {}

  public static String describe(KubernetesClient client, String namespace) {
    StringBuilder out = new StringBuilder();
    out.append("==== diagnostics of namespace ").append(namespace).append('\n');
    try {
      for (GenericKubernetesResource nns :
          client
              .genericKubernetesResources("namidb.io/v1alpha1", "NamiNamespace")
              .inNamespace(namespace)
              .list()
              .getItems()) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("name", nns.getMetadata().getName());
        shown.put("generation", nns.getMetadata().getGeneration());
        shown.put("deletionTimestamp", nns.getMetadata().getDeletionTimestamp());
        shown.put("finalizers", nns.getMetadata().getFinalizers());
        shown.put("spec", nns.getAdditionalProperties().get("spec"));
        shown.put("status", nns.getAdditionalProperties().get("status"));
        out.append("--- NamiNamespace\n").append(Serialization.asYaml(shown));
      }
    } catch (KubernetesClientException e) {
      out.append("(no NamiNamespaces: ").append(e.getMessage()).append(")\n");
    }
    out.append("--- events\n");
    client.v1().events().inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
        .forEach(e -> out.append(line(e)).append('\n'));
    out.append("--- objects\n");
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(
            d ->
                out.append("deployment ")
                    .append(d.getMetadata().getName())
                    .append(" replicas=")
                    .append(d.getSpec().getReplicas())
                    .append(" rv=")
                    .append(d.getMetadata().getResourceVersion())
                    .append(" generation=")
                    .append(d.getMetadata().getGeneration())
                    .append(" observedGeneration=")
                    .append(d.getStatus() == null ? null : d.getStatus().getObservedGeneration())
                    .append(" available=")
                    .append(d.getStatus() == null ? null : d.getStatus().getAvailableReplicas())
                    .append(" labels=")
                    .append(d.getMetadata().getLabels())
                    .append('\n'));
    client
        .batch()
        .v1()
        .cronjobs()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(c -> out.append("cronjob ").append(c.getMetadata().getName()).append('\n'));
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(
            j ->
                out.append("job ")
                    .append(j.getMetadata().getName())
                    .append(" status=")
                    .append(Serialization.asJson(j.getStatus()))
                    .append('\n'));
    client
        .pods()
        .inNamespace(namespace)
        .list()
        .getItems()
        .forEach(p -> out.append("pod ").append(p.getMetadata().getName()).append('\n'));
    return out.toString();
  }

  private static String line(Event e) {
    return e.getLastTimestamp()
        + " "
        + e.getType()
        + " "
        + e.getInvolvedObject().getName()
        + " "
        + e.getReason()
        + ": "
        + e.getMessage();
  }
}
