package io.namidb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.NamespaceReader;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.Step;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.engine.store.StoreStats;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.MinioServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The graph workload of the data-path issue on a seeded power-law graph: bulk ingest, then warm
 * point reads, one-hop and two-hop counts and exact vector top-10 on the local directory store; and
 * the object-store cost (GETs, bytes) of cold one-hops on MinIO.
 *
 * <pre>bench/run GraphBench [--nodes 100000] [--edges 1000000] [--queries 2000] [--minio true]
 * </pre>
 */
public final class GraphBench {
  private static final String SCHEMA =
      "{\"labels\":{\"Person\":{\"key\":\"INT64\",\"properties\":{\"age\":\"INT64\",\"emb\":\"VECTOR(64)\"}}},"
          + "\"edgeTypes\":{\"KNOWS\":{\"from\":\"Person\",\"to\":\"Person\"}}}";

  private GraphBench() {}

  public static void main(String[] args) throws Exception {
    int nodes = 100_000;
    int edges = 1_000_000;
    int queries = 2000;
    boolean minio = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
        case "--edges" -> edges = Integer.parseInt(args[i + 1]);
        case "--queries" -> queries = Integer.parseInt(args[i + 1]);
        case "--minio" -> minio = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String local =
        "file://" + Files.createTempDirectory("namidb-graphbench").toAbsolutePath() + "?ns=bench";
    System.out.printf("graph: %d nodes, %d edges (power law), seed 42%n", nodes, edges);
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(local))) {
      ingest(store, nodes, edges);
      try (NamespaceReader reader =
          NamespaceReader.open(store, new io.namidb.engine.graph.Pins(), 1L << 30)) {
        warm(reader.view(), nodes, queries);
      }
    }
    if (minio) {
      try (MinioServer server = Bench.startMinio()) {
        MinioBucket bucket = server.createBucket("graphbench");
        String uri = bucket.namespaceUri("bench", "graph");
        try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri))) {
          ingest(store, nodes, edges);
        }
        cold(uri, nodes, Math.min(queries, 200));
      }
    }
  }

  /** Preferential-attachment-like targets: a Zipf-ish skew toward low ids. */
  private static long target(SplittableRandom random, int nodes) {
    double u = random.nextDouble();
    return (long) Math.min(nodes - 1, Math.floor(Math.pow(u, 2.5) * nodes));
  }

  /** Writes the seeded graph (and compacts it). */
  static void ingest(ObjectStore store, int nodes, int edges) throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    long start = System.nanoTime();
    try (NamespaceWriter w = NamespaceWriter.open(store, WriterConfig.defaults())) {
      w.evolveSchema(new ObjectMapper().readTree(SCHEMA));
      List<CompletableFuture<Long>> inFlight = new ArrayList<>();
      WriteBatch.Builder b = WriteBatch.builder();
      int items = 0;
      for (int n = 0; n < nodes; n++) {
        float[] emb = new float[64];
        for (int d = 0; d < 64; d++) {
          emb[d] = (float) random.nextDouble();
        }
        b.node(
            new Node(
                NodeKey.of("Person", (long) n),
                Map.of("age", (long) random.nextInt(100), "emb", emb)));
        if (++items % 5000 == 0) {
          inFlight.add(w.write(b.build()));
          b = WriteBatch.builder();
        }
      }
      if (!b.build().isEmpty()) {
        inFlight.add(w.write(b.build()));
      }
      for (CompletableFuture<Long> f : inFlight) {
        f.get();
      }
      inFlight.clear();
      b = WriteBatch.builder();
      for (int e = 0; e < edges; e++) {
        long from = random.nextInt(nodes);
        long to = target(random, nodes);
        b.edge(
            new Edge(
                new EdgeKey("KNOWS", NodeKey.of("Person", from), NodeKey.of("Person", to)),
                Map.of()));
        if (++items % 20000 == 0) {
          inFlight.add(w.write(b.build()));
          b = WriteBatch.builder();
          if (inFlight.size() > 8) {
            inFlight.remove(0).get();
          }
        }
      }
      if (!b.build().isEmpty()) {
        inFlight.add(w.write(b.build()));
      }
      for (CompletableFuture<Long> f : inFlight) {
        f.get();
      }
      long acked = System.nanoTime();
      w.compact();
      double ingestSeconds = (acked - start) / 1e9;
      double withFlush = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%-8s ingest: %,.0f items/s durable (%.1f s), %,.0f items/s incl. flush + compaction (%.1f s); %s%n",
          store.location().startsWith("s3") ? "minio" : "local",
          (nodes + edges) / ingestSeconds,
          ingestSeconds,
          (nodes + edges) / withFlush,
          withFlush,
          store.stats());
    }
  }

  /** Times {@code queries} two-hops from random start nodes; reports the average result size. */
  private static void twoHops(
      String what,
      int queries,
      SplittableRandom random,
      int nodes,
      java.util.function.ToIntFunction<NodeKey> twoHop) {
    long t = System.nanoTime();
    long total = 0;
    for (int i = 0; i < queries; i++) {
      total += twoHop.applyAsInt(NodeKey.of("Person", (long) random.nextInt(nodes)));
    }
    report(what + " (avg " + total / queries + ")", queries, t);
  }

  private static void warm(GraphView view, int nodes, int queries) {
    SplittableRandom random = new SplittableRandom(7);
    // warm-up pass
    for (int i = 0; i < queries; i++) {
      view.node(NodeKey.of("Person", (long) random.nextInt(nodes)));
      view.edges(NodeKey.of("Person", (long) random.nextInt(nodes)), "KNOWS", Direction.OUT);
    }
    long t = System.nanoTime();
    // what the first multi-hop query starts in the background; built here so it is measured
    boolean indexed = view.snapshot().awaitAdjacencyIndex("KNOWS", Direction.OUT);
    System.out.printf(
        Locale.ROOT,
        "local    adjacency index of KNOWS out: %s in %.2f s%n",
        indexed ? "built" : "over the memory bound, not built",
        (System.nanoTime() - t) / 1e9);
    random = new SplittableRandom(11);
    t = System.nanoTime();
    for (int i = 0; i < queries; i++) {
      if (view.node(NodeKey.of("Person", (long) random.nextInt(nodes))).isEmpty()) {
        throw new IllegalStateException("missing node");
      }
    }
    report("node by key", queries, t);
    t = System.nanoTime();
    long total = 0;
    for (int i = 0; i < queries; i++) {
      total +=
          view.edges(NodeKey.of("Person", (long) random.nextInt(nodes)), "KNOWS", Direction.OUT)
              .size();
    }
    report("one-hop count, edges read (avg " + total / queries + ")", queries, t);
    List<Step> knows = List.of(new Step("KNOWS", Direction.OUT));
    t = System.nanoTime();
    for (int i = 0; i < queries; i++) {
      view.reach(
              NodeKey.of("Person", (long) random.nextInt(nodes)), knows, false, Integer.MAX_VALUE)
          .size();
    }
    report("one-hop count", queries, t);
    int twoHop = Math.max(1, queries / 10);
    List<Step> knowsKnows =
        List.of(new Step("KNOWS", Direction.OUT), new Step("KNOWS", Direction.OUT));
    twoHops(
        "two-hop distinct count",
        twoHop,
        random,
        nodes,
        from -> view.reach(from, knowsKnows, true, Integer.MAX_VALUE).size());
    twoHops(
        "two-hop distinct nodes, read",
        twoHop,
        random,
        nodes,
        from -> view.traverse(from, knowsKnows, true, Integer.MAX_VALUE).size());
    float[] q = new float[64];
    for (int d = 0; d < 64; d++) {
      q[d] = (float) random.nextDouble();
    }
    int vectorQueries = 5;
    t = System.nanoTime();
    for (int i = 0; i < vectorQueries; i++) {
      view.vectorSearch(
          "Person", "emb", q, 10, List.of(), GraphView.Metric.L2, java.util.Set.of(), true);
    }
    report("exact vector top-10 over " + nodes + " x 64", vectorQueries, t);
  }

  private static void cold(String uri, int nodes, int queries) {
    SplittableRandom random = new SplittableRandom(13);
    long gets = 0;
    long bytes = 0;
    long maxGets = 0;
    for (int i = 0; i < queries; i++) {
      try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
          NamespaceReader reader = NamespaceReader.open(store)) {
        StoreStats.Snapshot before = store.stats().snapshot();
        reader
            .view()
            .edges(NodeKey.of("Person", (long) random.nextInt(nodes)), "KNOWS", Direction.OUT);
        StoreStats.Snapshot cost = store.stats().snapshot().minus(before);
        gets += cost.gets();
        bytes += cost.bytesRead();
        maxGets = Math.max(maxGets, cost.gets());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "minio    cold one-hop (fresh reader, manifest loaded): %.2f GETs avg, %d max, %,.0f bytes avg over %d queries%n",
        (double) gets / queries,
        maxGets,
        (double) bytes / queries,
        queries);
  }

  private static void report(String what, int n, long startNanos) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(
        Locale.ROOT, "local    warm %-45s %,12.0f queries/s (%d in %.2f s)%n", what, n / s, n, s);
  }
}
