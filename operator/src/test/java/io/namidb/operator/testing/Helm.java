package io.namidb.operator.testing;

import io.namidb.testkit.Testbin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command-line tools of dev/testbin the chart tests need: helm (with a throwaway home: no
 * repositories, no cache), promtool and glua.
 */
public final class Helm {
  private Helm() {}

  /** The result of one command. */
  public record Result(int exitCode, String stdout, String stderr) {}

  public static Result run(String... args) {
    Path home = tempDir("helm-home");
    return tool(
        "helm",
        Map.of(
            "HELM_CONFIG_HOME", home.resolve("config").toString(),
            "HELM_CACHE_HOME", home.resolve("cache").toString(),
            "HELM_DATA_HOME", home.resolve("data").toString()),
        args);
  }

  /** {@code promtool ARGS}, e.g. {@code check rules FILE}, in {@code dir}. */
  public static Result promtool(Path dir, String... args) {
    return tool(dir, "promtool", args);
  }

  /**
   * Another dev/testbin tool ({@code promtool}, {@code glua}) with {@code args}, in {@code dir}.
   */
  public static Result tool(Path dir, String binary, String... args) {
    return tool(binary, Map.of("PWD", dir.toString()), args);
  }

  private static Result tool(String binary, Map<String, String> env, String... args) {
    try {
      Path io = tempDir(binary + "-io");
      List<String> command = new ArrayList<>();
      command.add(Testbin.binary(binary).toString());
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      if (env.containsKey("PWD")) {
        builder.directory(Path.of(env.get("PWD")).toFile());
      }
      Path out = io.resolve("stdout");
      Path err = io.resolve("stderr");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(binary + " did not finish: " + command);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
