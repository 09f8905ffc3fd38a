package io.namidb.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nami serve --tls-cert --tls-key}: HTTPS only, with cert-manager's files ({@code tls.crt},
 * {@code tls.key}), and a renewed certificate served without a restart.
 */
class TlsIT {
  @TempDir Path dir;

  @Test
  void servesHttpsOnlyAndPicksUpARenewedCertificate() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    X509Certificate first = selfSigned(dir.resolve("first"), "nami-first");
    X509Certificate second = selfSigned(dir.resolve("second"), "nami-second");
    install(dir.resolve("first"), cert, key);
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "read " + AuthIT.READ + "\n");
    int port = WriterProcess.freePort();
    try (WriterProcess w =
        WriterProcess.start(
            "tls",
            List.of(
                "serve",
                "--uri",
                "file://" + dir.toAbsolutePath() + "?ns=tls",
                "--port",
                Integer.toString(port),
                "--auth-tokens",
                tokens.toString(),
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString()),
            Map.of(),
            List.of("-Dnami.http.tls-reload-interval=1s"),
            port)) {
      SSLContext trust = trusting(first, second);
      String base = "https://127.0.0.1:" + port;
      Http https = new Http(base, AuthIT.READ, trust);
      await("the writer serves HTTPS and is ready")
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .failFast(() -> !w.isAlive())
          .until(() -> https.get("/q/health/ready").status() == 200);
      assertThat(https.get("/v1/status").json().get("state").asText()).isEqualTo("WRITER");
      assertThat(https.withToken(null).get("/v1/status").status()).isEqualTo(401);
      assertThat(servedCertificate(base, trust)).isEqualTo(first);

      // no plain HTTP on the port
      Http plain = new Http("http://127.0.0.1:" + port);
      assertThatThrownBy(() -> plain.get("/q/health/ready"))
          .isInstanceOf(UncheckedIOException.class);

      // cert-manager renews: the new certificate is served to new connections, same process
      install(dir.resolve("second"), cert, key);
      await("the renewed certificate is served")
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> servedCertificate(base, trust).equals(second));
      assertThat(https.get("/v1/status").status()).isEqualTo(200);
      assertThat(w.isAlive()).isTrue();
      w.stopCleanly();
    }
  }

  /** The certificate a new HTTPS connection to {@code base} is shown. */
  private static X509Certificate servedCertificate(String base, SSLContext trust)
      throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(trust)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<Void> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/q/health/live"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    Certificate[] chain = r.sslSession().orElseThrow().getPeerCertificates();
    return (X509Certificate) chain[0];
  }

  /** A self-signed certificate for 127.0.0.1 made by openssl into {@code out/tls.{crt,key}}. */
  static X509Certificate selfSigned(Path out, String name) throws Exception {
    Files.createDirectories(out);
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + name,
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                out.resolve("tls.key").toString(),
                "-out",
                out.resolve("tls.crt").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("openssl: %s", output).isZero();
    return read(out.resolve("tls.crt"));
  }

  static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  static SSLContext trusting(X509Certificate... certificates) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    for (int i = 0; i < certificates.length; i++) {
      store.setCertificateEntry("c" + i, certificates[i]);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  /** Puts a key pair in place, key first, each file replaced at once. */
  private static void install(Path from, Path cert, Path key) throws IOException {
    Path tmpKey = Files.createTempFile(key.getParent(), ".key", ".tmp");
    Files.copy(from.resolve("tls.key"), tmpKey, StandardCopyOption.REPLACE_EXISTING);
    Path tmpCert = Files.createTempFile(cert.getParent(), ".crt", ".tmp");
    Files.copy(from.resolve("tls.crt"), tmpCert, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmpKey, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmpCert, cert, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
