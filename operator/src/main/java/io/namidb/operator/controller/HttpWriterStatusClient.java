package io.namidb.operator.controller;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLHandshakeException;
import org.jboss.logging.Logger;

/**
 * {@link WriterStatusClient} over the JDK HTTP client, with a short timeout. It sends the tenant's
 * bearer token, trying the next one on 401, and for {@code https} trusts only the tenant's
 * certificates ({@link PinnedTrust}); one HTTP client per distinct set of trusted certificates.
 */
@ApplicationScoped
public class HttpWriterStatusClient implements WriterStatusClient {
  private static final Logger LOG = Logger.getLogger(HttpWriterStatusClient.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final int MAX_TLS_CLIENTS = 512;

  private final HttpClient plain;
  private final Map<String, HttpClient> tlsClients = new ConcurrentHashMap<>();
  private final Duration timeout;

  @Inject
  public HttpWriterStatusClient(OperatorConfig config) {
    this(config.writerStatusTimeout());
  }

  public HttpWriterStatusClient(Duration timeout) {
    this.timeout = timeout;
    this.plain = builder().build();
  }

  private HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .connectTimeout(timeout)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER);
  }

  /**
   * Failures are logged at DEBUG only: the reconciler turns them into the {@code WriterReachable}
   * condition and logs once per change of it. No token is ever logged or put in a message.
   */
  @Override
  public Answer fetch(String endpoint, Credentials credentials) {
    URI uri = URI.create(endpoint + Constants.STATUS_PATH);
    HttpClient http;
    try {
      http = client(uri, credentials);
    } catch (RuntimeException e) {
      return Answer.failed("cannot build the TLS trust (" + e.getMessage() + ") for " + uri);
    }
    List<String> tokens = credentials.tokens().isEmpty() ? noToken() : credentials.tokens();
    try {
      HttpResponse<String> response = null;
      for (String token : tokens) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (token != null) {
          request.header("Authorization", "Bearer " + token);
        }
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 401) {
          break;
        }
      }
      if (response.statusCode() == 401) {
        LOG.debugf("writer refused the tokens. uri=%s tried=%d", uri, tokens.size());
        return Answer.failed(
            "HTTP 401 from " + uri + ": the writer accepts none of the auth Secret's tokens");
      }
      if (response.statusCode() != 200) {
        LOG.debugf("writer status not available. uri=%s code=%d", uri, response.statusCode());
        return Answer.failed("HTTP " + response.statusCode() + " from " + uri);
      }
      return Answer.of(JSON.readValue(response.body(), WriterReport.class));
    } catch (IOException e) {
      LOG.debugf("writer status not reachable. uri=%s error=%s", uri, e.toString());
      return Answer.failed(describe(e) + " from " + uri);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.failed("interrupted asking " + uri);
    } catch (RuntimeException e) {
      LOG.debugf("writer status not readable. uri=%s error=%s", uri, e.toString());
      return Answer.failed("unreadable answer (" + e.getClass().getSimpleName() + ") from " + uri);
    }
  }

  private static List<String> noToken() {
    List<String> none = new ArrayList<>();
    none.add(null);
    return none;
  }

  private HttpClient client(URI uri, Credentials credentials) {
    if (!"https".equals(uri.getScheme())) {
      return plain;
    }
    String key = fingerprint(credentials.trust());
    if (tlsClients.size() > MAX_TLS_CLIENTS) {
      tlsClients.clear();
    }
    return tlsClients.computeIfAbsent(
        key, k -> builder().sslContext(PinnedTrust.context(credentials.trust())).build());
  }

  private static String fingerprint(List<X509Certificate> certificates) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (X509Certificate c : certificates) {
        sha.update(c.getEncoded());
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stable description: the kind of failure, not a message carrying timings or ports. */
  private static String describe(IOException e) {
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within the timeout";
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused or unreachable";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException) {
        return "TLS handshake failed (is the writer's certificate the TLS Secret's?)";
      }
    }
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
      return "unreadable answer";
    }
    return e.getClass().getSimpleName();
  }
}
