package io.namidb.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.Retries;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.FaultInjectingObjectStore;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.StoreOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link WalLog#replay}: the log read ahead hands over the same segments, in the same order, with
 * the same end-of-log and hole rules as reading it one segment at a time.
 */
class WalLogReplayTest {
  private final MemoryObjectStore memory = new MemoryObjectStore();

  private static WalLog wal(ObjectStore store, int readAhead) {
    return new WalLog(
        store,
        Retries.transientFailures(10, Duration.ofMillis(1), Duration.ofMillis(2)),
        readAhead);
  }

  /** Writes data segments {@code from..to} (inclusive), each naming its own id in a node key. */
  private void writeSegments(long from, long to) {
    WalLog log = wal(memory, 1);
    for (long id = from; id <= to; id++) {
      WriteBatch batch =
          WriteBatch.builder().node(new Node(NodeKey.of("Seg", "s" + id), Map.of())).build();
      assertThat(
              log.put(
                      id,
                      new WalSegment(WalSegment.Kind.DATA, id, 1, "w", "n" + id, List.of(batch))
                          .encode())
                  .written())
          .isTrue();
    }
  }

  private static List<Long> replayIds(WalLog log, long from, List<Long> into) {
    log.replay(from, segment -> into.add(segment.id()));
    return into;
  }

  private static List<Long> range(long from, long to) {
    List<Long> ids = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      ids.add(id);
    }
    return ids;
  }

  @Test
  void handsEverySegmentOnceInIdOrderAndReturnsTheFirstFreeId() {
    writeSegments(1, 300);
    for (int readAhead : new int[] {1, 2, 16, 64}) {
      List<Long> seen = new ArrayList<>();
      long free = wal(memory, readAhead).replay(41, segment -> seen.add(segment.id()));
      assertThat(seen).as("readAhead=%d", readAhead).isEqualTo(range(41, 300));
      assertThat(free).isEqualTo(301);
    }
  }

  @Test
  void aLogKeepsItsReadAheadThreadsAcrossReplaysInsteadOfMakingNewOnes() {
    writeSegments(1, 50);
    java.util.Set<Thread> readers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    FaultInjectingObjectStore watched =
        new FaultInjectingObjectStore(
            memory, new SplittableRandom(3), d -> readers.add(Thread.currentThread()));
    watched.on(StoreOp.GET, "wal/").delay(Duration.ofNanos(1));
    WalLog log = wal(watched, 4);
    for (int round = 0; round < 20; round++) { // a reader tailing a writer replays again and again
      assertThat(replayIds(log, 1, new ArrayList<>())).isEqualTo(range(1, 50));
    }
    List<Thread> aheadThreads =
        readers.stream().filter(t -> t.getName().equals("namidb-wal-read-ahead")).toList();
    assertThat(aheadThreads).isNotEmpty().hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void readsEachSegmentOnceAndListsOnlyToTellTheEndFromAHole() {
    writeSegments(1, 500);
    long getsBefore = memory.stats().gets();
    long listsBefore = memory.stats().lists();

    long free = wal(memory, 16).replay(1, segment -> {});

    assertThat(free).isEqualTo(501);
    // 500 segments; past the end, at most a window of speculative GETs and the one of readTail
    assertThat(memory.stats().gets() - getsBefore).isBetween(501L, 501L + 16);
    assertThat(memory.stats().lists() - listsBefore).isEqualTo(1);
  }

  @Test
  void theHeadOfALogCostsFewGets() {
    writeSegments(1, 10);
    long getsBefore = memory.stats().gets();

    assertThat(wal(memory, 16).replay(10, segment -> {})).isEqualTo(11);

    // segment 10, a window of two past it (the second may be cancelled before it starts), and
    // readTail's own read of 11
    assertThat(memory.stats().gets() - getsBefore).isBetween(3L, 4L);
  }

  @Test
  void slowAndFailingReadsCompleteOutOfOrderButAreHandedOverInOrder() {
    writeSegments(1, 400);
    FaultInjectingObjectStore faults =
        new FaultInjectingObjectStore(
            memory,
            new SplittableRandom(7),
            d -> LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(d.toNanos())));
    faults.on(StoreOp.GET, "wal/").delay(Duration.ofMillis(2)).probability(0.5);
    var failures = faults.on(StoreOp.GET, "wal/").fail().probability(0.2);

    List<Long> seen = replayIds(wal(faults, 16), 1, new ArrayList<>());

    assertThat(seen).isEqualTo(range(1, 400));
    assertThat(failures.fired()).as("transient GET failures were retried").isPositive();
  }

  @Test
  void aHoleStopsTheReplayAtTheHoleAndNamesIt() {
    writeSegments(1, 200);
    memory.delete(WalSegment.key(120));
    List<Long> seen = new ArrayList<>();

    assertThatThrownBy(() -> replayIds(wal(memory, 16), 1, seen))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("hole")
        .hasMessageContaining(WalSegment.key(120))
        .hasMessageContaining(WalSegment.key(121));
    assertThat(seen).isEqualTo(range(1, 119));
  }

  @Test
  void aDamagedSegmentRefusesTheReplayAndNothingAfterItIsHandedOver() {
    writeSegments(1, 200);
    FaultInjectingObjectStore faults =
        new FaultInjectingObjectStore(memory, new SplittableRandom(3), d -> {});
    faults.on(StoreOp.GET, WalSegment.key(77)).corrupt();
    List<Long> seen = new ArrayList<>();

    assertThatThrownBy(() -> replayIds(wal(faults, 16), 1, seen))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining(WalSegment.key(77));
    assertThat(seen).isEqualTo(range(1, 76));
  }

  @Test
  void aSinkThatThrowsStopsTheReplay() {
    writeSegments(1, 100);
    List<Long> seen = new ArrayList<>();

    assertThatThrownBy(
            () ->
                wal(memory, 16)
                    .replay(
                        1,
                        segment -> {
                          if (segment.id() == 50) {
                            throw new IllegalStateException("refused 50");
                          }
                          seen.add(segment.id());
                        }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("refused 50");
    assertThat(seen).isEqualTo(range(1, 49));
  }

  @Test
  void segmentsWrittenDuringTheReplayAreFollowedToTheEnd() {
    writeSegments(1, 50);
    List<Long> seen = new ArrayList<>();
    // a writer still appending while the log is read: each segment handed over writes one more,
    // up to 150, so the replay must list again after the first run and read the rest
    long free =
        wal(memory, 8)
            .replay(
                1,
                segment -> {
                  seen.add(segment.id());
                  long next = segment.id() + 50;
                  if (next <= 150) {
                    writeSegments(next, next);
                  }
                });
    assertThat(seen).isEqualTo(range(1, 150));
    assertThat(free).isEqualTo(151);
  }

  @Test
  void anEmptyLogEndsAtOnceAndAnEmptyTailAboveTheCheckpointToo() {
    assertThat(wal(memory, 16).replay(1, segment -> {})).isEqualTo(1);
    writeSegments(1, 10);
    assertThat(wal(memory, 16).replay(11, segment -> {})).isEqualTo(11);
  }

  @Test
  void readAheadBelowOneIsRefused() {
    assertThatThrownBy(() -> wal(memory, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readAhead");
  }
}
