package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.config;
import static io.namidb.engine.graph.Writes.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.NamiException;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.store.FaultInjectingObjectStore;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.StoreOp;
import io.namidb.engine.wal.BatchCodec;
import io.namidb.engine.wal.WalSegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The writer at its edges (issue 11): holes in the WAL, segments that cannot be ours, futures that
 * must complete whatever happens, a FAILED writer that must commit nothing, memory that must not
 * grow without bound, and a flusher and compaction that report instead of hanging.
 */
class WriterEdgeCasesTest {
  private final MemoryObjectStore memory = new MemoryObjectStore();

  @Test
  void closingAWriterWhileItsFlushIsInAStoreCallWarnsOfNothingAndLosesNothing() throws Exception {
    CountDownLatch inUpload = new CountDownLatch(1);
    CountDownLatch neverReleased = new CountDownLatch(1);
    FaultInjectingObjectStore slow =
        new FaultInjectingObjectStore(
            memory,
            new SplittableRandom(3),
            d -> {
              inUpload.countDown();
              // held until the close interrupts it (the delay only bounds a broken close)
              neverReleased.await(d.toMillis(), TimeUnit.MILLISECONDS);
            });
    slow.on(StoreOp.PUT_IF_ABSENT, "sst/").delay(Duration.ofSeconds(60));
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(Flusher.class.getName());
    List<java.util.logging.LogRecord> records =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(handler);
    try {
      NamespaceWriter w = Writes.open(slow, config(1));
      w.write(person("kept")).get();
      CompletableFuture<Void> flush = CompletableFuture.runAsync(w::flush);
      assertThat(inUpload.await(30, TimeUnit.SECONDS)).isTrue();
      w.close();
      assertThatThrownBy(flush::get).isInstanceOf(ExecutionException.class);
      assertThat(records)
          .noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
          .anyMatch(r -> r.getMessage().startsWith("flush stopped by close"));
    } finally {
      log.removeHandler(handler);
    }
    try (NamespaceWriter reopened = NamespaceWriter.open(memory, config(2))) {
      assertThat(reopened.view().node(NodeKey.of("Person", "kept"))).isNotNull();
    }
  }

  @Test
  void aWriterStreamingWritesStepsDownSoonAfterANewerClaimAndTheNewWriterHasEveryAcknowledged()
      throws Exception {
    MemoryObjectStore memory = new MemoryObjectStore();
    // no flush for an hour: only the epoch check can tell the old writer it was superseded
    WriterConfig streaming =
        config(1)
            .withGroupCommit(Duration.ZERO, 4 << 20)
            .withFlush(64L << 20, Duration.ofHours(1), 8)
            .withEpochCheck(Duration.ofMillis(50));
    NamespaceWriter old = Writes.open(memory, streaming);
    List<String> acknowledged = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.atomic.AtomicReference<Throwable> stoppedBy =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread streamer =
        new Thread(
            () -> {
              long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // bounded either way
              for (int i = 0; System.nanoTime() < end; i++) {
                try {
                  old.write(person("s" + i)).get();
                  acknowledged.add("s" + i);
                } catch (ExecutionException e) {
                  stoppedBy.set(e.getCause());
                  return;
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    streamer.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> acknowledged.size() >= 100 || !streamer.isAlive());
    // the new writer reads the WAL slower than the old one appends (as against MinIO): its replay
    // alone would never catch up and fence the old writer
    FaultInjectingObjectStore slowReads =
        new FaultInjectingObjectStore(
            memory, new SplittableRandom(5), d -> LockSupport.parkNanos(d.toNanos()));
    slowReads.on(StoreOp.GET, "wal/").delay(Duration.ofMillis(5));
    try (NamespaceWriter fresh = NamespaceWriter.open(slowReads, config(2))) {
      streamer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(streamer.isAlive()).isFalse();
      // stopped because it was fenced, not because its 20 s ran out
      assertThat(stoppedBy.get()).isInstanceOf(NamiException.class);
      assertThat(((NamiException) stoppedBy.get()).kind()).isEqualTo(NamiException.Kind.FENCED);
      assertThat(old.state()).isEqualTo(NamespaceWriter.State.FENCED);
      GraphView view = fresh.view();
      List<String> missing =
          acknowledged.stream().filter(k -> view.node(NodeKey.of("Person", k)).isEmpty()).toList();
      assertThat(missing).isEmpty();
    } finally {
      old.close();
    }
  }

  @Test
  void anEpochCheckWhoseManifestReadHangsHoldsUpNoWriteAndStillFencesWhenItAnswers()
      throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    // once the rule is on, a manifest GET waits until the test lets it answer (bounded)
    FaultInjectingObjectStore hanging =
        new FaultInjectingObjectStore(
            memory,
            new SplittableRandom(9),
            d -> {
              reading.countDown();
              answer.await(30, TimeUnit.SECONDS);
            });
    WriterConfig checking =
        config(1)
            .withGroupCommit(Duration.ZERO, 4 << 20)
            .withFlush(64L << 20, Duration.ofHours(1), 8)
            .withEpochCheck(Duration.ofNanos(1)); // due after every group
    try (NamespaceWriter w = Writes.open(hanging, checking)) {
      w.write(person("before")).get(10, TimeUnit.SECONDS);
      hanging.on(StoreOp.GET, "manifest/").delay(Duration.ofMillis(1));
      // the next group is followed by an epoch check, which hangs in its read
      w.write(person("first")).get(10, TimeUnit.SECONDS);
      assertThat(reading.await(10, TimeUnit.SECONDS)).as("an epoch check is reading").isTrue();
      // with the read on the committer thread, these would wait for the hanging GET
      for (int i = 0; i < 20; i++) {
        assertThat(w.write(person("during" + i)).get(10, TimeUnit.SECONDS)).isPositive();
      }
      // a newer writer claims the namespace (the manifest version the hanging check asked for);
      // the old one writes nothing more, so only the check, once answered, can stop it
      try (NamespaceWriter newer = NamespaceWriter.open(memory, config(2))) {
        assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
        answer.countDown();
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> w.state() == NamespaceWriter.State.FENCED);
        assertThat(newer.node(NodeKey.of("Person", "during19"))).isPresent();
      }
    } finally {
      answer.countDown();
    }
  }

  @Test
  void holeInTheWalRefusesOpenNamingTheMissingSegmentAndFencesNothingIntoIt() throws Exception {
    try (NamespaceWriter w = Writes.open(memory, config(1))) {
      for (int i = 0; i < 3; i++) {
        w.write(person("p" + i)).get();
      }
    }
    List<Long> ids = Writes.walSegmentIds(memory);
    long missing = ids.get(ids.size() - 2);
    memory.delete(WalSegment.key(missing));

    assertThatThrownBy(() -> NamespaceWriter.open(memory, config(2)))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("hole in the log")
        .hasMessageContaining("missing=" + WalSegment.key(missing));
    assertThat(Writes.walSegmentIds(memory)).as("no fence in the hole").doesNotContain(missing);

    assertThatThrownBy(() -> NamespaceReader.open(memory))
        .as("a reader applies the same rule")
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("missing=" + WalSegment.key(missing));
  }

  @Test
  void missingLastSegmentIsTheEndOfTheLogNotAHole() throws Exception {
    try (NamespaceWriter w = Writes.open(memory, config(1))) {
      w.write(person("a")).get();
    }
    try (NamespaceWriter w = NamespaceWriter.open(memory, config(2))) {
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
      assertThat(w.node(NodeKey.of("Person", "a"))).isPresent();
    }
  }

  @Test
  void segmentOfAnOlderEpochAtOurNextIdIsCorruptionNotAFence() throws Exception {
    try (NamespaceWriter old = Writes.open(memory, config(1))) {
      old.write(person("a")).get();
    }
    try (NamespaceWriter w = NamespaceWriter.open(memory, config(2))) {
      plantSegment(w.walSegment() + 1, 1, "w-copied-in");

      assertThatThrownBy(() -> w.write(person("b")).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(CorruptObjectException.class)
          .hasMessageContaining("ourEpoch=2 theirEpoch=1");
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.FAILED);
      assertThat(w.stateReason()).startsWith("corrupt:");
    }
  }

  @Test
  void idleWriterThatFindsAnOlderEpochAboveItReportsCorruptionNotAFence() throws Exception {
    try (NamespaceWriter w = Writes.open(memory, config(1))) {
      plantSegment(w.walSegment() + 1, 0, "w-copied-in");
      assertThat(w.checkSuperseded()).isEqualTo(NamespaceWriter.State.FAILED);
      assertThat(w.stateReason()).startsWith("corrupt:");
    }
  }

  @Test
  void idleCheckThatMeetsItsOwnSegmentLandingStaysTheWriter() throws Exception {
    try (NamespaceWriter w = Writes.open(memory, config(1))) {
      // what the check sees when it reads the next id while this writer's own PUT just landed
      plantSegment(w.walSegment() + 1, w.epoch(), w.writerId());
      assertThat(w.checkSuperseded()).isEqualTo(NamespaceWriter.State.WRITER);
    }
  }

  @Test
  void listenerThatThrowsDoesNotStrandTheWrite() throws Exception {
    try (NamespaceWriter w = Writes.open(memory, config(1))) {
      w.onGroupCommit(
          n -> {
            throw new IllegalStateException("metrics broke");
          });
      assertThat(w.write(person("a")).get(10, TimeUnit.SECONDS)).isPositive();
      assertThat(w.write(person("b")).get(10, TimeUnit.SECONDS)).isPositive();
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
    }
  }

  @Test
  void errorInsideTheCommitFailsTheGroupOffTheQueueInsteadOfLeavingItHanging() {
    HookedStore hooked = new HookedStore(memory);
    try (NamespaceWriter w = Writes.open(hooked, config(1))) {
      hooked.beforePutIfAbsent(
          key -> {
            if (key.startsWith("wal/")) {
              throw new OutOfMemoryError("simulated while writing the segment");
            }
          });
      assertThatThrownBy(() -> w.write(person("a")).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(NamiException.class)
          .hasMessageContaining("wal committer failed");
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.FAILED);
    }
  }

  @Test
  void callbacksRunOffTheCommitterSoABlockedOneDoesNotStallCommits() throws Exception {
    try (NamespaceWriter w = Writes.open(memory, config(1))) {
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> callbackThread =
          w.write(person("a"))
              .thenApply(
                  lsn -> {
                    String name = Thread.currentThread().getName();
                    awaitQuietly(release);
                    return name;
                  });
      long committedBefore = w.stats().batchesCommitted.get();
      CompletableFuture<Long> second = w.write(person("b"));
      assertThat(waitFor(() -> w.stats().batchesCommitted.get() > committedBefore))
          .as("the second batch commits while the first one's callback blocks")
          .isTrue();
      release.countDown();
      assertThat(callbackThread.get(10, TimeUnit.SECONDS)).doesNotStartWith("nami-wal-committer");
      assertThat(second.get(10, TimeUnit.SECONDS)).isPositive();
    }
  }

  @Test
  void failedWriterCommitsNoManifestEvenFromAFlushAlreadyUnderWay() throws Exception {
    HookedStore hooked = new HookedStore(memory);
    FaultInjectingObjectStore faults =
        new FaultInjectingObjectStore(hooked, new SplittableRandom(1), d -> {});
    CountDownLatch inSstPut = new CountDownLatch(1);
    CountDownLatch releaseSst = new CountDownLatch(1);
    try (NamespaceWriter w = Writes.open(faults, config(1).withRetries(1, Duration.ofMillis(1)))) {
      w.write(person("a")).get();
      hooked.beforePutIfAbsent(
          key -> {
            if (key.startsWith("sst/")) {
              inSstPut.countDown();
              awaitQuietly(releaseSst);
            }
          });
      CompletableFuture<Void> flush = CompletableFuture.runAsync(w::flush);
      assertThat(inSstPut.await(10, TimeUnit.SECONDS)).isTrue();

      faults.on(StoreOp.PUT_IF_ABSENT, "wal/").fail();
      assertThatThrownBy(() -> w.write(person("b")).get(10, TimeUnit.SECONDS))
          .hasMessageContaining("outcome is unknown");
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.FAILED);
      long version = new ManifestStore(memory).latestVersion();

      releaseSst.countDown();
      assertThatThrownBy(() -> flush.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      assertThat(new ManifestStore(memory).latestVersion())
          .as("no manifest after FAILED")
          .isEqualTo(version);
    }
  }

  @Test
  void writesGet503StyleOverloadWhileFlushesFailAndRecoverAfter() throws Exception {
    FaultInjectingObjectStore faults =
        new FaultInjectingObjectStore(memory, new SplittableRandom(1), d -> {});
    WriterConfig small =
        config(1).toBuilder().flushBytes(2 << 10).maxMemtableBytes(16 << 10).build();
    try (NamespaceWriter w = Writes.open(faults, small)) {
      var sstsFail = faults.on(StoreOp.PUT_IF_ABSENT, "sst/").fail();
      NamiException refused = null;
      for (int i = 0; i < 5_000 && refused == null; i++) {
        try {
          w.write(person("p" + i)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          refused = (NamiException) e.getCause();
        }
      }
      assertThat(refused).as("refused once memtables are full").isNotNull();
      assertThat(refused.kind()).isEqualTo(NamiException.Kind.TRANSIENT);
      assertThat(refused).hasMessageContaining("writer memory full");
      assertThat(w.stats().writesThrottled.get()).isPositive();
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);

      sstsFail.remove();
      w.flush(Duration.ofSeconds(60));
      assertThat(w.write(person("after")).get(10, TimeUnit.SECONDS)).isPositive();
    }
  }

  @Test
  void interruptedFlusherKeepsFlushing() throws Exception {
    try (NamespaceWriter w = Writes.open(memory, config(1))) {
      Thread flusher = thread("nami-flusher-" + w.writerId());
      flusher.interrupt();
      long lsn = w.write(person("a")).get();
      w.flush(Duration.ofSeconds(30));
      assertThat(w.manifest().walCheckpoint()).isGreaterThanOrEqualTo(lsn);
      assertThat(flusher.isAlive()).isTrue();
    }
  }

  @Test
  void failedCompactionIsReportedNotTakenForSuccess() throws Exception {
    FaultInjectingObjectStore faults =
        new FaultInjectingObjectStore(memory, new SplittableRandom(1), d -> {});
    try (NamespaceWriter w = Writes.open(faults, config(1))) {
      w.write(person("a")).get();
      w.flush();
      w.write(person("b")).get();
      w.flush();
      var sstsFail = faults.on(StoreOp.PUT_IF_ABSENT, "sst/").fail();
      assertThatThrownBy(() -> w.compact(Duration.ofSeconds(60)))
          .isInstanceOf(NamiException.class)
          .hasMessageContaining("compaction failed");
      sstsFail.remove();
      w.compact(Duration.ofSeconds(60));
      assertThat(w.manifest().ssts().stream().filter(e -> e.key().contains("/Person/"))).hasSize(1);
    }
  }

  @Test
  void compactionThatCannotFinishGivesUpAtItsDeadline() throws Exception {
    HookedStore hooked = new HookedStore(memory);
    CountDownLatch releaseSst = new CountDownLatch(1);
    try (NamespaceWriter w = Writes.open(hooked, config(1))) {
      w.write(person("a")).get();
      w.flush();
      w.write(person("b")).get();
      w.flush();
      hooked.beforePutIfAbsent(
          key -> {
            if (key.startsWith("sst/")) {
              awaitQuietly(releaseSst);
            }
          });
      assertThatThrownBy(() -> w.compact(Duration.ofMillis(500)))
          .isInstanceOf(NamiException.class)
          .hasMessageContaining("compaction did not finish within");
      releaseSst.countDown();
    }
  }

  @Test
  void probeWhoseOwnFirstCreateLandedBeforeA412StillOpens() {
    HookedStore hooked = new HookedStore(memory);
    AtomicBoolean once = new AtomicBoolean();
    hooked.beforePutIfAbsent(
        key -> {
          if (key.startsWith("probe/") && once.compareAndSet(false, true)) {
            // the SDK's first attempt landed, its response was lost, the retry gets 412
            memory.putIfAbsent(
                key, key.substring("probe/".length()).getBytes(StandardCharsets.UTF_8));
          }
        });
    try (NamespaceWriter w = NamespaceWriter.open(hooked, config(1))) {
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
      assertThat(memory.list("probe/")).as("probe cleaned up").isEmpty();
    }
  }

  /** Puts a data segment at {@code id} as if {@code writerId} of {@code epoch} had written it. */
  private void plantSegment(long id, long epoch, String writerId) {
    memory.putIfAbsent(
        WalSegment.key(id),
        WalSegment.encodeData(
            id, epoch, writerId, "nonce", List.of(BatchCodec.encode(person("z")))));
  }

  private static Thread thread(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no thread " + name));
  }

  /** Polls for up to 10 s; the condition is about ordering, not speed. */
  private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 1000; i++) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
