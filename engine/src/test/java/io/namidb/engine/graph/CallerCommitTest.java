package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.FaultInjectingObjectStore;
import io.namidb.engine.store.LocalObjectStore;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.StoreOp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write submitted while the writer is idle is committed on the caller's thread: complete when
 * {@code write} returns, never ahead of a write submitted before it, safe against the caller's
 * interrupts, and waited for by close.
 */
class CallerCommitTest {
  @TempDir Path dir;

  /** The production grouping (no fixed window), under which callers commit their own writes. */
  private static WriterConfig adaptive(long seed) {
    return Writes.config(seed).withGroupCommit(Duration.ZERO, 4 << 20);
  }

  @Test
  void aWriteToAnIdleWriterIsPutOnTheCallersThreadAndCompleteWhenWriteReturns() throws Exception {
    HookedStore store = new HookedStore(new LocalObjectStore(dir));
    List<Thread> putters = new CopyOnWriteArrayList<>();
    try (NamespaceWriter w = Writes.open(store, adaptive(1))) {
      store.beforePutIfAbsent(
          key -> {
            if (key.startsWith("wal/")) {
              putters.add(Thread.currentThread());
            }
          });
      for (int i = 0; i < 5; i++) {
        CompletableFuture<Long> lsn = w.write(person("p" + i));
        assertThat(lsn).isCompleted();
        assertThat(Writes.walSegmentIds(store)).contains(lsn.get());
      }
    }
    assertThat(putters).hasSize(5).containsOnly(Thread.currentThread());
  }

  @Test
  void aFixedWindowTheSettingOffOrARemoteStoreSendsEveryWriteThroughTheCommitterThread()
      throws Exception {
    for (int run = 0; run < 3; run++) {
      WriterConfig config =
          switch (run) {
            case 0 -> Writes.config(1);
            case 1 -> adaptive(1).withCallerCommits(false);
            default -> adaptive(1);
          };
      HookedStore store = new HookedStore(new MemoryObjectStore());
      if (run == 2) {
        store.remote(); // PUTs that take the network's time: the caller never holds one
      }
      List<Thread> putters = new CopyOnWriteArrayList<>();
      try (NamespaceWriter w = Writes.open(store, config)) {
        store.beforePutIfAbsent(
            key -> {
              if (key.startsWith("wal/")) {
                putters.add(Thread.currentThread());
              }
            });
        w.write(person("a")).get();
      }
      assertThat(putters).hasSize(1).doesNotContain(Thread.currentThread());
    }
  }

  @Test
  void pipelinedWritesOfOneClientApplyInTheOrderSubmitted() throws Exception {
    MemoryObjectStore memory = new MemoryObjectStore();
    // WAL PUTs of random length, so that the committer thread and callers interleave every way
    FaultInjectingObjectStore slow =
        new FaultInjectingObjectStore(
            memory,
            new SplittableRandom(5),
            d -> LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(d.toNanos())));
    slow.on(StoreOp.PUT_IF_ABSENT, "wal/").delay(Duration.ofNanos(300_000)).probability(0.5);
    int n = 2000;
    try (NamespaceWriter w = Writes.open(slow, adaptive(1))) {
      // another client's writes, so that the writer is sometimes busy and sometimes idle
      AtomicBoolean done = new AtomicBoolean();
      Thread other =
          new Thread(
              () -> {
                for (int i = 0; !done.get(); i++) {
                  w.write(person("other" + i)).join();
                }
              });
      other.start();
      List<CompletableFuture<Long>> acks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // each write's edge needs the node the write before it created: reordered, it is refused
        WriteBatch.Builder b =
            WriteBatch.builder()
                .node(new Node(NodeKey.of("Person", "p" + i), Map.of("name", "v" + i)))
                .node(new Node(NodeKey.of("Person", "last"), Map.of("name", "v" + i)));
        if (i > 0) {
          b.edge(
              new Edge(
                  new EdgeKey(
                      "KNOWS", NodeKey.of("Person", "p" + (i - 1)), NodeKey.of("Person", "p" + i)),
                  Map.of()));
        }
        acks.add(w.write(b.build()));
        if (i % 7 == 0) {
          acks.get(i).get(); // moments without writes of ours in flight
        }
      }
      done.set(true);
      other.join();
      long previous = 0;
      for (CompletableFuture<Long> ack : acks) {
        long lsn = ack.get();
        assertThat(lsn).isGreaterThanOrEqualTo(previous);
        previous = lsn;
      }
      assertThat(w.view().node(NodeKey.of("Person", "last")))
          .hasValueSatisfying(
              node -> assertThat(node.props()).containsEntry("name", "v" + (n - 1)));
    }
  }

  @Test
  void aWriteDoesNotOvertakeOneTheCommitterHoldsWhileTheGateIsFree() throws Exception {
    HookedStore store = new HookedStore(new MemoryObjectStore());
    try (NamespaceWriter w = Writes.open(store, adaptive(1))) {
      w.write(person("anchor")).get(); // a group of one: callers may commit their own
      // 1. another caller's own write waits in its PUT, holding the gate
      CountDownLatch inPut = new CountDownLatch(1);
      CountDownLatch releasePut = new CountDownLatch(1);
      AtomicBoolean blockNext = new AtomicBoolean(true);
      store.beforePutIfAbsent(
          key -> {
            if (key.startsWith("wal/") && blockNext.getAndSet(false)) {
              inPut.countDown();
              awaitQuietly(releasePut);
            }
          });
      CompletableFuture<Long> held =
          CompletableFuture.supplyAsync(() -> w.write(person("held"))).thenCompose(f -> f);
      assertThat(inPut.await(30, TimeUnit.SECONDS)).isTrue();
      // 2. A queues; the committer thread takes it and is stopped before the gate
      CountDownLatch formed = new CountDownLatch(1);
      CountDownLatch releaseCommitter = new CountDownLatch(1);
      w.committerBeforeGate(
          () -> {
            formed.countDown();
            awaitQuietly(releaseCommitter);
          });
      CompletableFuture<Long> a = w.write(person("a"));
      assertThat(formed.await(30, TimeUnit.SECONDS)).isTrue();
      // 3. the gate is free again, the queue empty, and A not committed
      releasePut.countDown();
      held.get(30, TimeUnit.SECONDS);
      // 4. B needs A's node: committed by its caller now, it would be refused
      CompletableFuture<Long> b = w.write(Writes.knows("a", "anchor"));
      w.committerBeforeGate(() -> {});
      releaseCommitter.countDown();
      assertThat(b.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(a.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void afterAGroupOfSeveralTheNextWriteGoesThroughTheCommitterThreadAndAfterALoneOneNot()
      throws Exception {
    HookedStore store = new HookedStore(new MemoryObjectStore());
    List<Thread> putters = new CopyOnWriteArrayList<>();
    try (NamespaceWriter w = Writes.open(store, adaptive(1))) {
      CountDownLatch inPut = new CountDownLatch(1);
      CountDownLatch releasePut = new CountDownLatch(1);
      AtomicBoolean blockNext = new AtomicBoolean(true);
      store.beforePutIfAbsent(
          key -> {
            if (key.startsWith("wal/")) {
              putters.add(Thread.currentThread());
              if (blockNext.getAndSet(false)) {
                inPut.countDown();
                awaitQuietly(releasePut);
              }
            }
          });
      CompletableFuture<Long> held =
          CompletableFuture.supplyAsync(() -> w.write(person("held"))).thenCompose(f -> f);
      assertThat(inPut.await(30, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Long>> queued = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        queued.add(w.write(person("q" + i))); // several clients arriving under load
      }
      releasePut.countDown();
      held.get(30, TimeUnit.SECONDS);
      for (CompletableFuture<Long> f : queued) {
        f.get(30, TimeUnit.SECONDS);
      }
      putters.clear();
      // the last group held five: under load, the next write joins the committer's next group
      w.write(person("next")).get(30, TimeUnit.SECONDS);
      // that group held one: a lone client again, whose next write is its own to commit
      w.write(person("lone")).get(30, TimeUnit.SECONDS);
    }
    assertThat(putters).hasSize(2);
    assertThat(putters.get(0)).isNotEqualTo(Thread.currentThread());
    assertThat(putters.get(1)).isEqualTo(Thread.currentThread());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void interruptsOfTheCallerDuringItsPutLoseNoWriteAndLeaveTheWriterWriting() throws Exception {
    int writes = 300;
    int interrupted = 0;
    AtomicBoolean done = new AtomicBoolean();
    Thread caller = Thread.currentThread();
    Thread interrupter =
        new Thread(
            () -> {
              while (!done.get()) {
                caller.interrupt();
                LockSupport.parkNanos(100_000);
              }
            });
    try (NamespaceWriter w = Writes.open(new LocalObjectStore(dir), adaptive(1))) {
      interrupter.start();
      try {
        for (int i = 0; i < writes; i++) {
          CompletableFuture<Long> ack = w.write(person("p" + i));
          while (true) {
            try {
              ack.get(); // the caller's own write is complete already; a queued one is waited for
              break;
            } catch (InterruptedException e) {
              interrupted++;
            }
          }
          if (Thread.interrupted()) {
            interrupted++;
          }
        }
      } finally {
        done.set(true);
        while (interrupter.isAlive()) {
          try {
            interrupter.join();
          } catch (InterruptedException e) {
            // its last interrupts
          }
        }
        Thread.interrupted();
      }
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
    }
    assertThat(interrupted).as("interrupts reached the caller").isPositive();
    try (NamespaceWriter r = Writes.open(new LocalObjectStore(dir), adaptive(2))) {
      assertThat(r.view().scan("Person")).hasSize(writes);
    }
  }

  @Test
  void closeWaitsForAWriteItsCallerIsCommitting() throws Exception {
    MemoryObjectStore memory = new MemoryObjectStore();
    HookedStore store = new HookedStore(memory);
    CountDownLatch inPut = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    NamespaceWriter w = Writes.open(store, adaptive(1));
    store.beforePutIfAbsent(
        key -> {
          if (key.startsWith("wal/")) {
            inPut.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    CompletableFuture<CompletableFuture<Long>> write =
        CompletableFuture.supplyAsync(() -> w.write(person("a")));
    assertThat(inPut.await(30, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(w::close);
    closer.start();
    closer.join(200);
    assertThat(closer.isAlive()).as("close waits for the write in its PUT").isTrue();
    release.countDown();
    closer.join();
    assertThat(write.get().get()).isPositive();
    try (NamespaceWriter r = Writes.open(memory, adaptive(2))) {
      assertThat(r.view().node(NodeKey.of("Person", "a"))).isPresent();
    }
  }

  /** The caller's own write refused by the state (an edge to nowhere) fails alone, at once. */
  @Test
  void aRefusedOwnWriteFailsWhenWriteReturnsAndTheWriterGoesOn() throws Exception {
    try (NamespaceWriter w = Writes.open(new MemoryObjectStore(), adaptive(1))) {
      CompletableFuture<Long> refused = w.write(Writes.knows("ghost", "nobody"));
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::get)
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("node does not exist");
      assertThat(w.write(person("a")).get()).isPositive();
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
    }
  }
}
