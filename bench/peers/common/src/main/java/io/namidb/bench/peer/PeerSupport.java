package io.namidb.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * What every peer program of bench/run Compare shares (compiled into each peer project from
 * bench/peers/common): reading the JSON spec that Compare writes (the fields of its {@code
 * PeerSpec}), collecting figures per round, closed-loop small writes, and writing the report (the
 * fields of its {@code PeerReport}).
 */
public final class PeerSupport {
  private final JsonNode spec;
  private final String column;
  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();
  private long[] oneHop;
  private long[] twoHop;

  private PeerSupport(JsonNode spec, String column) {
    this.spec = spec;
    this.column = column;
  }

  /** Reads the spec file. */
  public static PeerSupport read(Path specFile, String column) throws IOException {
    return new PeerSupport(new ObjectMapper().readTree(specFile.toFile()), column);
  }

  public String nodesParquet() {
    return spec.get("nodesParquet").asText();
  }

  public String edgesParquet() {
    return spec.get("edgesParquet").asText();
  }

  /** A fresh, empty directory for this engine's database of {@code round}. */
  public Path dbDir(int round) throws IOException {
    Path dir = Path.of(spec.get("dbDir").asText(), column, "round-" + round);
    deleteTree(dir);
    Files.createDirectories(dir.getParent());
    return dir;
  }

  public int nodes() {
    return spec.get("nodes").asInt();
  }

  public int edges() {
    return spec.get("edges").asInt();
  }

  public int rounds() {
    return spec.get("rounds").asInt();
  }

  public long[] lookupKeys() {
    return longs(spec.get("lookupKeys"));
  }

  public long[] probes() {
    return longs(spec.get("probes"));
  }

  public int oneHopRepeats() {
    return spec.get("oneHopRepeats").asInt();
  }

  public int twoHopRepeats() {
    return spec.get("twoHopRepeats").asInt();
  }

  /** The least time a warm read figure is measured over (the spec's {@code minSeconds}). */
  public double minSeconds() {
    return spec.get("minSeconds").asDouble();
  }

  /**
   * Operations per second of repeated passes of {@code perPass} operations each: at least {@code
   * minPasses} passes, and more until {@link #minSeconds} have passed, after as long a window of
   * the same passes untimed (the rule Compare's NamiDB runner follows too).
   */
  public double perSecondOfPasses(int minPasses, long perPass, Runnable pass) {
    long least = (long) (minSeconds() * 1e9);
    long warming = System.nanoTime();
    do {
      pass.run(); // untimed, as long as the timed window: JIT and caches settle first
    } while (System.nanoTime() - warming < least);
    long start = System.nanoTime();
    long passes = 0;
    do {
      pass.run();
      passes++;
    } while (passes < minPasses || System.nanoTime() - start < least);
    return perSecond(passes * perPass, start);
  }

  public float[][] queryVectors() {
    JsonNode vs = spec.get("queryVectors");
    float[][] out = new float[vs.size()][];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = vs.get(i);
      out[i] = new float[v.size()];
      for (int d = 0; d < out[i].length; d++) {
        out[i][d] = (float) v.get(d).asDouble();
      }
    }
    return out;
  }

  /** The exact top-10 keys of each query vector. */
  public long[][] truth() {
    JsonNode t = spec.get("truth");
    long[][] out = new long[t.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = longs(t.get(i));
    }
    return out;
  }

  public double writeSeconds() {
    return spec.get("writeSeconds").asDouble();
  }

  public int[] concurrencies() {
    JsonNode c = spec.get("concurrencies");
    int[] out = new int[c.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = c.get(i).asInt();
    }
    return out;
  }

  /** The first key a small write of {@code round} may create (past the graph's keys). */
  public long firstWriteKey(int round) {
    return nodes() + round * 100_000_000L;
  }

  /** Adds this round's value of a row (an id of Compare's Row) and variant. */
  public void add(String row, String variant, double value) {
    values.computeIfAbsent(row + "\u0000" + variant, k -> new ArrayList<>()).add(value);
  }

  /** Marks a row n/a for this engine. */
  public void notAvailable(String row, String why) {
    notes.put(row, why);
  }

  /** Records the probe answers (one-hop count and two-hop distinct count per probe). */
  public void answers(long[] oneHopCounts, long[] twoHopCounts) {
    this.oneHop = oneHopCounts;
    this.twoHop = twoHopCounts;
  }

  /** The share of {@code truth} found in {@code found}. */
  public static double recall(long[] found, long[] truth) {
    int hits = 0;
    for (long t : truth) {
      for (long f : found) {
        if (f == t) {
          hits++;
          break;
        }
      }
    }
    return (double) hits / truth.length;
  }

  /** Operations per second since {@code startNanos}. */
  public static double perSecond(long operations, long startNanos) {
    return operations / ((System.nanoTime() - startNanos) / 1e9);
  }

  /** One small durable write; {@code key} is unique across all clients of a run. */
  @FunctionalInterface
  public interface Write {
    void run(long key) throws Exception;
  }

  /**
   * Closed-loop clients, each doing one write and waiting for it before the next, for the spec's
   * write duration. Returns {writes per second, p50 in ms}.
   */
  public double[] closedLoop(int clients, long firstKey, Write write) throws InterruptedException {
    AtomicLong keys = new AtomicLong(firstKey);
    AtomicReference<Exception> failure = new AtomicReference<>();
    long deadline = System.nanoTime() + (long) (writeSeconds() * 1e9);
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      threads.add(
          new Thread(
              () -> {
                long[] l = new long[1 << 16];
                int n = 0;
                try {
                  while (System.nanoTime() < deadline && failure.get() == null) {
                    long t = System.nanoTime();
                    write.run(keys.getAndIncrement());
                    if (n == l.length) {
                      l = Arrays.copyOf(l, l.length * 2);
                    }
                    l[n++] = System.nanoTime() - t;
                  }
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                } finally {
                  latencies[client] = l;
                  counts[client] = n;
                }
              },
              column + "-writer-" + c));
    }
    long begin = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - begin) / 1e9;
    if (failure.get() != null) {
      throw new IllegalStateException("a write client failed", failure.get());
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(latencies[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    double p50 = total == 0 ? 0 : all[Math.max(0, (int) Math.ceil(0.5 * total) - 1)] / 1e6;
    return new double[] {total / elapsed, p50};
  }

  /** Bytes of all files under {@code dir}. */
  public static long treeBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  /** Deletes {@code dir} and everything in it, if it exists. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Writes the report: the figures and the probe answers. */
  public void writeReport(Path reportFile) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode report = json.createObjectNode();
    ArrayNode ms = report.putArray("measurements");
    values.forEach(
        (k, v) -> {
          String[] rowAndVariant = k.split("\u0000", -1);
          ObjectNode m = ms.addObject();
          m.put("column", column).put("row", rowAndVariant[0]).put("variant", rowAndVariant[1]);
          ArrayNode a = m.putArray("values");
          v.forEach(a::add);
          m.put("note", "");
        });
    notes.forEach(
        (row, why) -> {
          ObjectNode m = ms.addObject();
          m.put("column", column).put("row", row).put("variant", "").put("note", why);
          m.putArray("values");
        });
    ObjectNode answers = report.putObject("answers");
    answers.put("column", column);
    ArrayNode one = answers.putArray("oneHop");
    ArrayNode two = answers.putArray("twoHop");
    if (oneHop != null) {
      Arrays.stream(oneHop).forEach(one::add);
      Arrays.stream(twoHop).forEach(two::add);
    }
    json.writeValue(reportFile.toFile(), report);
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
