package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.config;
import static io.namidb.engine.graph.Writes.knows;
import static io.namidb.engine.graph.Writes.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.wal.WalSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NamespaceWriterTest {
  private final MemoryObjectStore store = new MemoryObjectStore();
  private final List<NamespaceWriter> writers = new ArrayList<>();

  private NamespaceWriter open(long seed) {
    NamespaceWriter w = Writes.open(store, config(seed));
    writers.add(w);
    return w;
  }

  @AfterEach
  void closeWriters() {
    writers.forEach(NamespaceWriter::close);
  }

  @Test
  void firstOpenClaimsEpochOneAndFencesSegmentOne() {
    NamespaceWriter w = NamespaceWriter.open(store, config(1));
    writers.add(w);
    assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
    assertThat(w.epoch()).isEqualTo(1);
    assertThat(w.manifestVersion()).isEqualTo(1);
    assertThat(w.walSegment()).isEqualTo(1);
    assertThat(Writes.walSegmentIds(store)).containsExactly(1L);
  }

  @Test
  void acknowledgedWriteIsReadableAndSurvivesReopen() throws Exception {
    NamespaceWriter w = open(1);
    long lsn = w.write(person("alice")).get();
    assertThat(lsn).isEqualTo(2);
    assertThat(w.node(NodeKey.of("Person", "alice"))).isPresent();
    w.close();

    NamespaceWriter reopened = open(2);
    assertThat(reopened.epoch()).isEqualTo(2);
    assertThat(reopened.node(NodeKey.of("Person", "alice")))
        .get()
        .extracting(n -> n.props().get("name"))
        .isEqualTo("alice");
  }

  @Test
  void newWriterFencesTheOldOneOnItsNextWrite() throws Exception {
    NamespaceWriter a = open(1);
    a.write(person("a1")).get();

    NamespaceWriter b = open(2);
    assertThat(b.epoch()).isEqualTo(2);
    assertThat(b.node(NodeKey.of("Person", "a1"))).as("b replays a's write").isPresent();

    CompletableFuture<Long> late = a.write(person("a2"));
    assertThatThrownBy(late::get).hasCauseInstanceOf(FencedException.class);
    assertThat(a.state()).isEqualTo(NamespaceWriter.State.FENCED);
    assertThat(a.stateReason()).contains("fenced");
    assertThatThrownBy(() -> a.write(person("a3")).get()).hasCauseInstanceOf(FencedException.class);

    b.write(person("b1")).get();
    NamespaceWriter c = open(3);
    assertThat(c.node(NodeKey.of("Person", "a1"))).isPresent();
    assertThat(c.node(NodeKey.of("Person", "b1"))).isPresent();
    assertThat(c.node(NodeKey.of("Person", "a2"))).as("never acknowledged").isEmpty();
  }

  @Test
  void batchOverTheSizeLimitIsRefusedAsTooLarge() {
    NamespaceWriter w = Writes.open(store, config(1).toBuilder().maxBatchBytes(1024).build());
    writers.add(w);
    WriteBatch big =
        WriteBatch.builder()
            .node(new Node(NodeKey.of("Person", "big"), java.util.Map.of("name", "x".repeat(2000))))
            .build();
    assertThatThrownBy(() -> w.write(big).get())
        .hasCauseInstanceOf(NamiException.class)
        .hasMessageContaining("batch too large")
        .satisfies(
            e ->
                assertThat(((NamiException) e.getCause()).kind())
                    .isEqualTo(NamiException.Kind.TOO_LARGE));
    assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
  }

  @Test
  void idleWriterNoticesItWasFencedWithoutWriting() throws Exception {
    NamespaceWriter a = open(1);
    a.write(person("a1")).get();
    assertThat(a.checkSuperseded()).isEqualTo(NamespaceWriter.State.WRITER);
    open(2);
    assertThat(a.checkSuperseded()).isEqualTo(NamespaceWriter.State.FENCED);
    assertThat(a.stateReason()).contains("theirEpoch=2");
    assertThat(a.memtableBytes()).isPositive();
  }

  @Test
  void zombieSegmentLandingBeforeTheFenceIsReplayedNotOverwritten() throws Exception {
    HookedStore hooked = new HookedStore(store);
    NamespaceWriter zombie = Writes.open(hooked, config(1));
    writers.add(zombie);
    zombie.write(person("z1")).get(); // segment 2

    // The new writer has replayed up to 2 and is about to fence at 3 when the zombie writes 3.
    HookedStore forB = new HookedStore(store);
    AtomicBoolean once = new AtomicBoolean();
    CompletableFuture<Long>[] zombieWrite = new CompletableFuture[1];
    forB.beforePutIfAbsent(
        key -> {
          if (key.equals(WalSegment.key(3)) && once.compareAndSet(false, true)) {
            zombieWrite[0] = zombie.write(person("z2"));
            try {
              zombieWrite[0].get();
            } catch (InterruptedException | ExecutionException e) {
              throw new AssertionError(e);
            }
          }
        });
    NamespaceWriter b = NamespaceWriter.open(forB, config(2));
    writers.add(b);

    assertThat(zombieWrite[0].get()).as("the zombie's write was acknowledged").isEqualTo(3);
    assertThat(b.walSegment()).as("fence moved past the zombie's segment").isEqualTo(4);
    assertThat(b.node(NodeKey.of("Person", "z2"))).as("acknowledged write kept").isPresent();
    assertThatThrownBy(() -> zombie.write(person("z3")).get())
        .hasCauseInstanceOf(FencedException.class);
    assertThat(b.node(NodeKey.of("Person", "z3"))).isEmpty();
  }

  @Test
  void pendingWritesFailAsFencedWhenTheSegmentIsTaken() throws Exception {
    NamespaceWriter a = open(1);
    open(2);
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(a.write(person("p" + i)));
    }
    for (CompletableFuture<Long> f : futures) {
      assertThatThrownBy(f::get).hasCauseInstanceOf(FencedException.class);
    }
  }

  @Test
  void groupCommitSharesOneSegmentAmongConcurrentBatches() throws Exception {
    NamespaceWriter w =
        Writes.open(store, config(1).withGroupCommit(java.time.Duration.ofSeconds(1), 64 << 20));
    writers.add(w);
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      futures.add(w.write(person("g" + i)));
    }
    for (CompletableFuture<Long> f : futures) {
      f.get();
    }
    long segments = w.stats().segmentsWritten.get() - 1; // minus the fence
    assertThat(segments).isLessThanOrEqualTo(4);
    assertThat(w.stats().batchesCommitted.get()).isEqualTo(64);
    assertThat(w.view().scan("Person")).hasSize(64);
  }

  @Test
  void withoutAWindowALoneBatchCommitsAtOnceAndBatchesArrivingDuringAPutShareTheNext()
      throws Exception {
    HookedStore hooked = new HookedStore(store);
    NamespaceWriter w =
        Writes.open(hooked, config(1).withGroupCommit(java.time.Duration.ZERO, 64 << 20));
    writers.add(w);
    // a lone batch is written at once: nothing else is pending, so nothing is waited for
    w.write(person("alone")).get(10, java.util.concurrent.TimeUnit.SECONDS);
    long before = w.stats().segmentsWritten.get();

    java.util.concurrent.CountDownLatch putStarted = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    hooked.beforePutIfAbsent(
        key -> {
          if (key.startsWith("wal/") && first.getAndSet(false)) {
            putStarted.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    // the writer is idle, so head's own thread commits it (and waits in the PUT): another thread
    CompletableFuture<Long> head =
        CompletableFuture.supplyAsync(() -> w.write(person("head"))).thenCompose(f -> f);
    assertThat(putStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Long>> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      queued.add(w.write(person("q" + i)));
    }
    release.countDown();
    long headLsn = head.get(10, java.util.concurrent.TimeUnit.SECONDS);
    java.util.Set<Long> lsns = new java.util.HashSet<>();
    for (CompletableFuture<Long> f : queued) {
      lsns.add(f.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }
    // the twenty that queued behind the blocked PUT went out together, in the segment after it
    assertThat(lsns).containsExactly(headLsn + 1);
    assertThat(w.stats().segmentsWritten.get() - before).isEqualTo(2);
    assertThat(w.view().scan("Person")).hasSize(22);
  }

  @Test
  void statsCountTheTimeOfWalPutsAndOfTheGroupWindow() throws Exception {
    HookedStore hooked = new HookedStore(store);
    java.time.Duration window = java.time.Duration.ofMillis(100);
    java.time.Duration held = java.time.Duration.ofMillis(50);
    NamespaceWriter w = Writes.open(hooked, config(1).withGroupCommit(window, 64 << 20));
    writers.add(w);
    NamespaceWriter.Stats stats = w.stats();
    long putsBefore = stats.walPuts.get();
    long groupsBefore = stats.groupsFormed.get();
    // every WAL PUT from here on is held at least `held` (a bound by construction, not a speed)
    hooked.beforePutIfAbsent(
        key -> {
          if (key.startsWith("wal/")) {
            long until = System.nanoTime() + held.toNanos();
            while (System.nanoTime() < until) {
              Thread.onSpinWait();
            }
          }
        });
    w.write(person("alone")).get(10, java.util.concurrent.TimeUnit.SECONDS);
    w.write(person("second")).get(10, java.util.concurrent.TimeUnit.SECONDS);

    // a lone batch under a fixed window waits the window out before its group goes
    // (two windows waited in full; asserting one leaves room for where each clock starts)
    assertThat(stats.groupsFormed.get() - groupsBefore).isEqualTo(2);
    assertThat(stats.groupWaitNanos.get()).isGreaterThanOrEqualTo(window.toNanos());
    assertThat(stats.walPuts.get() - putsBefore).isEqualTo(2);
    assertThat(stats.walPutNanos.get()).isGreaterThanOrEqualTo(2 * held.toNanos());
  }

  @Test
  void edgeToMissingNodeRejectsTheWholeBatchAndAppliesNothing() throws Exception {
    NamespaceWriter w = open(1);
    w.write(person("alice")).get();
    WriteBatch bad =
        WriteBatch.builder()
            .node(new Node(NodeKey.of("Person", "bob"), java.util.Map.of()))
            .edge(
                new Edge(
                    new EdgeKey("KNOWS", NodeKey.of("Person", "bob"), NodeKey.of("Person", "nope")),
                    java.util.Map.of()))
            .build();
    assertThatThrownBy(() -> w.write(bad).get())
        .hasCauseInstanceOf(NamiException.class)
        .hasMessageContaining("edges[0].to: node does not exist. node=Person:nope");
    assertThat(w.node(NodeKey.of("Person", "bob"))).isEmpty();
    assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);

    w.write(knows("alice", "alice")).get();
    assertThat(w.edges(NodeKey.of("Person", "alice"), "KNOWS", Direction.OUT)).hasSize(1);
  }

  @Test
  void deletingANodeDeletesItsEdges() throws Exception {
    NamespaceWriter w = open(1);
    w.write(person("a")).get();
    w.write(person("b")).get();
    w.write(knows("a", "b")).get();
    w.write(WriteBatch.builder().deleteNode(NodeKey.of("Person", "b")).build()).get();
    assertThat(w.edges(NodeKey.of("Person", "a"), null, Direction.BOTH)).isEmpty();
    w.close();
    NamespaceWriter r = open(2);
    assertThat(r.node(NodeKey.of("Person", "b"))).isEmpty();
    assertThat(r.edges(NodeKey.of("Person", "a"), null, Direction.BOTH)).isEmpty();
  }

  @Test
  void closeCommitsEverythingAlreadyAccepted() throws Exception {
    NamespaceWriter w = open(1);
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(w.write(person("c" + i)));
    }
    w.close();
    for (CompletableFuture<Long> f : futures) {
      assertThat(f.get()).isPositive();
    }
    assertThatThrownBy(() -> w.write(person("after")).get())
        .hasCauseInstanceOf(NamiException.class);
    assertThat(open(2).view().scan("Person")).hasSize(200);
  }

  @Test
  void corruptSegmentStopsOpenWithAnErrorNamingTheObject() throws Exception {
    NamespaceWriter w = open(1);
    w.write(person("x")).get();
    w.close();
    byte[] bytes = store.get(WalSegment.key(2));
    bytes[bytes.length / 2] ^= 0x10;
    store.delete(WalSegment.key(2));
    store.putIfAbsent(WalSegment.key(2), bytes);

    assertThatThrownBy(() -> open(2))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("wal/00000000000000000002.wal");
  }

  @Test
  void purgedNamespaceCannotBeClaimed() {
    NamespaceWriter w = open(1);
    w.close();
    ManifestStore manifests = new ManifestStore(store);
    var latest = manifests.latest().orElseThrow();
    manifests.create(
        latest
            .next(Long.MAX_VALUE, "purger", "purge-commit", "2026-11-24T00:00:00Z")
            .sealedForGood());
    assertThatThrownBy(() -> open(2))
        .isInstanceOf(NamiException.class)
        .hasMessageContaining("namespace was purged");
  }
}
