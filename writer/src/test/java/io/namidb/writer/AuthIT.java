package io.namidb.writer;

import static io.namidb.writer.TestGraph.knows;
import static io.namidb.writer.TestGraph.nodes;
import static io.namidb.writer.TestGraph.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.namidb.writer.Http.Reply;
import io.namidb.writer.WriterProcess.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nami serve --auth-tokens FILE} and {@code --host} through a real process (DESIGN §8): who
 * reaches what with which answer, rotation without a restart, and the safe default of listening on
 * loopback only.
 */
class AuthIT {
  static final String READ = "read-token-0123456789abcdef";
  static final String WRITE = "write-token-0123456789abcdef";

  @TempDir Path dir;

  private String uri(String ns) {
    return "file://" + dir.toAbsolutePath() + "?ns=" + ns;
  }

  private Path tokenFile(String content) throws IOException {
    Path file = dir.resolve("tokens");
    replace(file, content);
    return file;
  }

  /** Replaces a file at once, as the kubelet updates a mounted Secret. */
  private static void replace(Path file, String content) {
    try {
      Path tmp = Files.createTempFile(file.getParent(), ".tokens", ".tmp");
      Files.writeString(tmp, content);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private WriterProcess serve(String ns, Path tokens, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("--auth-tokens", tokens.toString()));
    args.addAll(List.of(more));
    int port = WriterProcess.freePort();
    List<String> all = new java.util.ArrayList<>(List.of("serve", "--uri", uri(ns)));
    all.addAll(List.of("--port", Integer.toString(port)));
    all.addAll(args);
    WriterProcess p =
        WriterProcess.start(
            "auth-" + ns, all, Map.of(), List.of("-Dnami.http.auth-reload-interval=200ms"), port);
    p.awaitReady();
    return p;
  }

  @Test
  void everyEndpointButProbesAndMetricsNeedsATokenOfTheRightRole() throws Exception {
    try (WriterProcess w = serve("roles", tokenFile("read " + READ + "\nwrite " + WRITE + "\n"))) {
      Http anonymous = w.http();
      Http reader = anonymous.withToken(READ);
      Http writer = anonymous.withToken(WRITE);

      // probes and metrics stay open
      assertThat(anonymous.get("/q/health/ready").status()).isEqualTo(200);
      assertThat(anonymous.get("/q/health/live").status()).isEqualTo(200);
      assertThat(anonymous.get("/q/health/started").status()).isEqualTo(200);
      assertThat(anonymous.get("/q/metrics").status()).isEqualTo(200);

      // the writer token does everything
      assertThat(writer.put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
      Reply written =
          writer.post(
              "/v1/write",
              "{\"nodes\":["
                  + person("alice", "{\"age\":34,\"emb\":[1,0,0]}")
                  + ","
                  + person("bob", "{\"age\":29,\"emb\":[0,1,0]}")
                  + "],\"edges\":["
                  + knows("alice", "bob", "{}")
                  + "]}");
      assertThat(written.status()).as("%s", written).isEqualTo(200);

      // without a token, with a wrong one, with another scheme: 401, nothing served
      for (Http who :
          List.of(
              anonymous,
              anonymous.withToken("not-a-token-0123456789abcdef"),
              anonymous.withToken(READ + "x"))) {
        for (Reply r :
            List.of(
                who.get("/v1/status"),
                who.get("/v1/schema"),
                who.get("/v1/nodes/Person/alice"),
                who.post("/v1/traverse", "{\"from\":{\"label\":\"Person\",\"key\":\"alice\"}}"),
                who.post("/v1/write", nodes(person("mallory", "{}"))),
                who.put("/v1/schema", "{\"labels\":{\"Evil\":{\"key\":\"STRING\"}}}"))) {
          assertThat(r.status()).as("%s", r).isEqualTo(401);
          assertThat(r.error()).isEqualTo("unauthorized");
          assertThat(r.body()).doesNotContain("alice");
        }
      }

      // the read token reads ...
      assertThat(reader.get("/v1/status").status()).isEqualTo(200);
      assertThat(reader.get("/v1/schema").status()).isEqualTo(200);
      Reply alice = reader.get("/v1/nodes/Person/alice");
      assertThat(alice.status()).isEqualTo(200);
      assertThat(alice.json().at("/props/age").asLong()).isEqualTo(34);
      assertThat(reader.get("/v1/nodes/Person/alice/edges?direction=out").status()).isEqualTo(200);
      Reply reached =
          reader.post(
              "/v1/traverse",
              "{\"from\":{\"label\":\"Person\",\"key\":\"alice\"},"
                  + "\"steps\":[{\"type\":\"KNOWS\",\"direction\":\"out\"}]}");
      assertThat(reached.status()).as("%s", reached).isEqualTo(200);
      assertThat(reached.json().at("/nodes/0/key").asText()).isEqualTo("bob");
      Reply nearest =
          reader.post(
              "/v1/vectors/search",
              "{\"label\":\"Person\",\"property\":\"emb\",\"vector\":[1,0,0],\"k\":1}");
      assertThat(nearest.status()).as("%s", nearest).isEqualTo(200);
      Reply query =
          reader.post(
              "/v1/query", "{\"query\":\"MATCH (p:Person {key: 'alice'}) RETURN p.age AS age\"}");
      assertThat(query.status()).as("%s", query).isEqualTo(200);
      assertThat(query.json().at("/rows/0/0").asLong()).isEqualTo(34);

      // ... and is refused every write with 403, which writes nothing
      for (String cypher :
          List.of(
              "CREATE (:Person {key: 'mallory'})",
              "MERGE (p:Person {key: 'mallory'}) RETURN p",
              "MATCH (p:Person {key: 'alice'}) SET p.age = 1",
              "MATCH (p:Person {key: 'alice'}) DETACH DELETE p")) {
        Reply refused =
            reader.post("/v1/query", "{\"query\":" + Http.JSON.writeValueAsString(cypher) + "}");
        assertThat(refused.status()).as("%s: %s", cypher, refused).isEqualTo(403);
        assertThat(refused.error()).isEqualTo("forbidden");
        assertThat(refused.message()).contains("query that writes");
      }
      assertThat(writer.get("/v1/nodes/Person/alice").json().at("/props/age").asLong())
          .isEqualTo(34);
      Reply created = writer.post("/v1/query", "{\"query\":\"CREATE (:Person {key: 'carol'})\"}");
      assertThat(created.status()).as("%s", created).isEqualTo(200);
      assertThat(writer.get("/v1/nodes/Person/carol").status()).isEqualTo(200);
      Reply write = reader.post("/v1/write", nodes(person("mallory", "{}")));
      assertThat(write.status()).isEqualTo(403);
      assertThat(write.error()).isEqualTo("forbidden");
      assertThat(write.message()).contains("write token").contains("path=/v1/write");
      Reply schema = reader.put("/v1/schema", "{\"labels\":{\"Evil\":{\"key\":\"STRING\"}}}");
      assertThat(schema.status()).isEqualTo(403);
      assertThat(writer.get("/v1/nodes/Person/mallory").status()).isEqualTo(404);
      assertThat(writer.get("/v1/schema").json().at("/labels").has("Evil")).isFalse();

      // refusals are counted, and logged with the client's address and never a token
      String metrics = anonymous.get("/q/metrics").body();
      assertThat(metrics).contains("nami_http_requests_refused_total{reason=\"unauthorized\"}");
      assertThat(metrics).contains("nami_http_requests_refused_total{reason=\"forbidden\"}");
      String log = w.log();
      assertThat(log).contains("request refused").contains("client=127.0.0.1");
      assertThat(log).doesNotContain(READ).doesNotContain(WRITE).doesNotContain("not-a-token");
      long lines = log.lines().filter(l -> l.contains("request refused")).count();
      assertThat(lines).as("refusals are logged at most once per client per window").isLessThan(18);
      w.stopCleanly();
    }
  }

  @Test
  void rotatedTokensTakeEffectWithoutARestart() throws Exception {
    Path tokens = tokenFile("write " + WRITE + "\n");
    try (WriterProcess w = serve("rotate", tokens)) {
      Http old = w.http().withToken(WRITE);
      Http rotated = w.http().withToken(WRITE + "-2");
      assertThat(old.get("/v1/status").status()).isEqualTo(200);
      assertThat(rotated.get("/v1/status").status()).isEqualTo(401);

      // step 1: both tokens, so that clients can move over
      replace(tokens, "write " + WRITE + "\nwrite " + WRITE + "-2\n");
      await("the new token works")
          .atMost(Duration.ofSeconds(30))
          .until(() -> rotated.get("/v1/status").status() == 200);
      assertThat(old.get("/v1/status").status()).isEqualTo(200);

      // a broken file keeps what is in force, and says why once
      replace(tokens, "write short\n");
      await("the broken file is reported")
          .atMost(Duration.ofSeconds(30))
          .until(() -> w.log().contains("the previous tokens stay in force"));
      assertThat(rotated.get("/v1/status").status()).isEqualTo(200);
      assertThat(old.get("/v1/status").status()).isEqualTo(200);

      // step 2: the old token goes
      replace(tokens, "write " + WRITE + "-2\n");
      await("the old token is refused")
          .atMost(Duration.ofSeconds(30))
          .until(() -> old.get("/v1/status").status() == 401);
      assertThat(rotated.get("/v1/status").status()).isEqualTo(200);
      assertThat(w.isAlive()).isTrue();
      assertThat(w.log()).contains("auth tokens reloaded").doesNotContain(WRITE);
      w.stopCleanly();
    }
  }

  @Test
  void theDefaultListensOnLoopbackOnly() throws Exception {
    Optional<InetAddress> external = nonLoopbackAddress();
    assertThat(external).as("this machine has a non-loopback IPv4 address").isPresent();
    int port = WriterProcess.freePort();
    try (WriterProcess w =
        WriterProcess.start(
            "loopback",
            List.of("serve", "--uri", uri("loopback"), "--port", Integer.toString(port)),
            Map.of(),
            List.of(),
            port)) {
      w.awaitReady();
      assertThat(w.http().get("/v1/status").status()).isEqualTo(200);
      assertThatThrownBy(() -> connect(external.get(), port))
          .as("the writer must not be reachable on %s", external.get())
          .isInstanceOf(IOException.class);
      w.stopCleanly();
    }
  }

  @Test
  void anyOtherAddressNeedsTokensOrSaysItIsInsecure() throws Exception {
    Result refused =
        WriterProcess.run(Map.of(), "serve", "--uri", uri("open"), "--host", "0.0.0.0");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr()).contains("is not a loopback address").contains("--auth-tokens");
    Result fromEnv =
        WriterProcess.run(Map.of("NAMI_HTTP_HOST", "0.0.0.0"), "serve", "--uri", uri("open"));
    assertThat(fromEnv.exitCode()).isEqualTo(2);

    InetAddress external = nonLoopbackAddress().orElseThrow();
    int port = WriterProcess.freePort();
    try (WriterProcess w =
        WriterProcess.start(
            "insecure",
            List.of(
                "serve",
                "--uri",
                uri("insecure"),
                "--port",
                Integer.toString(port),
                "--host",
                "0.0.0.0",
                "--insecure-no-auth"),
            Map.of(),
            List.of(),
            port)) {
      w.awaitReady();
      Http outside = new Http("http://" + external.getHostAddress() + ":" + port);
      assertThat(outside.get("/v1/status").status()).isEqualTo(200);
      assertThat(w.log()).contains("serving without authentication on a non-loopback address");
      w.stopCleanly();
    }

    int securePort = WriterProcess.freePort();
    Path tokens = tokenFile("read " + READ + "\n");
    try (WriterProcess w =
        WriterProcess.start(
            "external-tokens",
            List.of(
                "serve",
                "--uri",
                uri("with-tokens"),
                "--port",
                Integer.toString(securePort),
                "--auth-tokens",
                tokens.toString()),
            Map.of("NAMI_HTTP_HOST", "0.0.0.0"),
            List.of(),
            securePort)) {
      w.awaitReady();
      Http outside = new Http("http://" + external.getHostAddress() + ":" + securePort);
      assertThat(outside.get("/v1/status").status()).isEqualTo(401);
      assertThat(outside.withToken(READ).get("/v1/status").status()).isEqualTo(200);
      w.stopCleanly();
    }
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2000);
    }
  }

  /** An IPv4 address of this machine that is not loopback. */
  static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }
}
