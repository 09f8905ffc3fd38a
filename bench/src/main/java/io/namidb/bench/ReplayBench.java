package io.namidb.bench;

import io.namidb.engine.Retries;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.engine.wal.WalLog;
import io.namidb.engine.wal.WalSegment;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.MinioServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WAL replay of many small segments, the shape a takeover finds after a writer streamed one-write
 * batches: the time to read the whole log with {@link WalLog#replay} at several read-ahead depths,
 * and the time until a taking-over {@link NamespaceWriter} is open (it replays at the default
 * depth). Each depth is timed {@code --rounds} times; the median is reported with the range.
 *
 * <pre>bench/run ReplayBench [--segments 10000] [--rounds 3] [--minio true]</pre>
 */
public final class ReplayBench {
  private ReplayBench() {}

  public static void main(String[] args) throws Exception {
    int segments = 10_000;
    int rounds = 3;
    boolean minio = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--segments" -> segments = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--minio" -> minio = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("namidb-replaybench");
    run("local", "file://" + dir + "?ns=replay", segments, rounds);
    if (minio) {
      try (MinioServer server = Bench.startMinio()) {
        MinioBucket bucket = server.createBucket("replaybench");
        run("minio", bucket.namespaceUri("bench", "replay"), segments, rounds);
      }
    }
  }

  private static void run(String storeName, String uri, int segments, int rounds) throws Exception {
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri))) {
      long first;
      try (NamespaceWriter w = NamespaceWriter.open(store, WriterConfig.defaults())) {
        w.evolveSchema(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"labels\":{\"Person\":{\"key\":\"INT64\",\"properties\":{}}}}"));
        first = w.write(person(-1)).get() + 1;
      }
      writeSegments(store, first, segments);
      System.out.printf(
          "%s: %,d one-write WAL segments above the checkpoint%n", storeName, segments);
      for (int depth : new int[] {1, 4, 16, 64}) {
        WalLog wal =
            new WalLog(
                store,
                Retries.transientFailures(5, Duration.ofMillis(5), Duration.ofSeconds(1)),
                depth);
        long[] nanos = new long[rounds];
        for (int r = 0; r < rounds; r++) {
          AtomicLong seen = new AtomicLong();
          long t0 = System.nanoTime();
          wal.replay(first, s -> seen.incrementAndGet());
          nanos[r] = System.nanoTime() - t0;
          if (seen.get() < segments) {
            throw new IllegalStateException("replayed " + seen.get() + " of " + segments);
          }
        }
        report(storeName, "WalLog.replay, read-ahead " + depth, segments, nanos);
      }
      long t0 = System.nanoTime();
      try (NamespaceWriter w = NamespaceWriter.open(store, WriterConfig.defaults())) {
        long took = System.nanoTime() - t0;
        report(
            storeName,
            "takeover to open writer (default read-ahead " + WalLog.DEFAULT_READ_AHEAD + ")",
            (int) w.stats().segmentsReplayed.get(),
            new long[] {took});
      }
    }
  }

  /** Segments {@code first..first+n-1}, one single-node batch each, written 16 at a time. */
  private static void writeSegments(ObjectStore store, long first, int n) throws Exception {
    WalLog wal =
        new WalLog(
            store, Retries.transientFailures(5, Duration.ofMillis(5), Duration.ofSeconds(1)));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (long id = first; id < first + n; id++) {
        long segment = id;
        puts.add(
            pool.submit(
                () ->
                    wal.put(
                        segment,
                        new WalSegment(
                                WalSegment.Kind.DATA,
                                segment,
                                1,
                                "replaybench",
                                "n" + segment,
                                List.of(person(segment)))
                            .encode())));
      }
      for (Future<?> put : puts) {
        put.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static WriteBatch person(long key) {
    return WriteBatch.builder().node(new Node(NodeKey.of("Person", key), Map.of())).build();
  }

  private static void report(String store, String what, int segments, long[] nanos) {
    long[] sorted = nanos.clone();
    java.util.Arrays.sort(sorted);
    double median = sorted[sorted.length / 2] / 1e9;
    System.out.printf(
        "%-6s %-52s %,7d segments  %7.2f s (%.2f–%.2f)  %,9.0f segments/s%n",
        store,
        what,
        segments,
        median,
        sorted[0] / 1e9,
        sorted[sorted.length - 1] / 1e9,
        segments / median);
  }
}
