package io.namidb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No tenant reaches another's graph, on real nodes with NetworkPolicy enforced (dev/cluster runs
 * kube-router's policy controller): who reached which writer, with which answer. Then a token
 * rotation that reaches the running writer without a restart, a writer serving HTTPS from a
 * certificate Secret (and a renewal of it), and a search of every log, event, status and metric for
 * a secret that should not be there.
 *
 * <p>Clients are pods running the writer image with {@code sleep}: a request is bash's {@code
 * /dev/tcp}, so a refused connection (NetworkPolicy) and an HTTP answer (401, 403, 200) are told
 * apart. The matrix of what was tried is written to {@code target/isolation-matrix.txt}.
 */
@ExtendWith(Diagnostics.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIsolationE2E {
  private static final Duration START = Duration.ofMinutes(3);
  private static final String WRITER_IMAGE = "ghcr.io/namidb/namidb-writer:0.1.0";
  private static final String A = "iso-a";
  private static final String B = "iso-b";
  private static final String SECURE = "iso-tls";

  /** One HTTP/1.0 request over bash's /dev/tcp; prints the status line or why there is none. */
  private static final String PROBE =
      """
      host=$1; port=$2; method=$3; path=$4; token=$5; body=$6
      if ! exec 3<>"/dev/tcp/$host/$port"; then echo "NO-CONNECTION"; exit 0; fi
      {
        printf '%s %s HTTP/1.0\\r\\nHost: %s\\r\\n' "$method" "$path" "$host"
        if [ -n "$token" ]; then printf 'Authorization: Bearer %s\\r\\n' "$token"; fi
        printf 'Content-Type: application/json\\r\\nContent-Length: %s\\r\\n\\r\\n%s' "${#body}" "$body"
      } >&3
      head -n 1 <&3
      """;

  private static Cluster cluster;
  private static Tenants tenantsA;
  private static Tenants tenantsB;
  private static Tenants tenantsC;
  private static final List<String> matrix = new ArrayList<>();

  /** Every secret the test saw: none may show up where it does not belong. */
  private static final Map<String, String> secrets = new LinkedHashMap<>();

  /** Trust in the TLS tenant's CA, once it exists. */
  private static SSLContext tlsTrust;

  @BeforeAll
  static void setUp() {
    cluster = Cluster.get();
    NamiOperator.ensureInstalled(cluster);
    cluster.ensureBucket("namidb");
    tenantsA = Tenants.inFreshNamespace(cluster, "e2e-iso-a");
    tenantsB = Tenants.inFreshNamespace(cluster, "e2e-iso-b");
    tenantsC = Tenants.inFreshNamespace(cluster, "e2e-iso-c");
    apply(tenantsA, A, "");
    apply(tenantsB, B, "");
    clientPod(tenantsA, "client-a", Map.of());
    clientPod(tenantsB, "client-b", Map.of());
    clientPod(tenantsC, "client-c-api", Map.of("role", "api"));
    clientPod(tenantsC, "client-c-other", Map.of());
    tenantsA.awaitPhase(A, "Ready", START);
    tenantsB.awaitPhase(B, "Ready", START);
    secrets.put("the cluster MinIO's secret key", cluster.s3SecretKey());
  }

  @AfterAll
  static void writeMatrix() throws IOException {
    Path out = Repo.file("e2e/target/isolation-matrix.txt");
    Files.createDirectories(out.getParent());
    Files.write(out, matrix);
    matrix.forEach(System.out::println);
  }

  @Test
  @Order(1)
  void onlyTheTenantsOwnNamespaceWithTheRightTokenReachesItsWriter() throws Exception {
    String readA = tenantsA.token(A, "read-token");
    String writeA = tenantsA.token(A, "write-token");
    String writeB = tenantsB.token(B, "write-token");
    secrets.put("A's read token", readA);
    secrets.put("A's write token", writeA);
    secrets.put("B's write token", writeB);
    secrets.put("B's read token", tenantsB.token(B, "read-token"));
    String svcA = clusterIp(tenantsA, A);
    String podA = tenantsA.readyWriter(A).orElseThrow().getStatus().getPodIP();
    String podB = tenantsB.readyWriter(B).orElseThrow().getStatus().getPodIP();
    String write = "{\"labels\":{\"Thing\":{\"key\":\"STRING\"}}}";

    // the tenant's own namespace, through its Service
    expect(
        "A's pod → A's Service, no token",
        tenantsA,
        "client-a",
        svcA,
        "GET",
        "/v1/status",
        null,
        "",
        "401");
    expect(
        "A's pod → A's Service, A's read token",
        tenantsA,
        "client-a",
        svcA,
        "GET",
        "/v1/schema",
        readA,
        "",
        "200");
    expect(
        "A's pod → A's Service, A's read token, PUT schema",
        tenantsA,
        "client-a",
        svcA,
        "PUT",
        "/v1/schema",
        readA,
        write,
        "403");
    expect(
        "A's pod → A's Service, A's write token, PUT schema",
        tenantsA,
        "client-a",
        svcA,
        "PUT",
        "/v1/schema",
        writeA,
        write,
        "200");
    expect(
        "A's pod → A's Service, B's write token",
        tenantsA,
        "client-a",
        svcA,
        "GET",
        "/v1/schema",
        writeB,
        "",
        "401");
    // other namespaces, even with the right token: no connection at all
    expect(
        "B's pod → A's Service, A's write token",
        tenantsB,
        "client-b",
        svcA,
        "GET",
        "/v1/schema",
        writeA,
        "",
        "NO-CONNECTION");
    expect(
        "B's pod → A's writer pod, A's write token",
        tenantsB,
        "client-b",
        podA,
        "GET",
        "/v1/schema",
        writeA,
        "",
        "NO-CONNECTION");
    expect(
        "A's pod → B's writer pod, B's write token",
        tenantsA,
        "client-a",
        podB,
        "GET",
        "/v1/schema",
        writeB,
        "",
        "NO-CONNECTION");
    expect(
        "C's pod → A's writer pod, A's write token",
        tenantsC,
        "client-c-api",
        podA,
        "GET",
        "/v1/schema",
        writeA,
        "",
        "NO-CONNECTION");
    // the host is no pod of the cluster
    assertThatThrownBy(() -> connect(podA))
        .as("the host reaches A's writer pod")
        .isInstanceOf(IOException.class);
    matrix.add(row("host (10.231.0.1) → A's writer pod", "NO-CONNECTION"));

    // the operator still asks A's writer (its namespace is let in), and the probes still pass
    assertThat(tenantsA.epoch(A)).isPositive();
    assertThat(condition(tenantsA, A, "WriterReachable")).isEqualTo("True");
    assertThat(tenantsA.phase(A)).isEqualTo("Ready");
  }

  @Test
  @Order(2)
  void aRotatedTokenReachesTheRunningWriterWithoutARestart() throws Exception {
    String svcA = clusterIp(tenantsA, A);
    Pod before = tenantsA.readyWriter(A).orElseThrow();
    String oldRead = tenantsA.token(A, "read-token");
    String oldWrite = tenantsA.token(A, "write-token");
    String newRead = "rotated-read-" + Long.toHexString(System.nanoTime()) + "-0123456789";
    String newWrite = "rotated-write-" + Long.toHexString(System.nanoTime()) + "-0123456789";
    secrets.put("A's rotated read token", newRead);
    secrets.put("A's rotated write token", newWrite);

    // step 1: the new tokens beside the old ones, new read token first (the operator's pick)
    patchTokens(
        "read "
            + newRead
            + "\nread "
            + oldRead
            + "\nwrite "
            + newWrite
            + "\nwrite "
            + oldWrite
            + "\n",
        newRead,
        newWrite);
    awaitAnswer(tenantsA, "client-a", svcA, "GET", "/v1/schema", newWrite, "200");
    matrix.add(row("A's pod → A's Service, new write token after rotation step 1", "200"));
    assertThat(probe(tenantsA, "client-a", svcA, "GET", "/v1/schema", oldWrite, ""))
        .isEqualTo("200");

    // step 2: the old ones go
    patchTokens("read " + newRead + "\nwrite " + newWrite + "\n", newRead, newWrite);
    awaitAnswer(tenantsA, "client-a", svcA, "GET", "/v1/schema", oldWrite, "401");
    matrix.add(row("A's pod → A's Service, old write token after rotation step 2", "401"));
    assertThat(probe(tenantsA, "client-a", svcA, "GET", "/v1/schema", newWrite, ""))
        .isEqualTo("200");

    Pod after = tenantsA.readyWriter(A).orElseThrow();
    assertThat(after.getMetadata().getUid())
        .as("same pod")
        .isEqualTo(before.getMetadata().getUid());
    assertThat(after.getStatus().getContainerStatuses().get(0).getRestartCount())
        .as("no restart")
        .isZero();
    // the operator follows the rotation: its read token is the new one now
    await("the operator still reaches A's writer")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> "True".equals(condition(tenantsA, A, "WriterReachable")));
  }

  @Test
  @Order(3)
  void clientsSelectWhoGetsInAndEverybodyElseStaysOut() throws Exception {
    String podA = tenantsA.readyWriter(A).orElseThrow().getStatus().getPodIP();
    tenantsA.patchSpec(
        A,
        "{\"spec\":{\"writer\":{\"clients\":[{\"namespaceSelector\":{\"matchLabels\":"
            + "{\"kubernetes.io/metadata.name\":\""
            + tenantsC.namespace()
            + "\"}},\"podSelector\":{\"matchLabels\":{\"role\":\"api\"}}}]}}}");
    awaitAnswer(tenantsC, "client-c-api", podA, "GET", "/v1/status", null, "401");
    matrix.add(
        row("C's pod labelled role=api → A's writer pod, no token (A's clients select it)", "401"));
    awaitAnswer(tenantsA, "client-a", podA, "GET", "/v1/status", null, "NO-CONNECTION");
    matrix.add(
        row("A's own pod → A's writer pod, once clients names only C's api pods", "NO-CONNECTION"));
    expect(
        "C's pod without the label → A's writer pod",
        tenantsC,
        "client-c-other",
        podA,
        "GET",
        "/v1/status",
        null,
        "",
        "NO-CONNECTION");
    // the operator and the kubelet are not affected
    assertThat(tenantsA.phase(A)).isEqualTo("Ready");
    await("the operator still reaches A's writer")
        .atMost(Duration.ofMinutes(1))
        .until(() -> "True".equals(condition(tenantsA, A, "WriterReachable")));
  }

  @Test
  @Order(4)
  void aWriterServesHttpsFromItsCertificateSecretAndPicksUpARenewal() throws Exception {
    Path dir = Files.createTempDirectory("e2e-tls");
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=e2e-tenants-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    // The resource first: its Service's ClusterIP goes into the certificate, so the host can
    // check the name too. The pod waits for the Secret.
    apply(
        tenantsA,
        SECURE,
        """
          writer:
            tls: {secretName: iso-tls-cert}
            env: [{name: NAMI_HTTP_TLS_RELOAD_INTERVAL, value: 5s}]
            clients: [{podSelector: {}}, {ipBlock: {cidr: 10.231.0.0/24}}]
        """);
    await("the Service of the TLS tenant")
        .atMost(START)
        .ignoreExceptions()
        .until(() -> clusterIp(tenantsA, SECURE) != null);
    String ip = clusterIp(tenantsA, SECURE);
    issue(dir, "first", ip);
    createTlsSecret(dir, "first");
    tenantsA.awaitPhase(SECURE, "Ready", START);
    assertThat(path(tenantsA, SECURE, "status", "writer", "endpoint")).startsWith("https://");
    await("the operator reads the epoch over HTTPS, trusting only the tenant's CA")
        .atMost(START)
        .until(() -> tenantsA.epoch(SECURE) > 0);

    SSLContext trust = trusting(dir.resolve("ca.crt"));
    tlsTrust = trust;
    String token = tenantsA.token(SECURE, "read-token");
    secrets.put("the TLS tenant's read token", token);
    secrets.put("the TLS tenant's write token", tenantsA.token(SECURE, "write-token"));
    String keyLine = Files.readAllLines(dir.resolve("first.key")).get(2);
    secrets.put("a line of the TLS private key", keyLine);
    WriterApi https =
        new WriterApi("https://" + ip + ":8080", Duration.ofSeconds(10), token, trust);
    assertThat(https.get("/v1/status").require(200).json().get("state").asText())
        .isEqualTo("WRITER");
    matrix.add(
        row(
            "host → TLS tenant's Service over HTTPS (CA checked, name checked), read token",
            "200"));
    assertThatThrownBy(
            () ->
                new WriterApi("http://" + ip + ":8080", Duration.ofSeconds(5), token)
                    .get("/v1/status"))
        .as("plain HTTP on the HTTPS port")
        .isInstanceOf(IOException.class);
    matrix.add(row("host → TLS tenant's Service over plain HTTP", "no HTTP answer"));
    String firstSerial = servedSerial(ip, trust);

    // cert-manager renews: same names, new key; the running writer serves it
    issue(dir, "second", ip);
    replaceTlsSecret(dir, "second");
    await("the renewed certificate is served")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(() -> !servedSerial(ip, trust).equals(firstSerial));
    Pod writer = tenantsA.readyWriter(SECURE).orElseThrow();
    assertThat(writer.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    secrets.put(
        "a line of the renewed TLS private key",
        Files.readAllLines(dir.resolve("second.key")).get(2));
  }

  @Test
  @Order(5)
  void noSecretShowsUpInLogsEventsStatusesOrMetrics() throws Exception {
    Map<String, String> places = new LinkedHashMap<>();
    places.put(
        "operator log",
        cluster
            .kubectl(
                "-n", NamiOperator.NAMESPACE, "logs", "deploy/" + NamiOperator.RELEASE, "--tail=-1")
            .requireSuccess()
            .stdout());
    for (Tenants t : List.of(tenantsA, tenantsB, tenantsC)) {
      places.put(
          "writer and Job logs in " + t.namespace(),
          cluster
              .kubectl(
                  "-n",
                  t.namespace(),
                  "logs",
                  "-l",
                  "app.kubernetes.io/name=namidb-writer",
                  "--all-containers",
                  "--prefix",
                  "--tail=-1",
                  "--max-log-requests=20")
              .stdout());
      places.put(
          "events in " + t.namespace(),
          cluster
              .kubectl("-n", t.namespace(), "get", "events", "-o", "yaml")
              .requireSuccess()
              .stdout());
      places.put(
          "NamiNamespaces in " + t.namespace(),
          cluster
              .kubectl("-n", t.namespace(), "get", "nns", "-o", "yaml")
              .requireSuccess()
              .stdout());
      places.put(
          "Deployments in " + t.namespace(),
          cluster
              .kubectl("-n", t.namespace(), "get", "deploy", "-o", "yaml")
              .requireSuccess()
              .stdout());
    }
    places.put("operator metrics", operatorMetrics());
    String ip = clusterIp(tenantsA, SECURE);
    places.put(
        "TLS writer's metrics",
        new WriterApi("https://" + ip + ":8080", Duration.ofSeconds(10), null, tlsTrust)
            .get("/q/metrics")
            .require(200)
            .body());
    Proc.Result status =
        cluster.nami(
            "status",
            "--uri",
            "s3://namidb/data?ns="
                + tenantsA.namespace()
                + "&endpoint="
                + java.net.URLEncoder.encode(cluster.s3Endpoint(), StandardCharsets.UTF_8)
                + "&pathStyle=true&region=us-east-1");
    assertThat(status.exitCode()).as(status.stderr()).isZero();
    places.put("nami status", status.stdout() + status.stderr());
    Proc.Result refused =
        cluster.nami(
            "status",
            "--uri",
            "s3://no-such-bucket-e2e/data?ns=x&endpoint="
                + java.net.URLEncoder.encode(cluster.s3Endpoint(), StandardCharsets.UTF_8)
                + "&pathStyle=true&region=us-east-1");
    places.put("a failing nami command", refused.stdout() + refused.stderr());

    List<String> leaks = new ArrayList<>();
    for (var place : places.entrySet()) {
      assertThat(place.getValue()).as(place.getKey() + " was read").isNotNull();
      for (var secret : secrets.entrySet()) {
        if (place.getValue().contains(secret.getValue())) {
          leaks.add(secret.getKey() + " in " + place.getKey());
        }
      }
    }
    matrix.add(
        row(
            "searched " + places.size() + " places for " + secrets.size() + " secrets",
            leaks.isEmpty() ? "none found" : leaks.toString()));
    assertThat(leaks).as("secrets where they do not belong").isEmpty();
    assertThat(places.get("writer and Job logs in " + tenantsA.namespace()))
        .as("refusals are logged, without the token")
        .contains("request refused");
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static void apply(Tenants tenants, String name, String extraSpec) {
    String yaml =
        """
        apiVersion: namidb.io/v1alpha1
        kind: NamiNamespace
        metadata:
          name: %s
        spec:
          storage:
            uri: s3://namidb/data?ns=%s
            endpoint: %s
            credentialsSecret: s3-creds
          deletionPolicy: Retain
        %s"""
            .formatted(name, tenants.namespace() + "-" + name, cluster.s3Endpoint(), extraSpec);
    cluster.kubectlWithInput(yaml, "-n", tenants.namespace(), "apply", "-f", "-").requireSuccess();
  }

  /** A pod of the writer image that only sleeps: the client the probes run in. */
  private static void clientPod(Tenants tenants, String name, Map<String, String> labels) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(tenants.namespace())
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withTerminationGracePeriodSeconds(1L)
            .addNewContainer()
            .withName("client")
            .withImage(WRITER_IMAGE)
            .withImagePullPolicy("IfNotPresent")
            .withCommand("sleep", "3600")
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withAllowPrivilegeEscalation(false)
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    cluster.client().pods().inNamespace(tenants.namespace()).resource(pod).create();
    await("client pod " + name)
        .atMost(START)
        .until(
            () -> {
              Pod p = cluster.client().pods().inNamespace(tenants.namespace()).withName(name).get();
              return p != null && Tenants.ready(p) && p.getStatus().getPodIP() != null;
            });
  }

  /** The status code a client pod gets, or NO-CONNECTION. */
  private static String probe(
      Tenants tenants,
      String pod,
      String host,
      String method,
      String path,
      String token,
      String body) {
    Proc.Result r =
        cluster.kubectl(
            "-n",
            tenants.namespace(),
            "exec",
            pod,
            "--",
            "timeout",
            "10",
            "bash",
            "-c",
            PROBE,
            "probe",
            host,
            "8080",
            method,
            path,
            token == null ? "" : token,
            body);
    String line = r.stdout().strip();
    if (line.startsWith("HTTP/")) {
      return line.split(" ")[1];
    }
    return "NO-CONNECTION";
  }

  private static void expect(
      String what,
      Tenants tenants,
      String pod,
      String host,
      String method,
      String path,
      String token,
      String body,
      String expected) {
    String got = probe(tenants, pod, host, method, path, token, body);
    matrix.add(row(what + " (" + method + " " + path + ")", got));
    assertThat(got).as(what).isEqualTo(expected);
  }

  /** NetworkPolicy and mounted Secrets change within seconds; the answer follows. */
  private static void awaitAnswer(
      Tenants tenants,
      String pod,
      String host,
      String method,
      String path,
      String token,
      String expected) {
    await(pod + " gets " + expected + " from " + host + path)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> expected.equals(probe(tenants, pod, host, method, path, token, "")));
  }

  private static String row(String what, String answer) {
    return String.format("| %s | %s |", what, answer);
  }

  private static void patchTokens(String file, String read, String write) {
    String json =
        "{\"stringData\":{\"tokens\":"
            + WriterApi.JSON.valueToTree(file)
            + ",\"read-token\":\""
            + read
            + "\",\"write-token\":\""
            + write
            + "\"}}";
    cluster
        .kubectl(
            "-n",
            tenantsA.namespace(),
            "patch",
            "secret",
            A + "-writer-auth",
            "--type",
            "merge",
            "-p",
            json)
        .requireSuccess();
  }

  private static String clusterIp(Tenants tenants, String name) {
    var svc =
        cluster
            .client()
            .services()
            .inNamespace(tenants.namespace())
            .withName(name + "-writer")
            .get();
    return svc == null ? null : svc.getSpec().getClusterIP();
  }

  private static String condition(Tenants tenants, String name, String type) {
    Object conditions =
        tenants.find(name).map(r -> Tenants.path(r, "status", "conditions")).orElse(null);
    if (conditions instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
          return (String) m.get("status");
        }
      }
    }
    return null;
  }

  private static String path(Tenants tenants, String name, String... keys) {
    return tenants.find(name).map(r -> (String) Tenants.path(r, keys)).orElse("");
  }

  private static void connect(String ip) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ip, 8080), 5000);
    }
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(1, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new AssertionError("openssl failed: " + command + "\n" + output);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A certificate for the writer Service's names and its ClusterIP, signed by the test CA. */
  private static void issue(Path dir, String name, String clusterIp) {
    String names =
        "subjectAltName=DNS:"
            + SECURE
            + "-writer,DNS:"
            + SECURE
            + "-writer."
            + tenantsA.namespace()
            + ".svc,IP:"
            + clusterIp;
    openssl(
        dir,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + SECURE + "-writer",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    try {
      Files.writeString(ext, names + "\nextendedKeyUsage=serverAuth\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".crt");
  }

  private static void createTlsSecret(Path dir, String name) {
    cluster
        .kubectl(
            "-n",
            tenantsA.namespace(),
            "create",
            "secret",
            "generic",
            "iso-tls-cert",
            "--from-file=tls.crt=" + dir.resolve(name + ".crt"),
            "--from-file=tls.key=" + dir.resolve(name + ".key"),
            "--from-file=ca.crt=" + dir.resolve("ca.crt"))
        .requireSuccess();
  }

  private static void replaceTlsSecret(Path dir, String name) {
    String yaml =
        cluster
            .kubectl(
                "-n",
                tenantsA.namespace(),
                "create",
                "secret",
                "generic",
                "iso-tls-cert",
                "--from-file=tls.crt=" + dir.resolve(name + ".crt"),
                "--from-file=tls.key=" + dir.resolve(name + ".key"),
                "--from-file=ca.crt=" + dir.resolve("ca.crt"),
                "--dry-run=client",
                "-o",
                "yaml")
            .requireSuccess()
            .stdout();
    cluster.kubectlWithInput(yaml, "-n", tenantsA.namespace(), "apply", "-f", "-").requireSuccess();
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      store.setCertificateEntry(
          "ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  /** The serial number of the certificate a new HTTPS connection is shown. */
  private static String servedSerial(String ip, SSLContext trust) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<Void> r =
        client.send(
            HttpRequest.newBuilder(URI.create("https://" + ip + ":8080/q/health/live"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0])
        .getSerialNumber()
        .toString(16);
  }

  private static String operatorMetrics() throws Exception {
    Pod operator = NamiOperator.leader(cluster);
    return new WriterApi(
            "http://" + operator.getStatus().getPodIP() + ":8080", Duration.ofSeconds(10))
        .get("/q/metrics")
        .require(200)
        .body();
  }
}
