package io.namidb.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** NamiNamespaces on the cluster: applying the example overlays, and reading what they became. */
final class Tenants {
  static final ResourceDefinitionContext NNS =
      new ResourceDefinitionContext.Builder()
          .withGroup("namidb.io")
          .withVersion("v1alpha1")
          .withKind("NamiNamespace")
          .withPlural("naminamespaces")
          .withNamespaced(true)
          .build();

  private final Cluster cluster;
  private final String namespace;

  Tenants(Cluster cluster, String namespace) {
    this.cluster = cluster;
    this.namespace = namespace;
  }

  /**
   * A new Kubernetes namespace {@code <base>-<random>} with the s3-creds Secret the overlays name.
   * Random, so that a second run on a kept cluster never waits for the first run's namespace.
   */
  static Tenants inFreshNamespace(Cluster cluster, String base) {
    String namespace =
        base
            + "-"
            + Long.toString(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 20, 1L << 25), 36);
    cluster.kubectl("create", "namespace", namespace).requireSuccess();
    cluster
        .kubectl(
            "-n",
            namespace,
            "create",
            "secret",
            "generic",
            "s3-creds",
            "--from-literal=AWS_ACCESS_KEY_ID=" + cluster.s3AccessKey(),
            "--from-literal=AWS_SECRET_ACCESS_KEY=" + cluster.s3SecretKey())
        .requireSuccess();
    return new Tenants(cluster, namespace);
  }

  String namespace() {
    return namespace;
  }

  /**
   * {@code kubectl kustomize --load-restrictor LoadRestrictionsNone OVERLAY | kubectl apply -f -},
   * with each {@code placeholder -> value} replaced in the rendered YAML first.
   */
  void applyOverlay(String overlay, Map<String, String> substitutions) {
    String yaml =
        cluster
            .kubectl(
                "kustomize",
                "--load-restrictor",
                "LoadRestrictionsNone",
                Repo.file("e2e/src/test/resources/overlays/" + overlay).toString())
            .requireSuccess()
            .stdout();
    for (var s : substitutions.entrySet()) {
      yaml = yaml.replace(s.getKey(), s.getValue());
    }
    cluster.kubectlWithInput(yaml, "-n", namespace, "apply", "-f", "-").requireSuccess();
  }

  Optional<GenericKubernetesResource> find(String name) {
    return Optional.ofNullable(
        cluster
            .client()
            .genericKubernetesResources(NNS)
            .inNamespace(namespace)
            .withName(name)
            .get());
  }

  @SuppressWarnings("unchecked")
  static Object path(GenericKubernetesResource r, String... keys) {
    Object current = r.getAdditionalProperties();
    for (String key : keys) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<String, Object>) current).get(key);
    }
    return current;
  }

  String phase(String name) {
    return find(name).map(r -> (String) path(r, "status", "phase")).orElse(null);
  }

  long epoch(String name) {
    Object epoch = find(name).map(r -> path(r, "status", "writer", "epoch")).orElse(null);
    return epoch == null ? -1 : ((Number) epoch).longValue();
  }

  void awaitPhase(String name, String phase, Duration within) {
    await(name + " phase " + phase)
        .atMost(within)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> phase.equals(phase(name)));
  }

  /** Merge-patches the spec as a user does with kubectl. */
  void patchSpec(String name, String mergePatchJson) {
    cluster
        .kubectl("-n", namespace, "patch", "nns", name, "--type", "merge", "-p", mergePatchJson)
        .requireSuccess();
  }

  void delete(String name, Duration within) {
    cluster
        .kubectl(
            "-n",
            namespace,
            "delete",
            "nns",
            name,
            "--wait=true",
            "--timeout=" + within.toSeconds() + "s")
        .requireSuccess();
  }

  /** {@code http://<ClusterIP of <name>-writer>:8080}: the tenant's Service, as clients use it. */
  String serviceUrl(String name) {
    var svc = cluster.client().services().inNamespace(namespace).withName(name + "-writer").get();
    if (svc == null) {
      throw new AssertionError("no Service " + name + "-writer in " + namespace);
    }
    return "http://" + svc.getSpec().getClusterIP() + ":8080";
  }

  /**
   * A token of the tenant's generated auth Secret {@code <name>-writer-auth}: {@code read-token} or
   * {@code write-token}, as a client reads it (docs/kubernetes.md).
   */
  String token(String name, String key) {
    var secret =
        cluster.client().secrets().inNamespace(namespace).withName(name + "-writer-auth").get();
    if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
      throw new AssertionError("no key " + key + " in Secret " + name + "-writer-auth");
    }
    return new String(
        java.util.Base64.getDecoder().decode(secret.getData().get(key)),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The tenant's Service with its write token, as a client that writes uses it. */
  WriterApi api(String name) {
    return new WriterApi(serviceUrl(name), Duration.ofSeconds(10), token(name, "write-token"));
  }

  /** One writer pod by IP, with the tenant's write token. */
  WriterApi podApi(String name, String podIp, Duration timeout) {
    return new WriterApi("http://" + podIp + ":8080", timeout, token(name, "write-token"));
  }

  List<Pod> writerPods(String name) {
    return cluster
        .client()
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/instance", name)
        .withLabel("app.kubernetes.io/component", "writer")
        .list()
        .getItems();
  }

  static boolean ready(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static Optional<PodCondition> condition(Pod pod, String type) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null
        ? Optional.empty()
        : pod.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst();
  }

  /** The one ready writer pod of {@code name} that is not being deleted, if there is one. */
  Optional<Pod> readyWriter(String name) {
    return writerPods(name).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(Tenants::ready)
        .findFirst();
  }
}
