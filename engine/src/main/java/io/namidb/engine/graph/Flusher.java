package io.namidb.engine.graph;

import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.SstEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves memtables into SSTs (DESIGN §4.4). After each group commit, under the committer's gate,
 * {@link #maybeFreeze} freezes the active memtable when it is big, old or asked for. The flusher
 * thread's rounds each flush the memtables frozen when the round began (oldest first, one manifest
 * each, advancing {@code walCheckpoint}), then run a compaction (a full one if {@link #compact}
 * asked) and GC. A failed round is retried; an interrupt does not stop it, only closing or losing
 * the namespace does.
 *
 * <p>{@link #flush} and {@link #compact} are answered by a future per request, completed by the
 * round that did the work (or failed when the writer stops), instead of polling.
 */
final class Flusher {
  private static final Logger LOG = Logger.getLogger(Flusher.class.getName());

  /** A {@link #flush} waiting until the WAL is folded into SSTs up to {@code target}. */
  private record FlushRequest(long target, CompletableFuture<Void> done) {}

  /** Work to run on the flusher thread once the frozen memtables are flushed ({@link #after}). */
  private record Task(Supplier<Manifest> work, CompletableFuture<Manifest> done) {}

  private final WriterConfig config;
  private final String writerId;
  private final String location;
  private final Tables tables;
  private final ManifestCommitter manifests;
  private final SstUploader ssts;
  private final Compactor compactor;
  private final Collector collector;
  private final Lifecycle lifecycle;
  private final NamespaceWriter.Stats stats;

  /** Wakes the flusher thread; guards the requests and {@code busy}. */
  private final Object signal = new Object();

  private final List<FlushRequest> flushRequests = new ArrayList<>();
  private final List<CompletableFuture<Void>> compactRequests = new ArrayList<>();
  private final List<Task> tasks = new ArrayList<>();

  /** Whether a round is running (or the thread ended); guarded by signal. */
  private boolean busy;

  /** Whether the thread has ended: requests are refused from then on; guarded by signal. */
  private boolean ended;

  private volatile boolean flushRequested;
  private volatile long activeSince;
  private Thread thread;

  Flusher(
      WriterConfig config,
      String writerId,
      String location,
      Tables tables,
      ManifestCommitter manifests,
      SstUploader ssts,
      Compactor compactor,
      Collector collector,
      Lifecycle lifecycle,
      NamespaceWriter.Stats stats) {
    this.config = config;
    this.writerId = writerId;
    this.location = location;
    this.tables = tables;
    this.manifests = manifests;
    this.ssts = ssts;
    this.compactor = compactor;
    this.collector = collector;
    this.lifecycle = lifecycle;
    this.stats = stats;
    this.activeSince = config.clock().millis();
  }

  /** Starts the flusher thread. */
  void start() {
    thread = new Thread(this::run, "nami-flusher-" + writerId);
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the caller runs on the flusher thread. */
  boolean onFlusherThread() {
    return Thread.currentThread() == thread;
  }

  /**
   * Waits until everything written before the call is in a manifest and the round that wrote it
   * (with its compaction and GC) has finished; see {@link NamespaceWriter#flush(Duration)}.
   */
  void flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long target = tables.lastDataSegment();
    flushRequested = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (signal) {
      if (manifests.current().walCheckpoint() >= target && !busy) {
        return;
      }
      if (ended) {
        throw lifecycle.refusal();
      }
      flushRequests.add(new FlushRequest(target, done));
      signal.notifyAll();
    }
    await(done, deadline, "flush", timeout);
  }

  /**
   * Waits until a full compaction that began after the call has ended; see {@link
   * NamespaceWriter#compact(Duration)}. Call {@link #flush} first.
   */
  void compact(long deadline, Duration timeout) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (signal) {
      if (ended) {
        throw lifecycle.refusal();
      }
      compactRequests.add(done);
      signal.notifyAll();
    }
    await(done, deadline, "compaction", timeout);
  }

  /**
   * Runs {@code work} on the flusher thread once every memtable frozen now is flushed, before any
   * compaction of that round: nothing else commits a manifest or takes an SST id meanwhile, so the
   * SSTs {@code work} names are newer than every SST the flushes wrote. Waits for it, however long
   * it takes (it ends, or the flusher stops and fails it).
   *
   * @throws NamiException what {@code work} threw (other exceptions as INTERNAL), or the writer's
   *     refusal if it stopped
   */
  Manifest after(Supplier<Manifest> work) {
    CompletableFuture<Manifest> done = new CompletableFuture<>();
    synchronized (signal) {
      if (ended) {
        throw lifecycle.refusal();
      }
      tasks.add(new Task(work, done));
      signal.notifyAll();
    }
    try {
      return done.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw (NamiException) e.getCause();
    }
  }

  /** Freezes the active memtable now if it holds anything (the committer must be held). */
  void freezeNow() {
    if (!tables.active().isEmpty()) {
      tables.freeze();
      activeSince = config.clock().millis();
    }
  }

  private void await(CompletableFuture<Void> done, long deadline, String what, Duration timeout) {
    try {
      done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw (NamiException) e.getCause();
    } catch (TimeoutException e) {
      throw new NamiException(
          Kind.TRANSIENT,
          what
              + " did not finish within "
              + timeout
              + "; it goes on in the background. location="
              + location);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NamiException(Kind.TRANSIENT, what + " interrupted", e);
    }
  }

  /**
   * Under the committer's gate (after a group commit, or while idle): freezes the active memtable
   * when it is big, old or asked for.
   */
  void maybeFreeze() {
    if (!lifecycle.isWriter()) {
      // a FAILED writer's memtable may hold a half-applied batch: it must never reach an SST
      return;
    }
    MemTable active = tables.active();
    if (active.isEmpty()) {
      flushRequested = false;
      return;
    }
    boolean due =
        flushRequested
            || active.approximateBytes() >= config.flushBytes()
            || config.clock().millis() - activeSince >= config.flushInterval().toMillis();
    if (!due) {
      return;
    }
    flushRequested = false;
    tables.freeze();
    activeSince = config.clock().millis();
    wake();
  }

  /** Wakes the flusher thread (new frozen memtables, a stop or a close). */
  void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** Cuts the flusher's wait or retry pause short at close; the data is in the WAL either way. */
  void interrupt() {
    wake();
    if (thread != null) {
      thread.interrupt();
    }
  }

  void join() throws InterruptedException {
    if (thread != null) {
      thread.join();
    }
  }

  private void run() {
    try {
      while (true) {
        List<CompletableFuture<Void>> compactions;
        List<Task> work;
        synchronized (signal) {
          if (tables.frozen().isEmpty() && compactRequests.isEmpty() && tasks.isEmpty()) {
            busy = false;
            answerCoveredFlushes();
            if (lifecycle.closing() || !lifecycle.isWriter()) {
              return;
            }
            try {
              signal.wait(100);
            } catch (InterruptedException e) {
              if (lifecycle.closing()) {
                return;
              }
              LOG.warning(
                  "flusher interrupted; it keeps flushing until the writer closes. location="
                      + location);
            }
            continue;
          }
          compactions = List.copyOf(compactRequests);
          compactRequests.clear();
          work = List.copyOf(tasks);
          tasks.clear();
          busy = true;
        }
        if (!round(compactions, work)) {
          return;
        }
        roundDone();
      }
    } finally {
      end();
    }
  }

  /**
   * One round; completes the compaction requests it took. Returns false if the flusher must stop.
   */
  private boolean round(List<CompletableFuture<Void>> compactions, List<Task> work) {
    if (!lifecycle.isWriter()) {
      compactions.forEach(c -> c.completeExceptionally(lifecycle.refusal()));
      work.forEach(t -> t.done().completeExceptionally(lifecycle.refusal()));
      return false;
    }
    try {
      List<Tables.Frozen> frozen = tables.frozen();
      for (int i = frozen.size() - 1; i >= 0; i--) {
        flushOne(frozen.get(i));
      }
      for (Task t : work) {
        runTask(t);
      }
      compactor.compact(compactions.isEmpty() ? config.compactAfter() : 2);
      collector.collect(true);
      compactions.forEach(c -> c.complete(null));
    } catch (FencedException e) {
      compactions.forEach(c -> c.completeExceptionally(e));
      work.forEach(t -> t.done().completeExceptionally(e));
      return false; // the lifecycle already records why
    } catch (RuntimeException e) {
      compactions.forEach(c -> c.completeExceptionally(compactionFailed(e)));
      // a task not yet run fails with the flush that came before it; one that ran keeps its outcome
      NamiException unrun =
          new NamiException(
              Kind.TRANSIENT,
              "flush failed before the work waiting for it ran; nothing of it was committed: "
                  + e.getMessage()
                  + ". location="
                  + location,
              e);
      work.forEach(t -> t.done().completeExceptionally(unrun));
      // The data is safe in the WAL; try again later, unless the writer is closing (its close
      // interrupts a store call in flight: no cause for a warning).
      if (lifecycle.closing()) {
        LOG.info(
            "flush stopped by close; what it had not written is in the WAL. location="
                + location
                + " cause="
                + e.getMessage());
        return false;
      }
      LOG.log(Level.WARNING, "flush failed; will retry. location=" + location, e);
      sleepQuietly(1000);
    } catch (Error e) {
      LOG.log(Level.SEVERE, "flusher failed", e);
      lifecycle.stop(State.FAILED, "flusher failed: " + e);
      NamiException internal = new NamiException(Kind.INTERNAL, e.toString());
      compactions.forEach(c -> c.completeExceptionally(compactionFailed(internal)));
      work.forEach(t -> t.done().completeExceptionally(internal));
      return false;
    }
    return true;
  }

  /**
   * Runs a task and answers its future. Its own failure is its caller's to handle (the round goes
   * on), except losing the namespace, which stops the flusher as everywhere else.
   */
  private void runTask(Task t) {
    try {
      t.done().complete(t.work().get());
    } catch (FencedException e) {
      t.done().completeExceptionally(e);
      throw e;
    } catch (NamiException e) {
      t.done().completeExceptionally(e);
    } catch (RuntimeException e) {
      t.done().completeExceptionally(new NamiException(Kind.INTERNAL, e.toString(), e));
    }
  }

  /** A failed compaction as {@link #compact}'s caller sees it: FENCED as it is, else TRANSIENT. */
  private NamiException compactionFailed(RuntimeException error) {
    if (error instanceof NamiException nami && nami.kind() == Kind.FENCED) {
      return nami;
    }
    return new NamiException(
        Kind.TRANSIENT,
        "compaction failed: " + error.getMessage() + ". location=" + location,
        error);
  }

  private void flushOne(Tables.Frozen frozen) {
    long start = System.nanoTime();
    List<SstBuilder.File> files =
        SstBuilder.fromMemTable(frozen.table(), ssts::nextId, manifests.schema());
    ssts.upload(files);
    Manifest committed =
        manifests.commit(
            m -> {
              List<SstEntry> all = new ArrayList<>(m.ssts());
              files.forEach(f -> all.add(f.entry()));
              return m.withSsts(all).withWalCheckpoint(frozen.upToSegment());
            });
    tables.flushed(frozen, committed);
    stats.flushes.incrementAndGet();
    stats.flushNanos.addAndGet(System.nanoTime() - start);
  }

  /** A round ended (done or failed): answers the flushes whose writes are now in a manifest. */
  private void roundDone() {
    synchronized (signal) {
      answerCoveredFlushes();
      signal.notifyAll();
    }
  }

  /** Completes the flush requests the manifest's checkpoint covers; under the signal's monitor. */
  private void answerCoveredFlushes() {
    long checkpoint = manifests.current().walCheckpoint();
    flushRequests.removeIf(
        r -> {
          if (r.target() > checkpoint) {
            return false;
          }
          r.done().complete(null);
          return true;
        });
  }

  /**
   * The thread ends: a flush whose writes are in a manifest returns, every other request still
   * waiting gets the writer's refusal.
   */
  private void end() {
    synchronized (signal) {
      ended = true;
      busy = false;
      answerCoveredFlushes();
      NamiException refusal = lifecycle.refusal();
      flushRequests.forEach(r -> r.done().completeExceptionally(refusal));
      flushRequests.clear();
      compactRequests.forEach(c -> c.completeExceptionally(refusal));
      compactRequests.clear();
      tasks.forEach(t -> t.done().completeExceptionally(refusal));
      tasks.clear();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
