package io.namidb.operator.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.namidb.operator.api.NamiNamespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NetworkPolicy {@code <cr>-writer}: only {@code spec.writer.clients} (default: every pod in the
 * resource's own Kubernetes namespace), the operator's pods and the configured extra peers may open
 * connections to the writer's port. Kubelet probes come from the node and are always let through by
 * NetworkPolicy semantics; egress (to the object store) is not restricted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Constants.MANAGED_SELECTOR))
public class WriterNetworkPolicyDependentResource
    extends CRUDKubernetesDependentResource<NetworkPolicy, NamiNamespace> {
  private static final ObjectMapper JSON = new ObjectMapper();

  public WriterNetworkPolicyDependentResource() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy desired(NamiNamespace cr, Context<NamiNamespace> context) {
    OperatorConfig config = OperatorContext.config(context);
    List<NetworkPolicyPeer> from = new ArrayList<>();
    List<NetworkPolicyPeer> clients = WriterPods.writerSpec(cr).getClients();
    if (clients == null) {
      // every pod of this Kubernetes namespace
      from.add(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build());
    } else {
      from.addAll(clients);
    }
    config
        .networkPolicy()
        .operatorNamespace()
        .filter(ns -> !ns.isBlank())
        .ifPresent(
            ns ->
                from.add(
                    new NetworkPolicyPeerBuilder()
                        .withNamespaceSelector(
                            new LabelSelectorBuilder()
                                .withMatchLabels(Map.of("kubernetes.io/metadata.name", ns))
                                .build())
                        .withPodSelector(selector(config.networkPolicy().operatorPodSelector()))
                        .build()));
    from.addAll(extraFrom(config));
    return new NetworkPolicyBuilder()
        .withMetadata(
            WriterPods.metadata(cr, Names.writerNetworkPolicy(cr), Constants.COMPONENT_WRITER))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(WriterPods.writerSelector(cr))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withPorts(
            new NetworkPolicyPortBuilder()
                .withProtocol("TCP")
                .withPort(new IntOrString(Constants.HTTP_PORT))
                .build())
        .withFrom(from)
        .endIngress()
        .endSpec()
        .build();
  }

  /** {@code a=b,c=d} as a label selector. */
  static LabelSelector selector(String labels) {
    Map<String, String> match = new LinkedHashMap<>();
    for (String pair : labels.split(",")) {
      String p = pair.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "namidb.operator.network-policy.operator-pod-selector must be key=value[,...], got "
                + labels);
      }
      match.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
    }
    return new LabelSelectorBuilder().withMatchLabels(match).build();
  }

  static List<NetworkPolicyPeer> extraFrom(OperatorConfig config) {
    String json = config.networkPolicy().extraFrom().orElse("").strip();
    if (json.isEmpty()) {
      return List.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<List<NetworkPolicyPeer>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "namidb.operator.network-policy.extra-from must be a JSON array of NetworkPolicy"
              + " peers: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /** On when the operator's configuration says so, and not for a resource in conflict. */
  public static class Enabled implements Condition<NetworkPolicy, NamiNamespace> {
    @Override
    public boolean isMet(
        DependentResource<NetworkPolicy, NamiNamespace> dependent,
        NamiNamespace cr,
        Context<NamiNamespace> context) {
      return OperatorContext.config(context).networkPolicy().enabled()
          && StorageConflicts.holderOtherThan(cr, context).isEmpty();
    }
  }
}
