package io.namidb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * What users run in their own CI where a Docker engine exists: the images built from the
 * Dockerfiles in the test, k3s in a container, MinIO in the cluster, the operator installed with
 * the chart, a tenant applied, writes through its Service, the writer pod deleted, and the new pod
 * serving all data. Without a Docker engine (as on dev machines of this project) it is skipped;
 * {@link TenantLifecycleE2E} and {@link NodeFailoverE2E} cover the same ground on dev/cluster.
 */
class K3sE2E {
  private static final String K3S_IMAGE = "rancher/k3s:v1.34.1-k3s1";
  private static final String MINIO_IMAGE = "quay.io/minio/minio:latest";

  private static void requireDocker() {
    boolean docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      System.out.println(
          "K3sE2E skipped: no Docker engine on this machine; TenantLifecycleE2E and"
              + " NodeFailoverE2E cover the same ground on dev/cluster.");
    }
    Assumptions.assumeTrue(
        docker,
        "no Docker engine: the Testcontainers k3s suite is skipped. On this machine"
            + " TenantLifecycleE2E and NodeFailoverE2E cover the same ground on dev/cluster's real"
            + " nodes (README, Run on Kubernetes).");
  }

  @Test
  void tenantServesAllItsDataAfterItsWriterPodIsDeleted() throws Exception {
    requireDocker();
    String writerImage = "ghcr.io/namidb/namidb-writer:0.1.0";
    String operatorImage = "ghcr.io/namidb/namidb-operator:0.1.0";
    new ImageFromDockerfile(writerImage, false)
        .withDockerfile(Repo.file("writer/Dockerfile"))
        .get();
    new ImageFromDockerfile(operatorImage, false)
        .withDockerfile(Repo.file("operator/Dockerfile"))
        .get();

    try (K3sContainer k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE))) {
      k3s.start();
      for (String image : new String[] {writerImage, operatorImage}) {
        try (InputStream saved =
            DockerClientFactory.instance().client().saveImageCmd(image).exec()) {
          k3s.copyFileToContainer(Transferable.of(saved.readAllBytes()), "/tmp/image.tar");
        }
        var imported =
            k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/image.tar");
        assertThat(imported.getExitCode()).as(imported.getStderr()).isZero();
      }
      Path kubeconfig = Files.createTempFile("k3s", ".kubeconfig");
      Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
      Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toString());
      Path bin = Path.of(System.getProperty("user.home"), ".cache/namidb/testbin/bin");
      Proc.run(
              Duration.ofMinutes(5),
              env,
              bin.resolve("helm").toString(),
              "install",
              "namidb-operator",
              "charts/namidb-operator",
              "--namespace",
              "namidb-system",
              "--create-namespace",
              "--wait")
          .requireSuccess();
      String cluster =
          """
          apiVersion: v1
          kind: Namespace
          metadata: {name: tenants}
          ---
          apiVersion: v1
          kind: Secret
          metadata: {name: s3-creds, namespace: tenants}
          stringData: {AWS_ACCESS_KEY_ID: minioadmin, AWS_SECRET_ACCESS_KEY: minioadmin}
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: minio, namespace: tenants}
          spec:
            selector: {matchLabels: {app: minio}}
            template:
              metadata: {labels: {app: minio}}
              spec:
                containers:
                  - name: minio
                    image: %s
                    command: [sh, -c, "mkdir -p /data/namidb && exec minio server /data"]
                    ports: [{containerPort: 9000}]
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: minio, namespace: tenants}
          spec:
            selector: {app: minio}
            ports: [{port: 9000}]
          ---
          apiVersion: namidb.io/v1alpha1
          kind: NamiNamespace
          metadata: {name: tenant-acme, namespace: tenants}
          spec:
            storage:
              uri: s3://namidb/data?ns=tenant-acme
              endpoint: http://minio.tenants:9000
              credentialsSecret: s3-creds
          """
              .formatted(MINIO_IMAGE);
      Proc.runWithInput(
              Duration.ofMinutes(2),
              env,
              cluster,
              bin.resolve("kubectl").toString(),
              "apply",
              "-f",
              "-")
          .requireSuccess();

      Config config = Config.fromKubeconfig(k3s.getKubeConfigYaml());
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        Pod first = readyWriter(client);
        try (LocalPortForward forward = forward(client)) {
          Graph.write(api(client, forward));
          Graph.assertServed(api(client, forward));
        }
        client.pods().resource(first).delete();
        Pod second = readyWriter(client);
        assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
        try (LocalPortForward forward = forward(client)) {
          Graph.assertServed(api(client, forward));
        }
      }
    }
  }

  private static Pod readyWriter(KubernetesClient client) {
    return await("a ready writer pod")
        .atMost(Duration.ofMinutes(5))
        .until(
            () ->
                client
                    .pods()
                    .inNamespace("tenants")
                    .withLabel("app.kubernetes.io/component", "writer")
                    .list()
                    .getItems()
                    .stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .filter(Tenants::ready)
                    .findFirst()
                    .orElse(null),
            p -> p != null);
  }

  private static LocalPortForward forward(KubernetesClient client) {
    return client
        .services()
        .inNamespace("tenants")
        .withName("tenant-acme-writer")
        .portForward(8080);
  }

  /** Through the port-forward, with the write token the operator generated. */
  private static WriterApi api(KubernetesClient client, LocalPortForward forward) {
    String token =
        new String(
            java.util.Base64.getDecoder()
                .decode(
                    client
                        .secrets()
                        .inNamespace("tenants")
                        .withName("tenant-acme-writer-auth")
                        .get()
                        .getData()
                        .get("write-token")),
            java.nio.charset.StandardCharsets.UTF_8);
    return new WriterApi(
        "http://127.0.0.1:" + forward.getLocalPort(), Duration.ofSeconds(10), token);
  }
}
