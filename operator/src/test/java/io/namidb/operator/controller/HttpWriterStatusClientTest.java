package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.namidb.operator.controller.WriterStatusClient.Answer;
import io.namidb.operator.controller.WriterStatusClient.Credentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's status client against real HTTP and HTTPS servers on 127.0.0.1: bearer tokens
 * tried in order, and TLS trust pinned to the tenant's certificate, whatever name it carries.
 */
class HttpWriterStatusClientTest {
  private static final String BODY =
      "{\"namespace\":\"acme\",\"state\":\"WRITER\",\"epoch\":4,\"manifestVersion\":9,"
          + "\"walSegment\":2}";
  private final HttpWriterStatusClient client = new HttpWriterStatusClient(Duration.ofSeconds(5));
  private final List<String> seenAuthorization = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String body = BODY;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void triesTheTokensInOrderAndNeverNamesThem() throws Exception {
    String base = start(false, "Bearer right-token-0123456789");
    Answer ok =
        client.fetch(
            base,
            new Credentials(List.of("old-token-0123456789", "right-token-0123456789"), List.of()));
    assertThat(ok.report()).isNotNull();
    assertThat(ok.report().epoch()).isEqualTo(4L);
    assertThat(seenAuthorization)
        .containsExactly("Bearer old-token-0123456789", "Bearer right-token-0123456789");

    Answer refused =
        client.fetch(base, new Credentials(List.of("old-token-0123456789"), List.of()));
    assertThat(refused.report()).isNull();
    assertThat(refused.error())
        .contains("HTTP 401")
        .contains("none of the auth Secret's tokens")
        .doesNotContain("old-token");
  }

  @Test
  void httpsTrustsTheTenantsCertificateWhateverItsName() throws Exception {
    String base = start(true, "Bearer right-token-0123456789");
    assertThat(base).startsWith("https://127.0.0.1:");
    Answer ok =
        client.fetch(
            base,
            new Credentials(
                List.of("right-token-0123456789"), List.of(cert(TestCertificates.CERT))));
    assertThat(ok.error()).isNull();
    assertThat(ok.report().state()).isEqualTo("WRITER");

    Answer stranger =
        client.fetch(
            base,
            new Credentials(
                List.of("right-token-0123456789"), List.of(cert(TestCertificates.OTHER_CERT))));
    assertThat(stranger.report()).isNull();
    assertThat(stranger.error()).contains("TLS handshake failed");
  }

  @Test
  void readsWhoHoldsTheNamespaceOfAFencedWriter() throws Exception {
    body =
        "{\"namespace\":\"acme\",\"state\":\"FENCED\",\"epoch\":4,\"manifestVersion\":9,"
            + "\"walSegment\":2,\"walCheckpoint\":1,\"writerId\":\"w-old\","
            + "\"reason\":\"fenced: theirEpoch=5\","
            + "\"holder\":{\"writerId\":\"w-new\",\"epoch\":5,\"manifestVersion\":10,"
            + "\"future\":1}}";
    String base = start(false, "Bearer right-token-0123456789");
    Answer fenced =
        client.fetch(base, new Credentials(List.of("right-token-0123456789"), List.of()));
    assertThat(fenced.error()).isNull();
    assertThat(fenced.report().fenced()).isTrue();
    assertThat(fenced.report().holder())
        .isEqualTo(new WriterStatusClient.Holder("w-new", 5L, 10L, null));
  }

  private String start(boolean tls, String expectedAuthorization) throws Exception {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls) {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
      server = https;
    } else {
      server = HttpServer.create(address, 0);
    }
    server.createContext(
        "/v1/status",
        exchange -> {
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          seenAuthorization.add(authorization);
          if (expectedAuthorization.equals(authorization)) {
            reply(exchange, 200, body);
          } else {
            reply(exchange, 401, "{\"error\":\"unauthorized\"}");
          }
        });
    server.start();
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static SSLContext serverContext() throws Exception {
    String pem = TestCertificates.KEY.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = "test".toCharArray();
    store.setKeyEntry("writer", key, password, new Certificate[] {cert(TestCertificates.CERT)});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, password);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    return ssl;
  }

  static X509Certificate cert(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
