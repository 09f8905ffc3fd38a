package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.sst.SstNames;
import io.namidb.engine.store.FaultInjectingObjectStore;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.StoreOp;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Indexed vector search through a writer: index objects built beside node SSTs after their commit
 * (flush, compaction, bulk load), answers against the exact search, memtable rows merged,
 * overwritten and deleted nodes never returned, filters, the snapshot of a pinned view,
 * persistence, GC, SSTs searched by scan until their index is there, and a failed index upload.
 */
class VectorSearchTest {
  private static final int DIM = 8;
  private static final int NODES = 1500; // above VectorIndexer.MIN_ROWS
  private static final String SCHEMA =
      "{\"labels\":{\"Doc\":{\"key\":\"INT64\",\"properties\":{\"tag\":\"STRING\","
          + "\"emb\":\"VECTOR("
          + DIM
          + ")\"}}}}";

  private final MemoryObjectStore memory = new MemoryObjectStore();
  private final SplittableRandom random = new SplittableRandom(2026);

  private NamespaceWriter open(io.namidb.engine.store.ObjectStore store) {
    NamespaceWriter w =
        NamespaceWriter.open(
            store,
            config(1).withFlush(1L << 40, Duration.ofDays(1), 8).withRetention(1, Duration.ZERO));
    w.evolveSchema(Writes.json(SCHEMA));
    return w;
  }

  /** Waits for the background index builds of everything committed so far. */
  private static void indexed(NamespaceWriter w) {
    assertThat(w.awaitVectorIndexes(Duration.ofMinutes(1))).isTrue();
  }

  private float[] vector() {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) random.nextDouble();
    }
    return v;
  }

  private static Node doc(long key, float[] emb) {
    return new Node(
        NodeKey.of("Doc", key), Map.of("tag", key % 2 == 0 ? "even" : "odd", "emb", emb));
  }

  /** Writes docs {@code from} to {@code to - 1} with random vectors. */
  private void load(NamespaceWriter w, long from, long to) throws Exception {
    WriteBatch.Builder b = WriteBatch.builder();
    for (long k = from; k < to; k++) {
      b.node(doc(k, vector()));
    }
    w.write(b.build()).get();
  }

  private static List<ScoredNode> search(
      GraphView view, float[] q, List<Filter> filters, boolean exact) {
    return view.vectorSearch("Doc", "emb", q, 10, filters, GraphView.Metric.L2, Set.of(), exact);
  }

  private static List<Object> keys(List<ScoredNode> hits) {
    return hits.stream().map(h -> h.node().key()).toList();
  }

  private static List<String> indexObjects(io.namidb.engine.store.ObjectStore store) {
    return store.list("sst/nodes/").stream()
        .map(ObjectInfo::key)
        .filter(k -> k.endsWith(".vix"))
        .toList();
  }

  /** Recall@10 of approximate against exact over {@code queries} random queries. */
  private double recall(GraphView view, int queries, List<Filter> filters) {
    int found = 0;
    for (int q = 0; q < queries; q++) {
      float[] query = vector();
      List<ScoredNode> exact = search(view, query, filters, true);
      List<ScoredNode> approximate = search(view, query, filters, false);
      assertThat(approximate).hasSameSizeAs(exact);
      Set<Object> truth = new HashSet<>(keys(exact));
      for (ScoredNode hit : approximate) {
        assertThat(filters.stream().allMatch(f -> f.test(hit.node().props()))).isTrue();
        found += truth.contains(hit.node().key()) ? 1 : 0;
      }
    }
    return found / (10.0 * queries);
  }

  @Test
  void aFlushWritesAnIndexBesideTheSstAndSearchFindsWhatExactDoes() throws Exception {
    try (NamespaceWriter w = open(memory)) {
      load(w, 0, NODES);
      w.flush();
      indexed(w);
      String sst = w.manifest().ssts().get(0).key();
      assertThat(indexObjects(memory)).containsExactly(SstNames.vectorIndex(sst, "emb"));
      assertThat(recall(w.view(), 30, List.of())).isEqualTo(1.0);
      // distances are exact whichever way the nodes were found
      float[] q = vector();
      ScoredNode first = search(w.view(), q, List.of(), false).get(0);
      assertThat(first.distance())
          .isEqualTo(GraphView.l2(q, (float[]) first.node().props().get("emb")));
    }
  }

  /**
   * Docs in groups of seven share one vector, so the tenth place is inside a tie: the index path
   * reads rows only up to the tenth qualifying hit, and must still read the whole tie to give the
   * exact path's answer (ties by node id).
   */
  @Test
  void aTieAtTheKthPlaceGivesTheExactPathsAnswer() throws Exception {
    try (NamespaceWriter w = open(memory)) {
      WriteBatch.Builder b = WriteBatch.builder();
      float[] shared = null;
      for (long k = 0; k < NODES; k++) {
        shared = k % 7 == 0 ? vector() : shared;
        b.node(doc(k, shared));
      }
      w.write(b.build()).get();
      w.flush();
      indexed(w);
      for (int q = 0; q < 20; q++) {
        float[] query = vector();
        List<ScoredNode> exact = search(w.view(), query, List.of(), true);
        assertThat(keys(search(w.view(), query, List.of(), false))).isEqualTo(keys(exact));
        assertThat(exact.get(9).distance()).isEqualTo(exact.get(8).distance()); // a tie indeed
      }
    }
  }

  @Test
  void memtableRowsAreMergedAndOverwrittenOrDeletedNodesNeverReturned() throws Exception {
    try (NamespaceWriter w = open(memory)) {
      load(w, 0, NODES);
      w.flush();
      indexed(w);
      float[] q = vector();
      List<Object> before = keys(search(w.view(), q, List.of(), true));
      long nearest = (Long) before.get(0);
      long second = (Long) before.get(1);
      float[] far = new float[DIM];
      java.util.Arrays.fill(far, 50f);
      GraphView pinned = w.view();
      w.write(
              WriteBatch.builder()
                  .deleteNode(NodeKey.of("Doc", nearest))
                  .node(doc(second, far))
                  .node(doc(NODES + 1, q.clone()))
                  .build())
          .get();
      for (int round = 0; round < 2; round++) { // in the memtable, then in a newer (small) SST
        List<Object> after = keys(search(w.view(), q, List.of(), false));
        assertThat(after).startsWith((long) NODES + 1).doesNotContain(nearest, second);
        assertThat(after).isEqualTo(keys(search(w.view(), q, List.of(), true)));
        w.flush();
        indexed(w);
      }
      // a view pinned before the change still sees the old nodes
      assertThat(keys(search(pinned, q, List.of(), false))).startsWith(nearest, second);
      assertThat(w.manifest().ssts()).hasSize(2);
    }
  }

  /**
   * An SST above the code scan's size rule (4 × 1,024 rows) is searched approximately: nearly all
   * of the exact answer, with and without a filter, and a deleted or moved node never returned
   * although its index entry is still there.
   */
  @Test
  void aLargeSstIsSearchedThroughItsCodesAndStaleEntriesStayOut() throws Exception {
    try (NamespaceWriter w = open(memory)) {
      load(w, 0, 10_000);
      w.flush();
      indexed(w);
      assertThat(recall(w.view(), 30, List.of())).isGreaterThan(0.95);
      assertThat(recall(w.view(), 30, List.of(Filter.eq("tag", "odd")))).isGreaterThan(0.95);
      float[] q = vector();
      List<Object> before = keys(search(w.view(), q, List.of(), false));
      float[] far = new float[DIM];
      java.util.Arrays.fill(far, 50f);
      w.write(
              WriteBatch.builder()
                  .deleteNode(NodeKey.of("Doc", (Long) before.get(0)))
                  .node(doc((Long) before.get(1), far))
                  .build())
          .get();
      assertThat(keys(search(w.view(), q, List.of(), false)))
          .doesNotContain(before.get(0), before.get(1));
    }
  }

  @Test
  void filtersAreHonouredAndARareFilterFallsBackToAScan() throws Exception {
    try (NamespaceWriter w = open(memory)) {
      load(w, 0, NODES);
      w.flush();
      indexed(w);
      assertThat(recall(w.view(), 20, List.of(Filter.eq("tag", "odd")))).isEqualTo(1.0);
      // three nodes carry a rare tag: over-fetch gives up, the SST is scanned, all three found
      WriteBatch.Builder b = WriteBatch.builder();
      for (long k : new long[] {3, 500, 1200}) {
        b.node(new Node(NodeKey.of("Doc", k), Map.of("tag", "rare", "emb", vector())));
      }
      w.write(b.build()).get();
      w.flush();
      indexed(w);
      w.compact();
      indexed(w);
      assertThat(w.manifest().ssts()).hasSize(1);
      assertThat(keys(search(w.view(), vector(), List.of(Filter.eq("tag", "rare")), false)))
          .containsExactlyInAnyOrder(3L, 500L, 1200L);
    }
  }

  @Test
  void aNewReaderLoadsThePersistedIndexAndGcDeletesAnIndexWithItsSst() throws Exception {
    float[] q = vector();
    List<Object> fromWriter;
    try (NamespaceWriter w = open(memory)) {
      load(w, 0, NODES);
      w.flush();
      indexed(w);
      load(w, NODES, 2 * NODES);
      w.flush();
      indexed(w);
      assertThat(indexObjects(memory)).hasSize(2);
      w.compact();
      indexed(w);
      w.collectGarbage();
      String sst = w.manifest().ssts().get(0).key();
      assertThat(indexObjects(memory)).containsExactly(SstNames.vectorIndex(sst, "emb"));
      fromWriter = keys(search(w.view(), q, List.of(), false));
    }
    try (NamespaceReader r = NamespaceReader.open(memory)) {
      String sst = r.view().snapshot().nodeSsts("Doc").get(0).key();
      assertThat(
              r.view()
                  .snapshot()
                  .readers()
                  .vectorIndex(r.view().snapshot().nodeSsts("Doc").get(0), "emb"))
          .hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(2 * NODES));
      assertThat(keys(search(r.view(), q, List.of(), false))).isEqualTo(fromWriter);
      assertThat(recall(r.view(), 20, List.of())).isEqualTo(1.0);
      // an SST whose index is gone (a restored copy, say) is searched exactly
      memory.delete(SstNames.vectorIndex(sst, "emb"));
    }
    try (NamespaceReader r = NamespaceReader.open(memory)) {
      assertThat(
              r.view()
                  .snapshot()
                  .readers()
                  .vectorIndex(r.view().snapshot().nodeSsts("Doc").get(0), "emb"))
          .isEmpty();
      List<ScoredNode> approximate = search(r.view(), q, List.of(), false);
      List<ScoredNode> exact = search(r.view(), q, List.of(), true);
      assertThat(keys(approximate)).isEqualTo(keys(exact));
      assertThat(approximate)
          .extracting(ScoredNode::distance)
          .isEqualTo(exact.stream().map(ScoredNode::distance).toList());
    }
  }

  @Test
  void anSstIsScannedUntilItsIndexIsThereAndAFailedBuildNeverFailsTheFlush() throws Exception {
    FaultInjectingObjectStore faults =
        new FaultInjectingObjectStore(memory, new SplittableRandom(42), d -> {});
    float[] q = vector();
    List<Object> exact;
    try (NamespaceWriter w = open(faults)) {
      load(w, 0, NODES);
      // the SST's PUT goes through, the index's (the next one there) fails and is left
      var failed =
          faults.on(StoreOp.PUT_IF_ABSENT, "sst/nodes/Doc/").fail().afterMatches(1).times(1);
      w.flush();
      indexed(w);
      assertThat(failed.fired()).isEqualTo(1);
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
      assertThat(w.manifest().ssts()).hasSize(1);
      assertThat(indexObjects(memory)).isEmpty();
      exact = keys(search(w.view(), q, List.of(), true));
      assertThat(keys(search(w.view(), q, List.of(), false))).isEqualTo(exact);
    }
    // the next writer builds what is missing
    try (NamespaceWriter w = open(memory)) {
      indexed(w);
      String sst = w.manifest().ssts().get(0).key();
      assertThat(indexObjects(memory)).containsExactly(SstNames.vectorIndex(sst, "emb"));
      assertThat(keys(search(w.view(), q, List.of(), false))).isEqualTo(exact);
    }
  }

  @Test
  void aBulkLoadIsIndexedAfterItsCommit() throws Exception {
    float[] q = vector();
    try (NamespaceWriter w = open(memory)) {
      try (BulkLoad load = w.bulkLoad()) {
        WriteBatch.Builder b = WriteBatch.builder();
        for (long k = 0; k < NODES; k++) {
          b.node(doc(k, vector()));
        }
        load.add(b.build());
        load.commit();
      }
      indexed(w);
      String sst = w.manifest().ssts().get(0).key();
      assertThat(indexObjects(memory)).containsExactly(SstNames.vectorIndex(sst, "emb"));
      assertThat(keys(search(w.view(), q, List.of(Filter.eq("tag", "even")), false)))
          .isEqualTo(keys(search(w.view(), q, List.of(Filter.eq("tag", "even")), true)));
    }
  }
}
