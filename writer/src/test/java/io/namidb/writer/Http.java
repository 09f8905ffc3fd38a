package io.namidb.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** A small JSON client for one writer's HTTP API. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService EXECUTOR =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "it-http-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private final String base;
  private final HttpClient client;
  private final String token;

  Http(String base) {
    this(base, null, null);
  }

  /**
   * @param token sent as {@code Authorization: Bearer <token>} on every request; null: none
   * @param ssl trust for {@code https} bases; null: the JVM's default
   */
  Http(String base, String token, SSLContext ssl) {
    this.base = base;
    this.token = token;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .executor(EXECUTOR)
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.client = builder.build();
  }

  /** The same writer, with {@code token} as the bearer token (null: none). */
  Http withToken(String token) {
    return new Http(base, token, client.sslContext());
  }

  /** An answer: status, body text and the body as JSON (null when it is not JSON). */
  record Reply(int status, String body, JsonNode json) {
    String error() {
      return json == null || !json.has("error") ? null : json.get("error").asText();
    }

    String message() {
      return json == null || !json.has("message") ? "" : json.get("message").asText();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  String base() {
    return base;
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Reply post(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  /** POST with {@code Transfer-Encoding: chunked} (no Content-Length). */
  Reply postChunked(String path, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
  }

  Reply put(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("content-type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  Reply send(String method, String path, String body) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("content-type", "application/json")
            .method(method, publisher));
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Reply send(HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r =
          client.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(r.statusCode(), r.body(), parse(r.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}
