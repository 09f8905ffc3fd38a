package io.namidb.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The running {@code dev/cluster}: what {@code dev/cluster env} exports (its contract), its
 * commands (partition, heal, kill-runtime), kubectl and helm against it, and its MinIO.
 */
final class Cluster {
  private static volatile Cluster instance;

  private final Map<String, String> env;
  private final Path bin;
  private final KubernetesClient client;

  private Cluster(Map<String, String> env, Path bin) {
    this.env = env;
    this.bin = bin;
    Config config = Config.fromKubeconfig(null, readKubeconfig(env.get("KUBECONFIG")), null);
    config.setRequestTimeout(30_000);
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The cluster; fails (never skips) with the command to run when it is not up. */
  static Cluster get() {
    Cluster c = instance;
    if (c == null) {
      synchronized (Cluster.class) {
        if (instance == null) {
          Proc.Result status =
              Proc.run(Duration.ofSeconds(30), Map.of(), "dev/cluster", "status", "--quiet");
          if (status.exitCode() != 0) {
            throw new AssertionError(
                "dev/cluster is not running: start it with `dev/images && dev/cluster up` "
                    + "(the e2e module's pre-integration-test does)\n"
                    + status.stdout()
                    + status.stderr());
          }
          instance = new Cluster(readEnv(), testbinBin());
        }
        c = instance;
      }
    }
    return c;
  }

  KubernetesClient client() {
    return client;
  }

  List<String> nodes() {
    return Arrays.asList(env.get("NAMIDB_CLUSTER_NODES").trim().split("\\s+"));
  }

  /** MinIO as pods reach it (and this host too). */
  String s3Endpoint() {
    return env.get("NAMIDB_CLUSTER_S3_ENDPOINT");
  }

  String s3AccessKey() {
    return env.get("NAMIDB_CLUSTER_S3_ACCESS_KEY");
  }

  String s3SecretKey() {
    return env.get("NAMIDB_CLUSTER_S3_SECRET_KEY");
  }

  S3Client s3() {
    return S3Client.builder()
        .endpointOverride(URI.create(s3Endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(s3AccessKey(), s3SecretKey())))
        .httpClient(UrlConnectionHttpClient.builder().build())
        .build();
  }

  /** Creates {@code bucket} in the cluster's MinIO unless it exists. */
  void ensureBucket(String bucket) {
    try (S3Client s3 = s3()) {
      try {
        s3.headBucket(b -> b.bucket(bucket));
      } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
        s3.createBucket(b -> b.bucket(bucket));
      }
    }
  }

  void partition(String node) {
    Proc.run(Duration.ofSeconds(30), Map.of(), "dev/cluster", "partition", node).requireSuccess();
  }

  void heal(String node) {
    Proc.run(Duration.ofSeconds(60), Map.of(), "dev/cluster", "heal", node).requireSuccess();
  }

  /** Resumes only the node's container processes; its kubelet stays stopped. */
  void healContainers(String node) {
    Proc.run(Duration.ofSeconds(60), Map.of(), "dev/cluster", "heal", node, "--containers")
        .requireSuccess();
  }

  void killRuntime(String node) {
    Proc.run(Duration.ofSeconds(30), Map.of(), "dev/cluster", "kill-runtime", node)
        .requireSuccess();
  }

  Proc.Result kubectl(String... args) {
    return tool("kubectl", null, args);
  }

  Proc.Result kubectlWithInput(String stdin, String... args) {
    return tool("kubectl", stdin, args);
  }

  Proc.Result helm(String... args) {
    return tool("helm", null, args);
  }

  /** {@code bin/nami} on this host, with the cluster MinIO's keys as AWS credentials. */
  Proc.Result nami(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "bin/nami";
    System.arraycopy(args, 0, command, 1, args.length);
    return Proc.run(
        Duration.ofMinutes(5),
        Map.of("AWS_ACCESS_KEY_ID", s3AccessKey(), "AWS_SECRET_ACCESS_KEY", s3SecretKey()),
        command);
  }

  private Proc.Result tool(String name, String stdin, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = bin.resolve(name).toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Map<String, String> toolEnv = new HashMap<>();
    toolEnv.put("KUBECONFIG", env.get("KUBECONFIG"));
    toolEnv.put("PATH", bin + ":" + System.getenv("PATH"));
    return Proc.runWithInput(Duration.ofMinutes(5), toolEnv, stdin, command);
  }

  private static Map<String, String> readEnv() {
    String out =
        Proc.run(Duration.ofSeconds(30), Map.of(), "dev/cluster", "env").requireSuccess().stdout();
    Map<String, String> env = new HashMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("export ")) {
        int eq = line.indexOf('=');
        String value = line.substring(eq + 1).trim();
        if (value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        env.put(line.substring("export ".length(), eq), value);
      }
    }
    for (String key :
        List.of(
            "KUBECONFIG",
            "NAMIDB_CLUSTER_NODES",
            "NAMIDB_CLUSTER_S3_ENDPOINT",
            "NAMIDB_CLUSTER_S3_ACCESS_KEY",
            "NAMIDB_CLUSTER_S3_SECRET_KEY")) {
      if (env.get(key) == null || env.get(key).isEmpty()) {
        throw new AssertionError("dev/cluster env did not export " + key + ":\n" + out);
      }
    }
    return env;
  }

  private static Path testbinBin() {
    String testbin = System.getenv("NAMIDB_TESTBIN");
    Path dir =
        testbin != null
            ? Path.of(testbin)
            : Path.of(System.getProperty("user.home"), ".cache", "namidb", "testbin");
    return dir.resolve("bin");
  }

  private static String readKubeconfig(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot read the cluster's kubeconfig. path=" + path, e);
    }
  }
}
