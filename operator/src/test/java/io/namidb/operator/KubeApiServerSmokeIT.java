package io.namidb.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.namidb.operator.testing.WithKubeApiServer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Proves the harness gives a real kube-apiserver: CRD registration, CR round trip, watch. */
@WithKubeApiServer
class KubeApiServerSmokeIT {
  private static final ResourceDefinitionContext WIDGETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("smoke.namidb.io")
          .withVersion("v1")
          .withKind("Widget")
          .withPlural("widgets")
          .withNamespaced(true)
          .build();

  @Test
  void registersCrdCreatesReadsAndWatchesACustomResource(KubernetesClient client)
      throws InterruptedException {
    CustomResourceDefinition crd = widgetCrd();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(KubeApiServerSmokeIT::established, 60, TimeUnit.SECONDS);

    GenericKubernetesResource created =
        client
            .genericKubernetesResources(WIDGETS)
            .resource(
                new GenericKubernetesResourceBuilder()
                    .withApiVersion("smoke.namidb.io/v1")
                    .withKind("Widget")
                    .withNewMetadata()
                    .withName("w1")
                    .endMetadata()
                    .addToAdditionalProperties("spec", Map.of("size", 1))
                    .build())
            .create();
    assertThat(created.getMetadata().getUid()).isNotBlank();

    GenericKubernetesResource read =
        client.genericKubernetesResources(WIDGETS).withName("w1").get();
    assertThat(spec(read)).containsEntry("size", 1);

    BlockingQueue<GenericKubernetesResource> modified = new LinkedBlockingQueue<>();
    try (Watch watch =
        client
            .genericKubernetesResources(WIDGETS)
            .withName("w1")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, GenericKubernetesResource resource) {
                    if (action == Action.MODIFIED) {
                      modified.add(resource);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      client
          .genericKubernetesResources(WIDGETS)
          .withName("w1")
          .edit(
              r -> {
                Map<String, Object> spec = new HashMap<>(spec(r));
                spec.put("size", 3);
                r.setAdditionalProperty("spec", spec);
                return r;
              });

      GenericKubernetesResource event = modified.poll(60, TimeUnit.SECONDS);
      assertThat(event).as("MODIFIED event from the watch").isNotNull();
      assertThat(spec(event)).containsEntry("size", 3);
      assertThat(event.getMetadata().getResourceVersion())
          .isNotEqualTo(read.getMetadata().getResourceVersion());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static CustomResourceDefinition widgetCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("widgets.smoke.namidb.io")
        .endMetadata()
        .withNewSpec()
        .withGroup("smoke.namidb.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("Widget")
        .withPlural("widgets")
        .withSingular("widget")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withOpenAPIV3Schema(
            new JSONSchemaPropsBuilder()
                .withType("object")
                .addToProperties(
                    "spec",
                    new JSONSchemaPropsBuilder()
                        .withType("object")
                        .addToProperties(
                            "size", new JSONSchemaPropsBuilder().withType("integer").build())
                        .build())
                .build())
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
