package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.config;
import static io.namidb.engine.graph.Writes.knows;
import static io.namidb.engine.graph.Writes.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.MemoryObjectStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pinned view ({@link GraphView#pinned()}, what {@code NamespaceWriter.view()} gives) keeps
 * answering as of the moment it was pinned while later batches are applied to the same memtable:
 * updates, new edges, edge and node deletes (with their cascade), new labels and edge types.
 */
class PinnedViewTest {
  private static final NodeKey ALICE = NodeKey.of("Person", "alice");
  private static final NodeKey BOB = NodeKey.of("Person", "bob");

  private static Snapshot empty() {
    return new Snapshot(Manifest.empty(), new SstReaders(new MemoryObjectStore(), 1 << 20));
  }

  private static WriteBatch rename(NodeKey k, String name) {
    return WriteBatch.builder().node(new Node(k, Map.of("name", name))).build();
  }

  @Test
  void aPinnedViewDoesNotSeeBatchesAppliedAfterIt() {
    MemTable m = new MemTable();
    GraphView follows = new GraphView(List.of(m), empty());
    m.apply(person("alice"));
    m.apply(person("bob"));
    m.apply(knows("alice", "bob"));
    GraphView pinned = follows.pinned();

    m.apply(rename(ALICE, "Alice II"));
    m.apply(knows("bob", "alice"));
    m.apply(WriteBatch.builder().deleteNode(BOB).build()); // cascades to both edges
    m.apply(
        WriteBatch.builder()
            .node(new Node(NodeKey.of("City", "lisbon"), Map.of()))
            .edge(new Edge(new EdgeKey("LIVES_IN", ALICE, NodeKey.of("City", "lisbon")), Map.of()))
            .build());

    assertThat(pinned.node(ALICE)).get().extracting(n -> n.props().get("name")).isEqualTo("alice");
    assertThat(pinned.node(BOB)).isPresent();
    assertThat(pinned.edges(ALICE, null, Direction.BOTH))
        .extracting(Edge::id)
        .containsExactly(new EdgeKey("KNOWS", ALICE, BOB));
    assertThat(pinned.scan("Person")).hasSize(2);
    assertThat(pinned.labels()).containsExactly("Person");
    assertThat(pinned.edgeTypes()).containsExactly("KNOWS");

    // the following view and a view pinned now see everything
    for (GraphView now : List.of(follows, follows.pinned())) {
      assertThat(now.node(ALICE))
          .get()
          .extracting(n -> n.props().get("name"))
          .isEqualTo("Alice II");
      assertThat(now.node(BOB)).isEmpty();
      assertThat(now.edges(ALICE, null, Direction.BOTH))
          .extracting(Edge::type)
          .containsExactly("LIVES_IN");
      assertThat(now.labels()).containsExactlyInAnyOrder("Person", "City");
    }
    // flushes still take the newest versions
    assertThat(m.nodeVersions()).hasSize(3);
  }

  @Test
  void aPinnedViewSeesNothingOfAnEmptyMemtableThatFillsLater() {
    MemTable m = new MemTable();
    GraphView pinned = new GraphView(List.of(m), empty()).pinned();
    m.apply(person("alice"));
    assertThat(pinned.node(ALICE)).isEmpty();
    assertThat(pinned.labels()).isEmpty();
    assertThat(m.applied()).isEqualTo(1);
  }

  @Test
  void theWritersViewStaysAtItsMomentWhileWritesLand() throws Exception {
    NamespaceWriter w = Writes.open(new MemoryObjectStore(), config(1));
    try {
      w.write(person("alice")).get();
      w.write(person("bob")).get();
      GraphView before = w.view();
      w.write(knows("alice", "bob")).get();
      w.write(rename(ALICE, "Alice II")).get();
      assertThat(before.edges(ALICE, "KNOWS", Direction.OUT)).isEmpty();
      assertThat(before.node(ALICE))
          .get()
          .extracting(n -> n.props().get("name"))
          .isEqualTo("alice");
      assertThat(w.view().edges(ALICE, "KNOWS", Direction.OUT)).hasSize(1);
      assertThat(w.node(ALICE)).get().extracting(n -> n.props().get("name")).isEqualTo("Alice II");
    } finally {
      w.close();
    }
  }
}
