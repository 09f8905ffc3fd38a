package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.FaultInjectingObjectStore;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.StoreOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Bulk loads: SSTs written directly and committed in one manifest version, all or nothing, through
 * the same fencing as every commit; ordered after the writes acknowledged before the commit and
 * before those that come after it.
 */
class BulkLoadTest {
  private static final String SCHEMA =
      "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"name\":\"STRING\"}},"
          + "\"City\":{\"key\":\"INT64\",\"properties\":{\"pop\":\"INT64\"}}},"
          + "\"edgeTypes\":{\"KNOWS\":{\"from\":\"Person\",\"to\":\"Person\","
          + "\"properties\":{\"since\":\"INT64\"}},"
          + "\"LIVES_IN\":{\"from\":\"Person\",\"to\":\"City\"}}}";

  private final MemoryObjectStore memory = new MemoryObjectStore();
  private volatile Runnable duringDelay = () -> {};
  private final FaultInjectingObjectStore faults =
      new FaultInjectingObjectStore(memory, new SplittableRandom(7), d -> duringDelay.run());

  private NamespaceWriter open(long seed) {
    NamespaceWriter w = NamespaceWriter.open(faults, config(seed));
    w.evolveSchema(Writes.json(SCHEMA));
    return w;
  }

  private static Node person(String key, String name) {
    return new Node(NodeKey.of("Person", key), Map.of("name", name));
  }

  private static Edge knows(String from, String to, long since) {
    return new Edge(
        new EdgeKey("KNOWS", NodeKey.of("Person", from), NodeKey.of("Person", to)),
        Map.of("since", since));
  }

  private static WriteBatch batch(Object... items) {
    WriteBatch.Builder b = WriteBatch.builder();
    for (Object o : items) {
      if (o instanceof Node n) {
        b.node(n);
      } else {
        b.edge((Edge) o);
      }
    }
    return b.build();
  }

  private static List<String> neighbours(GraphView view, String key, Direction d) {
    List<String> out = new ArrayList<>();
    for (Edge e : view.edges(NodeKey.of("Person", key), "KNOWS", d)) {
      out.add(
          (String) (d == Direction.OUT ? e.to().key() : e.from().key())
              + "@"
              + e.props().get("since"));
    }
    return out;
  }

  @Test
  void loadCommitsEveryLabelAndTypeInOneManifestVersionAndSurvivesAReopen() {
    long before;
    long after;
    try (NamespaceWriter w = open(1)) {
      before = w.manifestVersion();
      try (BulkLoad load = w.bulkLoad()) {
        load.add(batch(person("c", "Cleo"), person("a", "Ada"), person("b", "Bo")));
        load.add(
            batch(
                new Node(NodeKey.of("City", 100L), Map.of("pop", 1L)),
                new Node(NodeKey.of("City", 7L), Map.of("pop", 10L)),
                new Node(NodeKey.of("City", -3L), Map.of("pop", 2L))));
        load.add(
            batch(
                knows("a", "b", 1),
                knows("c", "a", 2),
                knows("a", "c", 3),
                new Edge(
                    new EdgeKey("LIVES_IN", NodeKey.of("Person", "a"), NodeKey.of("City", 7L)),
                    Map.of())));
        assertThat(load.nodes()).isEqualTo(6);
        assertThat(load.edges()).isEqualTo(4);
        // nothing is visible before the commit
        assertThat(w.node(NodeKey.of("Person", "a"))).isEmpty();
        after = load.commit();
      }
      assertThat(after).isEqualTo(before + 1);
      assertThat(w.manifestVersion()).isEqualTo(after);
      // one node SST per label, an out and in SST per edge type: 2 + 2 * 2
      assertThat(w.manifest().ssts()).hasSize(6);
      assertThat(Writes.walSegmentIds(memory)).hasSize(1); // the fence only: no WAL segment
      assertLoaded(w.view());
    }
    try (NamespaceWriter w = NamespaceWriter.open(memory, config(2))) {
      assertLoaded(w.view());
    }
  }

  private static void assertLoaded(GraphView v) {
    assertThat(v.scan("Person")).extracting(Node::key).containsExactly("a", "b", "c");
    assertThat(v.node(NodeKey.of("Person", "b")).orElseThrow().props()).containsEntry("name", "Bo");
    assertThat(v.node(NodeKey.of("City", 7L)).orElseThrow().props()).containsEntry("pop", 10L);
    assertThat(v.scan("City")).extracting(Node::key).containsExactly(-3L, 7L, 100L);
    assertThat(neighbours(v, "a", Direction.OUT)).containsExactly("b@1", "c@3");
    assertThat(neighbours(v, "a", Direction.IN)).containsExactly("c@2");
    assertThat(v.edges(NodeKey.of("City", 7L), "LIVES_IN", Direction.IN)).hasSize(1);
  }

  @Test
  void edgesBetweenLabelsWithIntAndStringKeysReadBackAsLoadedInBothDirections() {
    // INT64 labels whose names are prefixes of one another, a STRING label, an edge type from and
    // to any label: the load writes INT64 neighbours from its dense key array (LoadSsts), the
    // rest from their sort keys, and every list must come back whole and in order
    String schema =
        "{\"labels\":{\"A\":{\"key\":\"INT64\"},\"AB\":{\"key\":\"INT64\"},"
            + "\"S\":{\"key\":\"STRING\"}},"
            + "\"edgeTypes\":{\"LINK\":{\"from\":\"*\",\"to\":\"*\"}}}";
    SplittableRandom random = new SplittableRandom(3);
    List<NodeKey> nodes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      nodes.add(NodeKey.of("A", (long) random.nextInt(-1000, 1000)));
      nodes.add(NodeKey.of("AB", i % 3 == 0 ? Long.MIN_VALUE + i : (long) i * 1_000_003));
      nodes.add(NodeKey.of("S", "s" + random.nextInt(1000)));
    }
    Map<NodeKey, java.util.TreeSet<NodeKey>> out = new java.util.HashMap<>();
    Map<NodeKey, java.util.TreeSet<NodeKey>> in = new java.util.HashMap<>();
    WriteBatch.Builder edges = WriteBatch.builder();
    for (int i = 0; i < 5000; i++) {
      NodeKey from = nodes.get(random.nextInt(i < 1000 ? 12 : nodes.size())); // a few hubs
      NodeKey to = nodes.get(random.nextInt(nodes.size()));
      edges.edge(new Edge(new EdgeKey("LINK", from, to), Map.of()));
      out.computeIfAbsent(from, k -> new java.util.TreeSet<>()).add(to);
      in.computeIfAbsent(to, k -> new java.util.TreeSet<>()).add(from);
    }
    try (NamespaceWriter w = NamespaceWriter.open(faults, config(1))) {
      w.evolveSchema(Writes.json(schema));
      try (BulkLoad load = w.bulkLoad()) {
        WriteBatch.Builder b = WriteBatch.builder();
        nodes.forEach(k -> b.node(new Node(k, Map.of())));
        load.add(b.build());
        load.add(edges.build());
        load.commit();
      }
      GraphView view = w.view();
      for (NodeKey k : new java.util.LinkedHashSet<>(nodes)) {
        assertThat(view.edges(k, "LINK", Direction.OUT))
            .as("out of %s", k)
            .extracting(Edge::to)
            .containsExactlyElementsOf(out.getOrDefault(k, new java.util.TreeSet<>()));
        assertThat(view.edges(k, "LINK", Direction.IN))
            .as("in of %s", k)
            .extracting(Edge::from)
            .containsExactlyElementsOf(in.getOrDefault(k, new java.util.TreeSet<>()));
      }
    }
  }

  @Test
  void laterVersionsInALoadWinAndTheLoadReplacesWhatTheNamespaceHeld() throws Exception {
    try (NamespaceWriter w = open(1)) {
      w.write(batch(person("a", "old"), person("z", "kept"))).get();
      w.write(batch(knows("a", "z", 1))).get();
      try (BulkLoad load = w.bulkLoad()) {
        load.add(batch(person("a", "first"), person("b", "Bo")));
        load.add(batch(knows("a", "b", 1), knows("a", "z", 5)));
        load.add(batch(person("a", "second"), knows("a", "b", 9)));
        load.commit();
      }
      GraphView v = w.view();
      assertThat(v.node(NodeKey.of("Person", "a")).orElseThrow().props())
          .containsEntry("name", "second");
      assertThat(v.node(NodeKey.of("Person", "z")).orElseThrow().props())
          .containsEntry("name", "kept");
      assertThat(neighbours(v, "a", Direction.OUT)).containsExactlyInAnyOrder("b@9", "z@5");
      assertThat(neighbours(v, "z", Direction.IN)).containsExactly("a@5");
    }
  }

  @Test
  void writesAcknowledgedBeforeTheCommitAreOlderAndWritesAfterItNewer() throws Exception {
    try (NamespaceWriter w = open(1)) {
      // in the memtable, not flushed: the load must still shadow it
      w.write(batch(person("a", "before"), person("b", "before"))).get();
      try (BulkLoad load = w.bulkLoad()) {
        load.add(batch(person("a", "loaded"), person("b", "loaded")));
        load.commit();
      }
      w.write(batch(person("b", "after"))).get();
      assertThat(w.node(NodeKey.of("Person", "a")).orElseThrow().props())
          .containsEntry("name", "loaded");
      assertThat(w.node(NodeKey.of("Person", "b")).orElseThrow().props())
          .containsEntry("name", "after");
      w.flush();
      w.compact();
    }
    try (NamespaceWriter w = NamespaceWriter.open(memory, config(2))) {
      assertThat(w.node(NodeKey.of("Person", "a")).orElseThrow().props())
          .containsEntry("name", "loaded");
      assertThat(w.node(NodeKey.of("Person", "b")).orElseThrow().props())
          .containsEntry("name", "after");
    }
  }

  @Test
  void writesSubmittedWhileTheLoadCommitsWaitAndApplyAfterIt() throws Exception {
    try (NamespaceWriter w = open(1)) {
      List<CompletableFuture<Long>> during = new ArrayList<>();
      List<Boolean> doneDuringTheCommit = new ArrayList<>();
      // while the load's first SST uploads, writes are submitted: they must wait for the commit
      duringDelay =
          () -> {
            for (int i = 0; i < 5; i++) {
              during.add(w.write(batch(person("a", "during" + i))));
            }
            LockSupport.parkNanos(50_000_000L); // room for a committer that did not wait
            during.forEach(f -> doneDuringTheCommit.add(f.isDone()));
          };
      faults.on(StoreOp.PUT_IF_ABSENT, "sst/").delay(Duration.ofMillis(1)).times(1);
      try (BulkLoad load = w.bulkLoad()) {
        load.add(batch(person("a", "loaded")));
        load.commit();
      }
      assertThat(doneDuringTheCommit).containsExactly(false, false, false, false, false);
      for (CompletableFuture<Long> f : during) {
        f.get();
      }
      assertThat(w.node(NodeKey.of("Person", "a")).orElseThrow().props())
          .containsEntry("name", "during4");
    }
  }

  @Test
  void aBadBatchIsRefusedWholeNamingTheFieldAndTheLoadGoesOnWithoutIt() {
    try (NamespaceWriter w = open(1);
        BulkLoad load = w.bulkLoad()) {
      load.add(batch(person("a", "Ada")));
      assertThatThrownBy(() -> load.add(batch(person("b", "Bo"), knows("a", "ghost", 1))))
          .isInstanceOf(NamiException.class)
          .hasMessageContaining("edges[0].to: node does not exist")
          .hasMessageContaining("Person:ghost");
      assertThatThrownBy(
              () -> load.add(batch(new Node(NodeKey.of("Person", "c"), Map.of("name", 3L)))))
          .hasMessageContaining("nodes[0].props.name: expected STRING, got INT64");
      assertThatThrownBy(
              () -> load.add(WriteBatch.builder().deleteNode(NodeKey.of("Person", "a")).build()))
          .hasMessageContaining("a bulk load holds no deletes");
      load.add(batch(knows("a", "a", 1)));
      load.commit();
      GraphView v = w.view();
      assertThat(v.scan("Person")).extracting(Node::key).containsExactly("a"); // b was refused
      assertThat(neighbours(v, "a", Direction.OUT)).containsExactly("a@1");
      assertThatThrownBy(() -> load.add(batch(person("d", "D"))))
          .hasMessageContaining("already committed");
    }
  }

  @Test
  void anEndpointDeletedFromTheNamespaceBeforeTheCommitFailsTheLoadWhole() throws Exception {
    try (NamespaceWriter w = open(1)) {
      w.write(batch(person("z", "Zed"))).get();
      long version;
      try (BulkLoad load = w.bulkLoad()) {
        load.add(batch(person("a", "Ada"), knows("a", "z", 1)));
        w.write(WriteBatch.builder().deleteNode(NodeKey.of("Person", "z")).build()).get();
        version = w.manifestVersion();
        assertThatThrownBy(load::commit)
            .isInstanceOf(NamiException.class)
            .hasMessageContaining("deleted while the load ran")
            .hasMessageContaining("Person:z");
      }
      // the memtables were flushed for the commit, nothing else: no SST of the load is named
      assertThat(w.node(NodeKey.of("Person", "a"))).isEmpty();
      assertThat(w.manifestVersion()).isGreaterThanOrEqualTo(version);
      assertThat(w.view().scan("Person")).isEmpty();
    }
  }

  @Test
  void aFailedUploadCommitsNothingAndTheFlushersGarbageCollectionRemovesWhatItLeft() {
    try (NamespaceWriter w = open(1)) {
      long version = w.manifestVersion();
      // the first SST lands, the next upload fails
      faults.on(StoreOp.PUT_IF_ABSENT, "sst/").fail().afterMatches(1).times(1000);
      try (BulkLoad load = w.bulkLoad()) {
        load.add(batch(person("a", "Ada"), person("b", "Bo"), knows("a", "b", 1)));
        assertThatThrownBy(load::commit).isInstanceOf(NamiException.class);
      }
      faults.clearRules();
      assertThat(w.manifestVersion()).isEqualTo(version);
      assertThat(w.view().scan("Person")).isEmpty();
      w.compact(); // a flusher round, which collects this writer's unnamed SSTs
      assertThat(ssts()).isEmpty();
      assertThat(w.manifestVersion()).isEqualTo(version);
    }
  }

  @Test
  void aLoadWhoseWriterWasFencedCommitsNothingAndTheNewWriterSeesNoneOfIt() {
    NamespaceWriter old = open(1);
    try (BulkLoad load = old.bulkLoad()) {
      load.add(batch(person("a", "Ada"), person("b", "Bo"), knows("a", "b", 1)));
      try (NamespaceWriter fresh = NamespaceWriter.open(memory, config(2))) {
        assertThatThrownBy(load::commit).isInstanceOf(FencedException.class);
        assertThat(old.state()).isEqualTo(NamespaceWriter.State.FENCED);
        assertThat(fresh.view().scan("Person")).isEmpty();
        fresh.collectGarbage();
        assertThat(ssts()).isEmpty();
      }
    } finally {
      old.close();
    }
  }

  @Test
  void aClosedLoadCommitsNothing() {
    try (NamespaceWriter w = open(1)) {
      long version = w.manifestVersion();
      try (BulkLoad load = w.bulkLoad()) {
        load.add(batch(person("a", "Ada")));
      }
      assertThat(w.manifestVersion()).isEqualTo(version);
      assertThat(w.node(NodeKey.of("Person", "a"))).isEmpty();
    }
  }

  private List<String> ssts() {
    return memory.list("sst/").stream().map(ObjectInfo::key).toList();
  }
}
