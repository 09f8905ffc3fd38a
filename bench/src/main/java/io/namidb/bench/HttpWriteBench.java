package io.namidb.bench;

import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.MinioServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer service over HTTP, as a client sees it: a real {@code nami serve} process, closed-loop
 * clients posting {@code /v1/write} batches of 1 or 1000 new nodes, each answered only once
 * durable. Reports requests/s, items/s and latency percentiles; then the startup time to ready with
 * about 100 MB of WAL to replay (after a kill -9).
 *
 * <pre>bench/run HttpWriteBench [--store local,minio] [--concurrency 1,16,64] [--batch 1,1000]
 *     [--seconds 5] [--startup-mb 100]</pre>
 */
public final class HttpWriteBench {
  private static final String SCHEMA =
      "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"n\":\"INT64\",\"pad\":\"STRING\"}}}}";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpWriteBench() {}

  public static void main(String[] args) throws Exception {
    List<String> stores = List.of("local", "minio");
    int[] concurrencies = {1, 16, 64};
    int[] batches = {1, 1000};
    int seconds = 5;
    int startupMb = 100;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--store" -> stores = List.of(v.split(","));
        case "--concurrency" -> concurrencies = ints(v);
        case "--batch" -> batches = ints(v);
        case "--seconds" -> seconds = Integer.parseInt(v);
        case "--startup-mb" -> startupMb = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path jar = Path.of("writer/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      jar = Path.of("../writer/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    }
    MinioServer minio = stores.contains("minio") ? Bench.startMinio() : null;
    try {
      MinioBucket bucket = minio == null ? null : minio.createBucket("httpbench");
      System.out.printf(
          "%-6s %5s %5s %9s %11s %9s %9s%n",
          "store", "batch", "conc", "req/s", "items/s", "p50 ms", "p99 ms");
      for (String store : stores) {
        for (int batch : batches) {
          for (int c : concurrencies) {
            String uri = uri(store, bucket, "w-b" + batch + "-c" + c);
            try (WriterServer server = WriterServer.start(jar, uri, List.of())) {
              server.put("/v1/schema", SCHEMA);
              run(store, server, batch, c, seconds);
            }
          }
        }
      }
      for (String store : stores) {
        startup(jar, store, uri(store, bucket, "startup"), startupMb);
      }
    } finally {
      if (minio != null) {
        minio.close();
      }
    }
  }

  private static String uri(String store, MinioBucket bucket, String ns) throws IOException {
    return store.equals("minio")
        ? bucket.namespaceUri("runs", ns)
        : "file://" + Files.createTempDirectory("namidb-httpbench").toAbsolutePath() + "?ns=" + ns;
  }

  private static void run(
      String store, WriterServer server, int batch, int concurrency, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong ids = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(concurrency);
    java.util.concurrent.atomic.AtomicReference<Exception> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    for (int t = 0; t < concurrency; t++) {
      long[] mine = new long[500_000];
      latencies.add(mine);
      Thread thread =
          new Thread(
              () -> {
                int n = 0;
                try {
                  while (System.nanoTime() < deadline && n < mine.length - 1) {
                    StringBuilder body = new StringBuilder("{\"nodes\":[");
                    for (int i = 0; i < batch; i++) {
                      long id = ids.incrementAndGet();
                      if (i > 0) {
                        body.append(',');
                      }
                      body.append("{\"label\":\"Person\",\"key\":\"p")
                          .append(id)
                          .append("\",\"props\":{\"n\":")
                          .append(id)
                          .append("}}");
                    }
                    body.append("]}");
                    long start = System.nanoTime();
                    int status = server.post("/v1/write", body.toString());
                    if (status != 200) {
                      throw new IllegalStateException("write answered " + status);
                    }
                    mine[n++] = System.nanoTime() - start;
                  }
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                } finally {
                  mine[mine.length - 1] = n;
                  done.countDown();
                }
              },
              "bench-http-" + t);
      thread.start();
    }
    long begin = System.nanoTime();
    done.await();
    if (failure.get() != null) {
      throw new IllegalStateException("a bench client failed", failure.get());
    }
    double elapsed = (System.nanoTime() - begin) / 1e9;
    long[] all = Bench.mergeSorted(latencies);
    System.out.printf(
        Locale.ROOT,
        "%-6s %5d %5d %9.0f %11.0f %9.2f %9.2f%n",
        store,
        batch,
        concurrency,
        all.length / elapsed,
        all.length * (double) batch / elapsed,
        Bench.percentile(all, 0.50) / 1e6,
        Bench.percentile(all, 0.99) / 1e6);
  }

  /** Fills the WAL with about {@code mb} MB without flushing, kills -9, times the restart. */
  private static void startup(Path jar, String store, String uri, int mb) throws Exception {
    List<String> noFlush =
        List.of("-Dnami.writer.flush-size=4G", "-Dnami.writer.flush-interval=2h");
    String pad = "x".repeat(1000);
    try (WriterServer server = WriterServer.start(jar, uri, noFlush)) {
      server.put("/v1/schema", SCHEMA);
      long items = (long) mb * 1_000_000L / 1050;
      for (long i = 0; i < items; i += 1000) {
        StringBuilder body = new StringBuilder("{\"nodes\":[");
        for (long j = i; j < Math.min(items, i + 1000); j++) {
          body.append(j == i ? "" : ",")
              .append("{\"label\":\"Person\",\"key\":\"s")
              .append(j)
              .append("\",\"props\":{\"n\":")
              .append(j)
              .append(",\"pad\":\"")
              .append(pad)
              .append("\"}}");
        }
        body.append("]}");
        if (server.post("/v1/write", body.toString()) != 200) {
          throw new IllegalStateException("preload write failed");
        }
      }
      server.process.destroyForcibly().waitFor();
    }
    long walBytes = 0;
    int segments = 0;
    try (ObjectStore s = ObjectStores.open(NamespaceUri.parse(uri))) {
      for (ObjectInfo info : s.list("wal/")) {
        walBytes += info.size();
        segments++;
      }
    }
    long start = System.nanoTime();
    try (WriterServer server = WriterServer.start(jar, uri, List.of())) {
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%-6s startup to ready after kill -9 with %.1f MB of WAL (%d segments) to replay: %.2f s%n",
          store,
          walBytes / 1e6,
          segments,
          seconds);
    }
  }

  private static int[] ints(String v) {
    return Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /** A {@code nami serve} process on a free port. */
}
