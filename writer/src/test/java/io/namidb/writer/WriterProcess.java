package io.namidb.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.namidb.testkit.MinioBucket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged writer app ({@code target/quarkus-app/quarkus-run.jar}, what {@code bin/nami} runs)
 * started as a real process: {@code nami serve} on a free port, or a CLI command run to its end.
 * Output goes to {@code target/it-logs/<name>.log}; {@link #log()} reads it for failure messages.
 */
final class WriterProcess implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;
  private final Http http;

  private WriterProcess(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
    this.http = new Http("http://127.0.0.1:" + port);
  }

  /** The environment that gives the writer the test MinIO's credentials. */
  static Map<String, String> minioEnv(MinioBucket s3) {
    return Map.of(
        "AWS_ACCESS_KEY_ID", s3.accessKey(),
        "AWS_SECRET_ACCESS_KEY", s3.secretKey(),
        "AWS_REGION", s3.region());
  }

  /** Starts {@code nami serve --uri uri --port <free>} and waits until it holds the namespace. */
  static WriterProcess serveReady(String name, String uri, Map<String, String> env) {
    WriterProcess p = serve(name, uri, env, List.of());
    p.awaitReady();
    return p;
  }

  /** Starts {@code nami serve}; does not wait. {@code jvmOptions} e.g. {@code -Dnami.x=y}. */
  static WriterProcess serve(
      String name, String uri, Map<String, String> env, List<String> jvmOptions) {
    int port = freePort();
    return start(
        name,
        List.of("serve", "--uri", uri, "--port", Integer.toString(port)),
        env,
        jvmOptions,
        port);
  }

  /**
   * Starts {@code nami args...} as a long-running process listening on {@code port} (which the
   * arguments or the environment must make it use); does not wait.
   */
  static WriterProcess start(
      String name, List<String> args, Map<String, String> env, List<String> jvmOptions, int port) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-Xmx512m");
    // no flush during a test unless it asks: the namespace's objects stay comparable
    command.add("-Dnami.writer.flush-interval=1h");
    command.add("-Dnami.writer.fence-check-interval=200ms");
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    String unique = name + "-" + COUNTER.incrementAndGet();
    Path log = logDir().resolve(unique + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().remove("NAMI_URI");
    pb.environment().remove("NAMI_HTTP_PORT");
    pb.environment().putAll(env);
    try {
      return new WriterProcess(unique, pb.start(), log, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code nami args...} to its end (bounded) and returns what it did. */
  static Result run(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar"));
    command.add(jar().toString());
    command.addAll(List.of(args));
    String unique = "cli-" + COUNTER.incrementAndGet();
    Path out = logDir().resolve(unique + ".out");
    Path err = logDir().resolve(unique + ".err");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Map<String, String> environment = pb.environment();
    environment.remove("NAMI_URI");
    environment.remove("NAMI_HTTP_PORT");
    environment.putAll(env);
    try {
      Process p = pb.start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("nami " + String.join(" ", args) + " did not end");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** What a CLI command did. */
  record Result(int exitCode, String stdout, String stderr) {}

  Http http() {
    return http;
  }

  int port() {
    return port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Waits (generously) until {@code /q/health/ready} is up; fails with the log otherwise. */
  void awaitReady() {
    awaitReady(Duration.ofSeconds(90));
  }

  /** As {@link #awaitReady()}, waiting at most {@code atMost}. */
  void awaitReady(Duration atMost) {
    await("writer " + name + " ready")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast("writer " + name + " exited. log:\n" + tail(), () -> !process.isAlive())
        .until(() -> http.get("/q/health/ready").status() == 200);
  }

  /** Sends SIGTERM and waits (bounded) for the exit; returns the exit code. */
  int terminate() {
    process.destroy(); // SIGTERM
    return awaitExit();
  }

  /** Waits (bounded) for the process to end; returns its exit code. */
  int awaitExit() {
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("writer " + name + " did not exit. log:\n" + tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return process.exitValue();
  }

  /** The whole output so far. */
  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  String tail() {
    String all = log();
    return all.length() > 8000 ? all.substring(all.length() - 8000) : all;
  }

  /** Ends the process if still running (SIGTERM, then SIGKILL after a bound). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** Asserts a clean stop: SIGTERM, exit code 0. */
  void stopCleanly() {
    int code = terminate();
    assertThat(code).as("exit code of writer %s; log:\n%s", name, tail()).isZero();
  }

  static Path jar() {
    Path jar =
        Path.of(System.getProperty("namidb.writer.jar", "target/quarkus-app/quarkus-run.jar"));
    assertThat(jar).as("packaged writer (run the ITs through Maven verify)").exists();
    return jar;
  }

  static Path logDir() {
    Path dir = Path.of(System.getProperty("namidb.writer.logs", "target/it-logs"));
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String> env(String... keyValues) {
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return env;
  }
}
