package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.model.Direction;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.MemoryObjectStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The adjacency index answers {@link GraphView#reach} exactly as the SSTs do, in the same order,
 * over several SSTs with newer versions and tombstones, and under memtables that change a node's
 * edges after the snapshot.
 */
class AdjacencyIndexTest {
  private static final List<Step> TWO_OUT =
      List.of(new Step("KNOWS", Direction.OUT), new Step("KNOWS", Direction.OUT));
  private static final List<Step> ONE_OUT = List.of(new Step("KNOWS", Direction.OUT));
  private static final List<Step> IN_THEN_OUT =
      List.of(new Step("KNOWS", Direction.IN), new Step("KNOWS", Direction.OUT));

  @Test
  void reachThroughTheIndexEqualsReachThroughTheSstsInTheSameOrder() throws Exception {
    MemoryObjectStore store = new MemoryObjectStore();
    Random random = new Random(7);
    try (NamespaceWriter w = Writes.open(store, Writes.config(7))) {
      for (int i = 0; i < 30; i++) {
        w.write(Writes.person("p" + i)).get();
      }
      for (int sst = 0; sst < 3; sst++) { // three flushes: three SSTs per direction
        for (int i = 0; i < 60; i++) {
          String from = "p" + random.nextInt(30);
          String to = "p" + random.nextInt(30);
          if (random.nextInt(4) == 0) {
            w.write(deleteKnows(from, to)).get();
          } else {
            w.write(Writes.knows(from, to)).get();
          }
        }
        w.flush();
      }
      Snapshot indexed = w.view().snapshot();
      assertThat(indexed.edgeSsts("KNOWS", Direction.OUT)).hasSizeGreaterThan(1);
      assertThat(indexed.awaitAdjacencyIndex("KNOWS", Direction.OUT)).isTrue();
      assertThat(indexed.awaitAdjacencyIndex("KNOWS", Direction.IN)).isTrue();
      AdjacencyIndex out = indexed.adjacencyIndex("KNOWS", Direction.OUT, false);
      Snapshot plain = new Snapshot(indexed.manifest(), new SstReaders(store, 1 << 20));
      long live = 0;
      for (int i = 0; i < 30; i++) {
        NodeKey p = NodeKey.of("Person", "p" + i);
        live += new GraphView(List.of(), plain).edges(p, "KNOWS", Direction.OUT).size();
        for (List<Step> path : List.of(TWO_OUT, IN_THEN_OUT, ONE_OUT)) {
          for (boolean distinct : new boolean[] {true, false}) {
            List<NodeKey> expected = throughSsts(plain, p, path, distinct);
            assertThat(new GraphView(List.of(), indexed).reach(p, path, distinct, 1000))
                .as("%s %s distinct=%s", p, path, distinct)
                .containsExactlyElementsOf(expected);
            assertThat(new GraphView(List.of(), indexed).reachCount(p, path, distinct))
                .as("count of %s %s distinct=%s", p, path, distinct)
                .isEqualTo(new GraphView.ReachCount(expected.size(), expected.contains(p)));
          }
        }
        new GraphView(List.of(), plain).reach(p, ONE_OUT, true, 1000);
      }
      assertThat(out.edges()).as("live edges in the index").isEqualTo(live);
      assertThat(plain.adjacencyIndex("KNOWS", Direction.OUT, false))
          .as("one-hop reads never start an index (a cold one-hop stays a few GETs)")
          .isNull();
    }
  }

  /** What reach gives by the SSTs' adjacency alone: breadth first, in adjacency order. */
  private static List<NodeKey> throughSsts(
      Snapshot snapshot, NodeKey from, List<Step> path, boolean distinct) {
    List<NodeKey> frontier = List.of(from);
    for (Step step : path) {
      List<NodeKey> next = new ArrayList<>();
      Set<NodeKey> seen = new HashSet<>();
      for (NodeKey n : frontier) {
        snapshot
            .adjacency(n, step.type(), step.direction())
            .forEach(
                (id, edge) -> {
                  NodeKey other = step.direction() == Direction.OUT ? id.to() : id.from();
                  if (edge != null && (!distinct || seen.add(other))) {
                    next.add(other);
                  }
                });
      }
      frontier = next;
    }
    return frontier;
  }

  @Test
  void aNodeWhoseEdgesTheMemtablesChangeIsExpandedWithThoseChanges() throws Exception {
    MemoryObjectStore store = new MemoryObjectStore();
    try (NamespaceWriter w = Writes.open(store, Writes.config(8))) {
      for (String p : List.of("a", "b", "c", "d", "e")) {
        w.write(Writes.person(p)).get();
      }
      w.write(Writes.knows("a", "b")).get();
      w.write(Writes.knows("b", "c")).get();
      w.write(Writes.knows("b", "d")).get();
      w.flush();
      w.view().snapshot().awaitAdjacencyIndex("KNOWS", Direction.OUT);
      // after the snapshot: b loses c and gains e (a node the index has never seen), a gains d
      w.write(deleteKnows("b", "c")).get();
      w.write(Writes.knows("b", "e")).get();
      w.write(Writes.knows("a", "d")).get();

      GraphView view = w.view();
      assertThat(view.snapshot().adjacencyIndex("KNOWS", Direction.OUT, false)).isNotNull();
      NodeKey a = NodeKey.of("Person", "a");
      assertThat(view.reach(a, TWO_OUT, true, 100))
          .containsExactly(NodeKey.of("Person", "d"), NodeKey.of("Person", "e"));
      assertThat(view.reach(a, ONE_OUT, true, 100))
          .containsExactly(NodeKey.of("Person", "b"), NodeKey.of("Person", "d"));
      // counted without listing: the same, for every start, through the memtables' changes
      for (String p : List.of("a", "b", "c", "d", "e")) {
        NodeKey start = NodeKey.of("Person", p);
        for (List<Step> path : List.of(TWO_OUT, ONE_OUT, IN_THEN_OUT)) {
          for (boolean distinct : new boolean[] {true, false}) {
            List<NodeKey> ends = view.reach(start, path, distinct, Integer.MAX_VALUE);
            assertThat(view.reachCount(start, path, distinct))
                .as("%s %s distinct=%s", p, path, distinct)
                .isEqualTo(new GraphView.ReachCount(ends.size(), ends.contains(start)));
          }
        }
      }
    }
  }

  @Test
  void visitedMarksAreFreshForEveryQuery() {
    AdjacencyIndex.Visited visited = new AdjacencyIndex.Visited(3);
    visited.next();
    assertThat(visited.add(1)).isTrue();
    assertThat(visited.add(1)).isFalse();
    visited.next();
    assertThat(visited.add(1)).as("a new query starts empty").isTrue();
  }

  @Test
  void visitedSetsAreReusedAndOnlyAFewAreKept() throws Exception {
    MemoryObjectStore store = new MemoryObjectStore();
    try (NamespaceWriter w = Writes.open(store, Writes.config(9))) {
      w.write(Writes.person("a")).get();
      w.write(Writes.person("b")).get();
      w.write(Writes.knows("a", "b")).get();
      w.flush();
      Snapshot snapshot = w.view().snapshot();
      assertThat(snapshot.awaitAdjacencyIndex("KNOWS", Direction.OUT)).isTrue();
      AdjacencyIndex index = snapshot.adjacencyIndex("KNOWS", Direction.OUT, false);
      List<AdjacencyIndex.Visited> held = new ArrayList<>();
      for (int i = 0; i < AdjacencyIndex.POOLED + 3; i++) {
        held.add(index.acquire());
      }
      assertThat(held).as("sets held at once are distinct").doesNotHaveDuplicates();
      held.forEach(index::release);
      List<AdjacencyIndex.Visited> again = new ArrayList<>();
      for (int i = 0; i < held.size(); i++) {
        again.add(index.acquire());
      }
      assertThat(again.stream().filter(held::contains))
          .as("returned sets are reused, at most POOLED of them")
          .hasSize(AdjacencyIndex.POOLED);
      assertThat(again.get(0).add(0)).as("a reused set starts empty").isTrue();
    }
  }

  private static WriteBatch deleteKnows(String from, String to) {
    return WriteBatch.builder()
        .deleteEdge(new EdgeKey("KNOWS", NodeKey.of("Person", from), NodeKey.of("Person", to)))
        .build();
  }
}
