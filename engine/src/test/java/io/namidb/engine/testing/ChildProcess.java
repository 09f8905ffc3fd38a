package io.namidb.engine.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link WriterProcess} started as a separate JVM, with its stdout lines collected. */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private ChildProcess(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // process gone
              }
            },
            "child-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code WriterProcess args...} on this JVM's class path; stderr goes to a log file. */
  public static ChildProcess startWriter(Path log, String... args) throws IOException {
    return startWriter(java.util.Map.of(), log, args);
  }

  /** As {@link #startWriter(Path, String...)} with extra environment variables. */
  public static ChildProcess startWriter(
      java.util.Map<String, String> env, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WriterProcess.class.getName());
    command.addAll(List.of(args));
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    return new ChildProcess(builder.start());
  }

  public long pid() {
    return process.pid();
  }

  /** Lines so far. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Waits until a line matches, up to {@code seconds}; returns it or throws. */
  public String await(Predicate<String> match, int seconds) {
    try {
      return org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(seconds))
          .pollInterval(java.time.Duration.ofMillis(10))
          .until(
              () -> {
                for (String l : lines) {
                  if (match.test(l)) {
                    return java.util.Optional.of(l);
                  }
                }
                // a dead child with its output read to the end will print nothing more
                return !process.isAlive() && !reader.isAlive()
                    ? java.util.Optional.<String>empty()
                    : null;
              },
              java.util.Objects::nonNull)
          .orElseThrow(() -> noMatch());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw noMatch();
    }
  }

  private AssertionError noMatch() {
    return new AssertionError(
        "no matching line from child "
            + process.pid()
            + "; alive="
            + process.isAlive()
            + " lines="
            + tail());
  }

  /** Sends a POSIX signal (STOP, CONT, KILL, TERM) with kill(1). */
  public void signal(String name) throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException("kill -" + name + " failed for pid " + process.pid());
    }
  }

  /** Waits for exit; returns the exit code. */
  public int waitFor(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("child " + process.pid() + " did not exit; lines=" + tail());
    }
    reader.join(TimeUnit.SECONDS.toMillis(seconds));
    return process.exitValue();
  }

  /** Keys acknowledged so far ({@code ack KEY LSN}). */
  public List<String> acked() {
    List<String> keys = new ArrayList<>();
    for (String l : lines) {
      String[] parts = l.split(" ");
      if (parts.length == 3 && parts[0].equals("ack")) {
        keys.add(parts[1]);
      }
    }
    return keys;
  }

  private String tail() {
    List<String> all = lines();
    return all.subList(Math.max(0, all.size() - 10), all.size()).toString();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
