package io.namidb.bench;

import io.namidb.testkit.MinioServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@code nami serve} process of the packaged writer jar, for the HTTP benchmarks. */
final class WriterServer implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Process process;
  final String base;

  private WriterServer(Process process, String base) {
    this.process = process;
    this.base = base;
  }

  static WriterServer start(Path jar, String uri, List<String> jvmOptions) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx4g");
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "serve", "--uri", uri, "--port", "" + port));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(Files.createTempFile("nami-serve", ".log").toFile());
    pb.environment()
        .putAll(
            Map.of(
                "AWS_ACCESS_KEY_ID", MinioServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", MinioServer.SECRET_KEY,
                "AWS_REGION", MinioServer.REGION));
    WriterServer server = new WriterServer(pb.start(), "http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (server.get("/q/health/ready") == 200) {
          return server;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!server.process.isAlive()) {
        throw new IllegalStateException("nami serve exited: " + server.process.exitValue());
      }
      Thread.sleep(20);
    }
    server.close();
    throw new IllegalStateException("nami serve not ready in 5 minutes");
  }

  int get(String path) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  int post(String path, String body) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  void put(String path, String body) throws IOException, InterruptedException {
    int status =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                    .header("content-type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
    if (status != 200) {
      throw new IllegalStateException("PUT " + path + " answered " + status);
    }
  }

  /** GETs a path and returns the answer's body; a status other than 200 is an error. */
  String getForBody(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** POSTs a JSON body and returns the answer's body; a status other than 200 is an error. */
  String postForBody(String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "POST " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
