package io.namidb.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.engine.graph.BulkLoad;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.NamespaceReader;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.Pins;
import io.namidb.engine.graph.ScoredNode;
import io.namidb.engine.graph.Step;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.LocalObjectStore;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.engine.store.StoreStats;
import io.namidb.query.QueryEngine;
import io.namidb.query.QueryOptions;
import io.namidb.query.graph.GraphStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Runs the benchmark on NamiDB through the engine API, on one kind of store: bulk load through
 * {@link WriteBatch}es, warm reads through a {@link NamespaceReader}, durable small writes through
 * a {@link NamespaceWriter}, with WAL PUTs per 1000 writes and one raw create-if-absent PUT (the
 * floor of a durable write on that store); on an object store also the cold costs per query of a
 * fresh reader (GETs and bytes from {@link StoreStats}).
 */
public final class NamiRunner {
  static final String SCHEMA =
      "{\"labels\":{\"Person\":{\"key\":\"INT64\",\"properties\":{\"age\":\"INT64\","
          + "\"name\":\"STRING\",\"emb\":\"VECTOR("
          + GraphGenerator.DIM
          + ")\"}}},\"edgeTypes\":{\"KNOWS\":{\"from\":\"Person\",\"to\":\"Person\"}}}";

  private static final List<Step> ONE_HOP = List.of(new Step("KNOWS", Direction.OUT));
  private static final List<Step> TWO_HOPS =
      List.of(new Step("KNOWS", Direction.OUT), new Step("KNOWS", Direction.OUT));

  /** The variant of the Cypher figures, which {@link Report} sets against the peers' Cypher. */
  public static final String CYPHER = "Cypher";

  private static final String CYPHER_ONE_HOP =
      "MATCH (a:Person {key: $key})-[:KNOWS]->(b) RETURN count(*) AS n";
  private static final String CYPHER_TWO_HOPS =
      "MATCH (a:Person {key: $key})-[:KNOWS]->()-[:KNOWS]->(c) RETURN count(DISTINCT c) AS n";
  private static final int COLD_QUERIES = 50;
  private static final int RAW_PUTS = 100;

  private final String column;
  private final IntFunction<String> namespaceUri;
  private final boolean objectStore;
  private final Figures figures;
  private Answers answers;

  /**
   * A runner for one table column.
   *
   * @param column the column, e.g. {@code namidb-local}
   * @param namespaceUri the namespace URI of each round (a fresh, empty namespace per round)
   * @param objectStore whether to measure the cold and object-store rows too
   */
  public NamiRunner(String column, IntFunction<String> namespaceUri, boolean objectStore) {
    this.column = column;
    this.namespaceUri = namespaceUri;
    this.objectStore = objectStore;
    this.figures = new Figures(column);
  }

  /** Runs every round and returns the figures and the probe answers. */
  public PeerReport run(GraphGenerator.Graph graph, PeerSpec spec) throws Exception {
    for (int round = 0; round < spec.rounds(); round++) {
      String uri = namespaceUri.apply(round);
      // keep no superseded SSTs, so the bytes row counts only what the namespace needs
      WriterConfig config = WriterConfig.defaults().withRetention(1, Duration.ZERO);
      try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri))) {
        try (NamespaceWriter writer = NamespaceWriter.open(store, config)) {
          load(writer, graph);
          // vector indexes are built in the background after the commit; timed from its end
          long built = System.nanoTime();
          if (!writer.awaitVectorIndexes(Duration.ofMinutes(10))) {
            throw new IllegalStateException("vector indexes not built in 10 minutes");
          }
          figures.add(Row.VECTOR_INDEX_BUILD, "", (System.nanoTime() - built) / 1e9);
          writer.collectGarbage();
          figures.add(Row.BYTES, "after full compaction", storeBytes(store) / (1024.0 * 1024));
          figures.add(
              Row.VECTOR_INDEX_BYTES,
              "",
              store.list("sst/nodes/").stream()
                      .filter(o -> o.key().endsWith(".vix"))
                      .mapToLong(ObjectInfo::size)
                      .sum()
                  / (1024.0 * 1024));
        }
        try (NamespaceReader reader = NamespaceReader.open(store, new Pins(), 1L << 30)) {
          reads(reader.view(), spec);
          cypher(reader, store, spec);
        }
        try (NamespaceWriter writer = NamespaceWriter.open(store, config)) {
          writes(writer, store, spec, round);
        }
      }
      if (objectStore) {
        cold(uri, spec);
      }
    }
    return new PeerReport(figures.measurements(), answers);
  }

  /**
   * Loads the graph as {@code nami load} does: one {@link BulkLoad}, its SSTs written directly and
   * committed in one manifest version (timed from the schema change to that commit).
   */
  private void load(NamespaceWriter writer, GraphGenerator.Graph graph) throws Exception {
    long start = System.nanoTime();
    writer.evolveSchema(new ObjectMapper().readTree(SCHEMA));
    try (BulkLoad load = writer.bulkLoad()) {
      WriteBatch.Builder b = WriteBatch.builder();
      int inBatch = 0;
      for (int i = 0; i < graph.nodes(); i++) {
        b.node(
            new Node(
                NodeKey.of("Person", (long) i),
                Map.of(
                    "age",
                    graph.age()[i],
                    "name",
                    GraphGenerator.Graph.name(i),
                    "emb",
                    graph.emb()[i])));
        if (++inBatch == 5000) {
          load.add(b.build());
          b = WriteBatch.builder();
          inBatch = 0;
        }
      }
      for (int i = 0; i < graph.edges(); i++) {
        b.edge(
            new Edge(
                new EdgeKey(
                    "KNOWS",
                    NodeKey.of("Person", graph.edgeFrom()[i]),
                    NodeKey.of("Person", graph.edgeTo()[i])),
                Map.of()));
        if (++inBatch == 20000) {
          load.add(b.build());
          b = WriteBatch.builder();
          inBatch = 0;
        }
      }
      WriteBatch rest = b.build();
      if (!rest.isEmpty()) {
        load.add(rest);
      }
      load.commit();
    }
    long items = (long) graph.nodes() + graph.edges();
    figures.add(Row.BULK, "bulk load, one manifest", items / ((System.nanoTime() - start) / 1e9));
  }

  private static long storeBytes(ObjectStore store) {
    return store.list("").stream().mapToLong(ObjectInfo::size).sum();
  }

  private void reads(GraphView view, PeerSpec spec) {
    long[] probes = spec.probes();
    // the first multi-hop query would start the adjacency index in the background; it is built
    // here and timed, so the answers below come through it and the warm rows measure it
    long built = System.nanoTime();
    if (!view.snapshot().awaitAdjacencyIndex("KNOWS", Direction.OUT)) {
      throw new IllegalStateException("adjacency index of KNOWS out not built (memory bound?)");
    }
    figures.add(Row.INDEX_BUILD, "", (System.nanoTime() - built) / 1e9);
    // warm-up pass, which also gives the answers
    long[] one = new long[probes.length];
    long[] two = new long[probes.length];
    for (int p = 0; p < probes.length; p++) {
      one[p] = view.reach(person(probes[p]), ONE_HOP, false, Integer.MAX_VALUE).size();
      two[p] = view.reach(person(probes[p]), TWO_HOPS, true, Integer.MAX_VALUE).size();
    }
    answers = new Answers(column, one, two);
    for (long k : spec.lookupKeys()) {
      view.node(person(k));
    }

    // every figure: passes until the spec's minSeconds, as the peers do (PeerSupport)
    long[] keys = spec.lookupKeys();
    figures.add(
        Row.KEY,
        "",
        perSecondOfPasses(
            spec,
            1,
            keys.length,
            () -> {
              for (long k : keys) {
                if (view.node(person(k)).isEmpty()) {
                  throw new IllegalStateException("node missing. key=" + k);
                }
              }
            }));
    figures.add(
        Row.HOP1,
        "",
        perSecondOfPasses(
            spec, spec.oneHopRepeats(), probes.length, () -> reachAll(view, probes, ONE_HOP)));
    figures.add(
        Row.HOP2,
        "reach()",
        perSecondOfPasses(
            spec, spec.twoHopRepeats(), probes.length, () -> reachAll(view, probes, TWO_HOPS)));

    long t = System.nanoTime();
    for (int q = 0; q < spec.queryVectors().length; q++) {
      checkExact(vectorSearch(view, spec.queryVectors()[q], true), spec.truth()[q]);
    }
    figures.add(Row.VECTOR, "exact scan", perSecond(spec.queryVectors().length, t));
    // checked above: every result is the exact top-10
    figures.add(Row.RECALL, "exact scan", 1.0);

    // the first indexed query loads the SST's vector index (one GET of the object): timed
    // alone, as the cold-start cost; a warm-up pass follows, then the measured one
    t = System.nanoTime();
    vectorSearch(view, spec.queryVectors()[0], false);
    figures.add(Row.VECTOR_INDEX_LOAD, "", (System.nanoTime() - t) / 1e9);
    for (float[] q : spec.queryVectors()) {
      vectorSearch(view, q, false);
    }
    int found = 0;
    for (int q = 0; q < spec.queryVectors().length; q++) {
      found += overlap(vectorSearch(view, spec.queryVectors()[q], false), spec.truth()[q]);
    }
    figures.add(
        Row.RECALL,
        "index (code scan + exact rerank)",
        found / (double) (spec.queryVectors().length * 10));
    // timed like the reads above: passes over the query vectors until the spec's minSeconds
    figures.add(
        Row.VECTOR,
        "index (code scan + exact rerank)",
        perSecondOfPasses(
            spec,
            1,
            spec.queryVectors().length,
            () -> {
              for (float[] q : spec.queryVectors()) {
                vectorSearch(view, q, false);
              }
            }));
  }

  private static List<ScoredNode> vectorSearch(GraphView view, float[] query, boolean exact) {
    return view.vectorSearch(
        "Person", "emb", query, 10, List.of(), GraphView.Metric.L2, java.util.Set.of(), exact);
  }

  /** How many of the true top-10 a result holds. */
  private static int overlap(List<ScoredNode> top, long[] truth) {
    java.util.Set<Long> got = new java.util.HashSet<>();
    top.forEach(s -> got.add((Long) s.node().key()));
    int found = 0;
    for (long k : truth) {
      found += got.contains(k) ? 1 : 0;
    }
    return found;
  }

  /**
   * The one-hop and two-hop rows again in Cypher, prepared queries through the query engine's
   * executor (the path of {@code POST /v1/query} without HTTP), after a pass that checks their
   * answers against {@link GraphView#reach}'s.
   */
  private void cypher(NamespaceReader reader, ObjectStore store, PeerSpec spec) {
    long[] probes = spec.probes();
    try (QueryEngine engine =
        new QueryEngine(GraphStore.of(reader, store::stats), QueryOptions.defaults(), 2)) {
      for (int p = 0; p < probes.length; p++) {
        long one = cypherCount(engine, CYPHER_ONE_HOP, probes[p]);
        long two = cypherCount(engine, CYPHER_TWO_HOPS, probes[p]);
        if (one != answers.oneHop()[p] || two != answers.twoHop()[p]) {
          throw new IllegalStateException(
              "cypher answer differs from reach(). probe="
                  + probes[p]
                  + " oneHop="
                  + one
                  + "/"
                  + answers.oneHop()[p]
                  + " twoHop="
                  + two
                  + "/"
                  + answers.twoHop()[p]);
        }
      }
      figures.add(
          Row.HOP1,
          CYPHER,
          perSecondOfPasses(
              spec,
              spec.oneHopRepeats(),
              probes.length,
              () -> cypherCounts(engine, CYPHER_ONE_HOP, probes)));
      figures.add(
          Row.HOP2,
          CYPHER,
          perSecondOfPasses(
              spec,
              spec.twoHopRepeats(),
              probes.length,
              () -> cypherCounts(engine, CYPHER_TWO_HOPS, probes)));
    }
  }

  /** The probes' counts; the sum is checked so that no pass can be optimised away. */
  private static void reachAll(GraphView view, long[] probes, List<Step> steps) {
    long sum = 0;
    for (long k : probes) {
      sum += view.reach(person(k), steps, steps.size() > 1, Integer.MAX_VALUE).size();
    }
    if (sum < 0) {
      throw new IllegalStateException("unreachable");
    }
  }

  private static void cypherCounts(QueryEngine engine, String query, long[] probes) {
    long sum = 0;
    for (long k : probes) {
      sum += cypherCount(engine, query, k);
    }
    if (sum < 0) {
      throw new IllegalStateException("unreachable");
    }
  }

  /**
   * Operations per second of repeated passes: at least {@code minPasses}, and more until the spec's
   * {@code minSeconds} have passed, after as long a window of the same passes untimed (the rule of
   * the peers' {@code PeerSupport.perSecondOfPasses}).
   */
  private static double perSecondOfPasses(
      PeerSpec spec, int minPasses, int perPass, Runnable pass) {
    long least = (long) (spec.minSeconds() * 1e9);
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
    return passes * perPass / ((System.nanoTime() - start) / 1e9);
  }

  private static long cypherCount(QueryEngine engine, String query, long key) {
    return (Long) engine.execute(query, Map.of("key", key)).rows().get(0).get(0);
  }

  /** Exact search must return the true top-10 (ties aside, which random floats do not make). */
  private static void checkExact(List<ScoredNode> top, long[] truth) {
    for (int i = 0; i < truth.length; i++) {
      if (i >= top.size() || ((Long) top.get(i).node().key()) != truth[i]) {
        throw new IllegalStateException(
            "exact vector search differs from the reference. rank=" + i + " expected=" + truth[i]);
      }
    }
  }

  private void writes(NamespaceWriter writer, ObjectStore store, PeerSpec spec, int round)
      throws Exception {
    long nextKey = (long) spec.nodes() + (long) round * 100_000_000L;
    for (int clients : spec.concurrencies()) {
      NamespaceWriter.Stats stats = writer.stats();
      long segments = stats.segmentsWritten.get();
      long walBytes = stats.walBytesWritten.get();
      GroupCommitTimes timesBefore = GroupCommitTimes.of(stats);
      ClosedLoop.Result r =
          ClosedLoop.run(
              "nami-write",
              clients,
              spec.writeSeconds(),
              nextKey,
              id ->
                  writer
                      .write(
                          WriteBatch.builder()
                              .node(
                                  new Node(
                                      NodeKey.of("Person", id),
                                      Map.of("age", 1L, "name", GraphGenerator.Graph.name(id))))
                              .build())
                      .get());
      nextKey += 10_000_000L;
      long puts = stats.segmentsWritten.get() - segments;
      Row row = writeRow(clients);
      if (row != null) {
        figures.add(row, "", r.opsPerSecond());
        figures.add(walPutsRow(clients), "", puts * 1000.0 / Math.max(1, r.count()));
      }
      if (clients == 16) {
        // where a group commit's cycle goes: its PUT, and the wait for the clients it answered
        GroupCommitTimes times = GroupCommitTimes.of(stats);
        figures.add(Row.WAL_PUT_16, "", times.putMillisSince(timesBefore));
        figures.add(Row.GROUP_WAIT_16, "", times.waitMillisSince(timesBefore));
      }
      if (clients == 1) {
        figures.add(Row.WRITE_P50_1, "", r.percentileMillis(0.5));
        // the floor of a durable write on this store, local too (temp file, fsync, hard link,
        // directory fsync) as on MinIO (a PUT with If-None-Match)
        if (puts > 0) {
          int segmentBytes = (int) ((stats.walBytesWritten.get() - walBytes) / puts);
          figures.add(
              Row.RAW_PUT_P50,
              "(" + segmentBytes + " B)",
              rawPutMillis(store, segmentBytes, round));
          if (store instanceof LocalObjectStore local) {
            figures.add(
                Row.LOG_APPEND_P50,
                "(" + segmentBytes + " B)",
                logAppendMillis(local.root().getParent(), segmentBytes));
          }
        }
      }
    }
  }

  /** The p50 of conditional create-if-absent PUTs of {@code bytes} to fresh keys. */
  private static double rawPutMillis(ObjectStore store, int bytes, int round) throws IOException {
    byte[] data = new byte[bytes];
    return p50Millis(i -> store.putIfAbsent("bench-raw-put/" + round + "/" + i, data));
  }

  /** One timed operation, the {@code i}-th of its run. */
  @FunctionalInterface
  private interface TimedOp {
    void run(int i) throws IOException;
  }

  /** The median time of {@value #RAW_PUTS} runs of {@code op}, one after the other. */
  private static double p50Millis(TimedOp op) throws IOException {
    long[] nanos = new long[RAW_PUTS];
    for (int i = 0; i < RAW_PUTS; i++) {
      long t = System.nanoTime();
      op.run(i);
      nanos[i] = System.nanoTime() - t;
    }
    java.util.Arrays.sort(nanos);
    return new ClosedLoop.Result(0, nanos).percentileMillis(0.5);
  }

  /**
   * The p50 of appending {@code bytes} to a preallocated, already durable file and fdatasyncing it:
   * one device flush and no file system metadata, the floor of a commit to an append-only log (the
   * shape of Neo4j's transaction log) on the file system the local store is on. The store's
   * create-if-absent needs a new file, a link and two journal commits instead (design/0001).
   */
  private static double logAppendMillis(Path dir, int bytes) throws IOException {
    Path log = Files.createTempFile(dir, "namidb-bench-log", ".tmp");
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[RAW_PUTS * bytes]), 0);
      ch.force(true);
      byte[] data = new byte[bytes];
      return p50Millis(
          i -> {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
              ch.write(buf, (long) i * bytes + buf.position());
            }
            ch.force(false);
          });
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Cold queries, each on a fresh store client and reader: what one query costs from nothing. */
  private void cold(String uri, PeerSpec spec) {
    long[] keys = spec.lookupKeys();
    long[] probes = spec.probes();
    int n = Math.min(COLD_QUERIES, Math.min(keys.length, probes.length));
    long[] keyCost = new long[2];
    long[] hopCost = new long[2];
    for (int i = 0; i < n; i++) {
      long key = keys[i];
      long probe = probes[i];
      measureCold(uri, view -> view.node(person(key)), keyCost);
      measureCold(
          uri, view -> view.reach(person(probe), ONE_HOP, false, Integer.MAX_VALUE), hopCost);
    }
    figures.add(Row.COLD_KEY_GETS, "", (double) keyCost[0] / n);
    figures.add(Row.COLD_KEY_BYTES, "", keyCost[1] / 1024.0 / n);
    figures.add(Row.COLD_HOP1_GETS, "", (double) hopCost[0] / n);
    figures.add(Row.COLD_HOP1_BYTES, "", hopCost[1] / 1024.0 / n);
  }

  private static void measureCold(
      String uri, java.util.function.Consumer<GraphView> query, long[] getsAndBytes) {
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
        NamespaceReader reader = NamespaceReader.open(store)) {
      StoreStats.Snapshot before = store.stats().snapshot();
      query.accept(reader.view());
      StoreStats.Snapshot cost = store.stats().snapshot().minus(before);
      getsAndBytes[0] += cost.gets();
      getsAndBytes[1] += cost.bytesRead();
    }
  }

  static Row writeRow(int clients) {
    return switch (clients) {
      case 1 -> Row.WRITE_1;
      case 16 -> Row.WRITE_16;
      case 64 -> Row.WRITE_64;
      default -> null;
    };
  }

  private static Row walPutsRow(int clients) {
    return switch (clients) {
      case 1 -> Row.WAL_PUTS_1;
      case 16 -> Row.WAL_PUTS_16;
      default -> Row.WAL_PUTS_64;
    };
  }

  private static NodeKey person(long key) {
    return NodeKey.of("Person", key);
  }

  private static double perSecond(int operations, long startNanos) {
    return operations / ((System.nanoTime() - startNanos) / 1e9);
  }
}
