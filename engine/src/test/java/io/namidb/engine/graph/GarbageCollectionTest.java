package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.store.MemoryObjectStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GarbageCollectionTest {
  private final MemoryObjectStore store = new MemoryObjectStore();

  private WriterConfig aggressive() {
    return Writes.config(1)
        .withFlush(1L << 40, Duration.ofDays(1), 2)
        .withRetention(1, Duration.ZERO);
  }

  /** Flushes three times so compaction replaces the first SSTs; returns the first manifest. */
  private Manifest churn(NamespaceWriter w) throws Exception {
    w.write(person("a")).get();
    w.flush();
    Manifest first = w.manifest();
    for (int i = 0; i < 3; i++) {
      w.write(person("b" + i)).get();
      w.flush();
    }
    return first;
  }

  @Test
  void collectsSstsWalAndManifestsNoRetainedVersionNames() throws Exception {
    try (NamespaceWriter w = Writes.open(store, aggressive())) {
      Manifest first = churn(w);
      w.collectGarbage();
      List<SstEntry> old = first.ssts();
      assertThat(old).isNotEmpty();
      for (SstEntry sst : old) {
        assertThat(store.head(sst.key())).as("compacted-away %s", sst.key()).isEmpty();
      }
      assertThat(store.list("manifest/")).hasSize(1);
      assertThat(Writes.walSegmentIds(store)).allMatch(id -> id > w.manifest().walCheckpoint());
      assertThat(w.view().scan("Person")).hasSize(4);
    }
  }

  @Test
  void compactLeavesOneSstPerLabelAndEdgeTypeDirection() throws Exception {
    try (NamespaceWriter w = Writes.open(store, Writes.config(3))) {
      for (int i = 0; i < 3; i++) {
        w.write(person("p" + i)).get();
        w.write(Writes.knows("p" + i, "p" + i)).get();
        w.flush();
      }
      assertThat(w.manifest().ssts()).hasSize(9);
      w.compact();
      assertThat(w.manifest().ssts()).hasSize(3);
      assertThat(w.view().scan("Person")).hasSize(3);
      assertThat(w.edges(NodeKey.of("Person", "p1"), "KNOWS", Direction.OUT)).hasSize(1);
    }
  }

  @Test
  void neverDeletesWhatAPinnedSnapshotNames() throws Exception {
    Pins pins = new Pins();
    try (NamespaceWriter w = NamespaceWriter.open(store, aggressive(), pins)) {
      w.evolveSchema(Writes.json(Writes.SCHEMA));
      w.write(person("a")).get();
      w.flush();
      long pinnedVersion = w.manifestVersion();
      try (NamespaceReader reader = NamespaceReader.openVersion(store, pinnedVersion, pins)) {
        for (int i = 0; i < 3; i++) {
          w.write(person("b" + i)).get();
          w.flush();
        }
        w.collectGarbage();
        assertThat(new ManifestStore(store).read(pinnedVersion).version()).isEqualTo(pinnedVersion);
        assertThat(reader.view().scan("Person")).extracting(Node::key).containsExactly("a");
        assertThat(reader.view().node(NodeKey.of("Person", "a"))).isPresent();
      }
      w.collectGarbage();
      assertThat(store.head(Manifest.key(pinnedVersion))).as("unpinned now").isEmpty();
    }
  }
}
