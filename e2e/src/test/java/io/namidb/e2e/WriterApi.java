package io.namidb.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** The writer's HTTP API (DESIGN §8) at one base URL: a Service's ClusterIP or a pod's IP. */
final class WriterApi {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http;
  private final Duration timeout;
  private final String token;

  /** Without a token: health probes and metrics, or a writer without authentication. */
  WriterApi(String base, Duration timeout) {
    this(base, timeout, null, null);
  }

  /** Sending {@code Authorization: Bearer <token>}. */
  WriterApi(String base, Duration timeout, String token) {
    this(base, timeout, token, null);
  }

  /** With a token and, for {@code https} bases, the trust to use (null: the JVM's). */
  WriterApi(String base, Duration timeout, String token, SSLContext ssl) {
    this.base = base;
    this.timeout = timeout;
    this.token = token;
    // HTTP/1.1: with the JDK's default (h2c upgrade) every request of a client shares one
    // connection, and after a failover that connection may keep pointing at the lost pod.
    HttpClient.Builder builder =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.http = builder.build();
  }

  /** One answer: status code and body (JSON where the writer answered). */
  record Answer(int code, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON. code=" + code + " body=" + body, e);
      }
    }

    Answer require(int expected) {
      if (code != expected) {
        throw new AssertionError("expected " + expected + ", got " + code + ": " + body);
      }
      return this;
    }
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Answer post(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Answer put(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("content-type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }
}
