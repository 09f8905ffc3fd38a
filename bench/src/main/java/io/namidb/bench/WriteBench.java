package io.namidb.bench;

import io.namidb.bench.harness.GroupCommitTimes;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.MinioServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable write throughput of one namespace writer: closed-loop clients, each submitting one small
 * node upsert and waiting for its acknowledgement (= its WAL segment is on the store) before the
 * next. Reports writes/s, latency percentiles and WAL PUTs per 1000 writes, which shows what group
 * commit saves, and where a write's time goes: the mean time of one WAL segment's PUT, and the mean
 * time a group waited after its first batch for more (0 where every write was committed on its
 * caller's thread).
 *
 * <pre>bench/run WriteBench [--store local,minio] [--concurrency 1,16,64] [--seconds 5]</pre>
 */
public final class WriteBench {
  private WriteBench() {}

  public static void main(String[] args) throws Exception {
    List<String> stores = List.of("local", "minio");
    int[] concurrencies = {1, 16, 64};
    int seconds = 5;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--store" -> stores = List.of(value.split(","));
        case "--concurrency" ->
            concurrencies = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
        case "--seconds" -> seconds = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf(
        "%-6s %5s %8s %10s %9s %9s %14s %11s %12s%n",
        "store",
        "conc",
        "writes",
        "writes/s",
        "p50 ms",
        "p99 ms",
        "walPUTs/1000w",
        "PUT ms/seg",
        "wait ms/grp");
    MinioServer minio = stores.contains("minio") ? Bench.startMinio() : null;
    try {
      MinioBucket bucket = minio == null ? null : minio.createBucket("bench");
      for (String store : stores) {
        for (int c : concurrencies) {
          String ns = "bench-c" + c + "-" + System.nanoTime();
          String uri =
              store.equals("minio")
                  ? bucket.namespaceUri("runs", ns)
                  : "file://"
                      + Files.createTempDirectory("namidb-bench").toAbsolutePath()
                      + "?ns="
                      + ns;
          run(store, uri, c, seconds);
        }
      }
    } finally {
      if (minio != null) {
        minio.close();
      }
    }
  }

  private static void run(String storeName, String uri, int concurrency, int seconds)
      throws Exception {
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri))) {
      NamespaceWriter writer = NamespaceWriter.open(store, WriterConfig.defaults());
      writer.evolveSchema(
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(
                  "{\"labels\":{\"Person\":{\"key\":\"INT64\",\"properties\":{\"client\":\"INT64\"}}}}"));
      NamespaceWriter.Stats stats = writer.stats();
      long walBefore = stats.segmentsWritten.get();
      GroupCommitTimes timesBefore = GroupCommitTimes.of(stats);
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      AtomicLong counter = new AtomicLong();
      List<long[]> latencies = new ArrayList<>();
      CountDownLatch done = new CountDownLatch(concurrency);
      java.util.concurrent.atomic.AtomicReference<Exception> failure =
          new java.util.concurrent.atomic.AtomicReference<>();
      for (int t = 0; t < concurrency; t++) {
        long[] mine = new long[2_000_000];
        latencies.add(mine);
        int client = t;
        Thread thread =
            new Thread(
                () -> {
                  int n = 0;
                  try {
                    while (System.nanoTime() < deadline && n < mine.length - 1) {
                      long id = counter.incrementAndGet();
                      long start = System.nanoTime();
                      writer
                          .write(
                              WriteBatch.builder()
                                  .node(
                                      new Node(
                                          NodeKey.of("Person", id),
                                          Map.of("client", (long) client)))
                                  .build())
                          .get();
                      mine[n++] = System.nanoTime() - start;
                    }
                  } catch (Exception e) {
                    failure.compareAndSet(null, e);
                  } finally {
                    mine[mine.length - 1] = n; // count stored in the last slot
                    done.countDown();
                  }
                },
                "bench-client-" + t);
        thread.start();
      }
      long begin = System.nanoTime();
      done.await();
      if (failure.get() != null) {
        throw new IllegalStateException("a bench client failed", failure.get());
      }
      double elapsed = (System.nanoTime() - begin) / 1e9;
      long walPuts = stats.segmentsWritten.get() - walBefore;
      GroupCommitTimes times = GroupCommitTimes.of(stats);
      writer.close();
      long[] all = Bench.mergeSorted(latencies);
      System.out.printf(
          Locale.ROOT,
          "%-6s %5d %8d %10.0f %9.2f %9.2f %14.1f %11.3f %12.3f%n",
          storeName,
          concurrency,
          all.length,
          all.length / elapsed,
          Bench.percentile(all, 0.50) / 1e6,
          Bench.percentile(all, 0.99) / 1e6,
          all.length == 0 ? 0 : walPuts * 1000.0 / all.length,
          times.putMillisSince(timesBefore),
          times.waitMillisSince(timesBefore));
    }
  }
}
