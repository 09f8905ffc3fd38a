package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.Node;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.ObjectInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GC and readers (issue 11, item 2): leases protect readers in other processes on the writer's
 * clock, every query's view is pinned, retention never trusts another process's clock, a compaction
 * round costs one manifest version, and deletion goes manifests first, after an epoch check.
 */
class ReaderSafetyTest {
  private final MemoryObjectStore store = new MemoryObjectStore();

  /** Keep only the newest version, nothing by age: whatever is not held goes at once. */
  private static WriterConfig aggressive(long seed) {
    return Writes.config(seed)
        .withFlush(1L << 40, Duration.ofDays(1), 2)
        .withRetention(1, Duration.ZERO);
  }

  private static List<String> personSsts(Manifest m) {
    return m.ssts().stream().map(SstEntry::key).filter(k -> k.contains("/Person/")).toList();
  }

  /** Three more writes with a flush each: compaction replaces every SST of the first flush. */
  private static void churn(NamespaceWriter w) throws Exception {
    for (int i = 0; i < 3; i++) {
      w.write(person("b" + i)).get();
      w.flush();
    }
    w.compact(); // a flusher round: GC of this epoch's SSTs runs there
  }

  @Test
  void leaseOfAReaderInAnotherProcessKeepsItsVersionUntilItCloses() throws Exception {
    try (NamespaceWriter w = Writes.open(store, aggressive(1))) {
      w.write(person("a")).get();
      w.flush();
      List<String> firstSsts = personSsts(w.manifest());
      // another process: its own Pins, nothing shared with the writer but the store
      NamespaceReader reader = NamespaceReader.open(store, new Pins());
      assertThat(store.list(ReaderLeases.PREFIX)).hasSize(1);
      churn(w);
      for (String key : firstSsts) {
        assertThat(store.head(key)).as("held by the lease: %s", key).isPresent();
      }
      assertThat(reader.view().scan("Person")).extracting(Node::key).containsExactly("a");

      reader.close();
      assertThat(store.list(ReaderLeases.PREFIX)).as("closing deletes the lease").isEmpty();
      w.write(person("c")).get();
      w.flush();
      w.compact();
      for (String key : firstSsts) {
        assertThat(store.head(key)).as("released: %s", key).isEmpty();
      }
    }
  }

  @Test
  void leaseExpiresOnTheWritersClockOnlyAndIsRemovedAfterTwiceItsTtl() throws Exception {
    TestClock clock = new TestClock(Instant.parse("2026-12-01T00:00:00Z"));
    WriterConfig config = aggressive(1).toBuilder().clock(clock).build();
    try (NamespaceWriter w = Writes.open(store, config)) {
      w.write(person("a")).get();
      w.flush();
      long held = w.manifestVersion();
      String key = ReaderLeases.key("r-abandoned");
      // a reader that wrote its lease and then stopped renewing (paused or gone)
      store.put(key, ReaderLeases.encode("r-abandoned", held, Duration.ofSeconds(60), 1));
      for (int i = 0; i < 3; i++) {
        w.write(person("b" + i)).get();
        w.flush();
      }
      w.collectGarbage();
      assertThat(store.head(Manifest.key(held))).as("held by a fresh lease").isPresent();

      clock.advance(Duration.ofSeconds(59));
      // renewed: new content restarts its time on the writer's clock
      store.put(key, ReaderLeases.encode("r-abandoned", held, Duration.ofSeconds(60), 2));
      w.collectGarbage();
      clock.advance(Duration.ofSeconds(59));
      w.collectGarbage();
      assertThat(store.head(Manifest.key(held))).as("renewed 59 s ago").isPresent();

      clock.advance(Duration.ofSeconds(2));
      w.collectGarbage();
      assertThat(store.head(Manifest.key(held))).as("expired: not held").isEmpty();
      assertThat(store.head(key)).as("kept until twice its ttl").isPresent();
      clock.advance(Duration.ofSeconds(60));
      w.collectGarbage();
      assertThat(store.head(key)).as("gone after twice its ttl").isEmpty();
    }
  }

  @Test
  void pinnedViewKeepsWhatItReadsUntilClosed() throws Exception {
    try (NamespaceWriter w = Writes.open(store, aggressive(1))) {
      w.write(person("a")).get();
      w.flush();
      List<String> firstSsts = personSsts(w.manifest());
      try (PinnedView pinned = w.pinnedView()) {
        churn(w);
        for (String key : firstSsts) {
          assertThat(store.head(key)).as("pinned: %s", key).isPresent();
        }
        assertThat(pinned.view().scan("Person")).extracting(Node::key).containsExactly("a");
      }
      w.write(person("c")).get();
      w.flush();
      w.compact();
      for (String key : firstSsts) {
        assertThat(store.head(key)).as("unpinned: %s", key).isEmpty();
      }
    }
  }

  @Test
  void versionsWrittenUnderAnotherProcessesClockAreNotKeptByTheirTimestamps() throws Exception {
    // the previous writer's clock ran a day ahead: its manifests look "recent" for a day
    TestClock ahead = new TestClock(Instant.now().plus(Duration.ofDays(1)));
    try (NamespaceWriter old =
        Writes.open(store, Writes.config(1).toBuilder().clock(ahead).build())) {
      for (int i = 0; i < 3; i++) {
        old.write(person("o" + i)).get();
        old.flush();
      }
    }
    try (NamespaceWriter w =
        Writes.open(store, Writes.config(2).withRetention(1, Duration.ofMinutes(10)))) {
      w.write(person("n")).get();
      w.flush();
      w.collectGarbage();
      // left: the two epochs' claims and the newest version; none of the old epoch's flushes
      List<Long> versions =
          store.list("manifest/").stream()
              .map(ObjectInfo::key)
              .map(Manifest::versionOf)
              .filter(v -> v > 0)
              .toList();
      long claim2 = w.manifestVersion() - 1;
      assertThat(versions).containsExactlyInAnyOrder(1L, claim2, w.manifestVersion());
    }
  }

  @Test
  void aCompactionRoundCostsOneManifestVersion() throws Exception {
    try (NamespaceWriter w = Writes.open(store, Writes.config(3))) {
      for (int i = 0; i < 3; i++) {
        w.write(person("p" + i)).get();
        w.write(Writes.knows("p" + i, "p" + i)).get();
        w.flush();
      }
      long before = w.stats().manifestsWritten.get();
      w.compact(); // merges the label Person and the edge type KNOWS
      assertThat(w.stats().manifestsWritten.get() - before).isEqualTo(1);
      assertThat(w.stats().compactions.get()).isEqualTo(2);
      assertThat(w.manifest().ssts()).hasSize(3);
    }
  }

  @Test
  void crashAfterTheFirstSstDeleteLeavesNoManifestNamingAMissingObject() throws Exception {
    HookedStore hooked = new HookedStore(store);
    try (NamespaceWriter w = Writes.open(hooked, aggressive(1).withRetention(1, Duration.ZERO))) {
      w.write(person("a")).get();
      w.flush();
      java.util.concurrent.atomic.AtomicBoolean crashed =
          new java.util.concurrent.atomic.AtomicBoolean();
      hooked.beforeDelete(
          key -> {
            if (key.startsWith("sst/") && crashed.compareAndSet(false, true)) {
              store.delete(key); // the delete lands, then the process dies
              throw new IllegalStateException("crash after deleting " + key);
            }
          });
      for (int i = 0; i < 3; i++) {
        w.write(person("b" + i)).get();
        w.flush();
      }
      assertThat(crashed).isTrue();
    }
    long claim = 1;
    for (ObjectInfo info : store.list("manifest/")) {
      long v = Manifest.versionOf(info.key());
      if (v <= claim) {
        continue; // the epoch's claim stays for fencing and names nothing here
      }
      for (SstEntry sst : new io.namidb.engine.manifest.ManifestStore(store).read(v).ssts()) {
        assertThat(store.head(sst.key())).as("version %d names %s", v, sst.key()).isPresent();
      }
    }
  }

  @Test
  void fencedWriterDeletesNothing() throws Exception {
    Pins pins = new Pins();
    NamespaceWriter old = NamespaceWriter.open(store, aggressive(1), pins);
    old.evolveSchema(Writes.json(Writes.SCHEMA));
    old.write(person("a")).get();
    old.flush();
    long held = old.manifestVersion();
    pins.pin(held);
    for (int i = 0; i < 3; i++) {
      old.write(person("b" + i)).get();
      old.flush();
    }
    pins.unpin(held); // the old writer's next GC would now delete version `held`
    try (NamespaceWriter newer = NamespaceWriter.open(store, Writes.config(2))) {
      old.collectGarbage();
      assertThat(old.state()).isEqualTo(NamespaceWriter.State.FENCED);
      assertThat(old.stateReason()).contains("theirWriter=" + newer.writerId());
      assertThat(store.head(Manifest.key(held))).as("nothing deleted").isPresent();
    } finally {
      old.close();
    }
  }
}
