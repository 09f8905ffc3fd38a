package io.namidb.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real MinIO server process on a free 127.0.0.1 port with a temporary data directory, as
 * installed by {@code dev/testbin}. Closing it stops the process and deletes the data.
 */
public final class MinioServer implements AutoCloseable {
  public static final String ACCESS_KEY = "namidb-test";
  public static final String SECRET_KEY = "namidb-test-secret";
  public static final String REGION = "us-east-1";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path dataDir;
  private final Path logFile;
  private final URI endpoint;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private MinioServer(Process process, Path dataDir, Path logFile, URI endpoint) {
    this.process = process;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.endpoint = endpoint;
    this.shutdownHook = new Thread(process::destroyForcibly, "minio-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts MinIO and waits until it answers its readiness probe.
   *
   * @throws IllegalStateException when the binary is missing or the server does not come up, with
   *     the end of its log
   */
  public static MinioServer start() {
    Path binary = Testbin.binary("minio");
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        return startOnce(binary);
      } catch (IllegalStateException e) {
        last = e; // most likely a port taken between probing and binding; try fresh ports
      }
    }
    throw last;
  }

  private static MinioServer startOnce(Path binary) {
    try {
      Path dataDir = Files.createTempDirectory("namidb-minio-");
      int port = freePort();
      int consolePort = freePort();
      Path logFile = logDir().resolve("minio-" + port + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      binary.toString(),
                      "server",
                      dataDir.toString(),
                      "--address",
                      "127.0.0.1:" + port,
                      "--console-address",
                      "127.0.0.1:" + consolePort))
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile());
      builder.environment().put("MINIO_ROOT_USER", ACCESS_KEY);
      builder.environment().put("MINIO_ROOT_PASSWORD", SECRET_KEY);
      builder.environment().put("MINIO_BROWSER", "off");
      builder.environment().put("MINIO_UPDATE", "off");
      Process process = builder.start();
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      MinioServer server = new MinioServer(process, dataDir, logFile, endpoint);
      try {
        server.awaitReady();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start minio", e);
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(endpoint.resolve("/minio/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "minio exited during startup. exitCode=" + process.exitValue() + " log:\n" + logTail());
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for minio", e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "minio not ready in time. timeout=" + STARTUP_TIMEOUT + " log:\n" + logTail());
  }

  /** The S3 endpoint, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return endpoint;
  }

  /** A new path-style S3 client with the root credentials; the caller closes it. */
  public S3Client client() {
    return MinioBucket.newClient(endpoint);
  }

  /** Creates (or reuses) a bucket and describes it. */
  public MinioBucket createBucket(String name) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(name));
    } catch (BucketAlreadyOwnedByYouException e) {
      // fine: idempotent
    }
    return new MinioBucket(endpoint, name);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // JVM already shutting down: the hook runs anyway
    }
    deleteRecursively(dataDir);
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static Path logDir() throws IOException {
    Path target = Path.of("target");
    Path dir = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
    return Files.createDirectories(dir.resolve("test-servers"));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }
}
