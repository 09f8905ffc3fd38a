package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.wal.WalSegment;
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
      // the current version and the epoch's claim (version 1) stay, nothing in between
      assertThat(store.list("manifest/"))
          .extracting(o -> Manifest.versionOf(o.key()))
          .containsExactly(1L, w.manifestVersion());
      // below the checkpoint only the epoch's fence segment stays
      assertThat(store.list("wal/"))
          .filteredOn(o -> WalSegment.idOf(o.key()) <= w.manifest().walCheckpoint())
          .extracting(o -> WalSegment.idOf(o.key()))
          .containsExactly(1L);
      assertThat(w.view().scan("Person")).hasSize(4);
    }
  }

  @Test
  void gcKeepsTheFenceAndClaimThatStopAZombieAfterAnyPause() throws Exception {
    NamespaceWriter zombie = Writes.open(store, aggressive());
    zombie.write(person("z0")).get();
    // a new writer takes over while the zombie sleeps, then writes, flushes and collects garbage
    try (NamespaceWriter w =
        Writes.open(
            store,
            aggressive()
                .withIds(new io.namidb.engine.IdGenerator(new java.util.SplittableRandom(9))))) {
      for (int i = 0; i < 5; i++) {
        w.write(person("w" + i)).get();
        w.flush();
      }
      w.collectGarbage();
    }
    // the zombie wakes up: its next WAL id and its next manifest version are still taken
    assertThatThrownByFenced(() -> zombie.write(person("z1")).get());
    zombie.close();
    try (NamespaceWriter r = Writes.open(store, Writes.config(4))) {
      assertThat(r.node(NodeKey.of("Person", "z1"))).isEmpty();
      assertThat(r.view().scan("Person")).hasSize(6);
    }
  }

  private static void assertThatThrownByFenced(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    org.assertj.core.api.Assertions.assertThatThrownBy(call)
        .hasCauseInstanceOf(io.namidb.engine.FencedException.class);
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
