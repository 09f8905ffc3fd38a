package io.namidb.engine.graph;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.DaemonThreads;
import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.wal.BatchCodec;
import io.namidb.engine.wal.WalLog;
import io.namidb.engine.wal.WalSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WAL side of a writer (DESIGN §4.3): it queues accepted batches, and its thread groups them,
 * checks each against the state it will apply to, PUTs the group as one WAL segment, applies it to
 * the active memtable and completes the batches' futures (on their own thread, so callbacks add no
 * latency here). A batch is acknowledged only after its segment is on the store; a PUT whose
 * outcome stays unknown stops the writer (FAILED) rather than skipping the id.
 *
 * <p>Grouping adapts to load unless {@link WriterConfig#groupCommitWindow()} sets a fixed window: a
 * group takes what is queued and waits only for as many batches as the previous group held, at most
 * half of that group's PUT time and never over 2 ms.
 *
 * <p>A batch submitted while the writer is idle (nothing queued, nothing being committed) and the
 * last group held one batch (a lone client; under load the first client back after a group would
 * otherwise split the next one) is committed on the caller's thread instead, when {@code
 * callerCommits} is on: the same checks, PUT and apply, under the same {@link #gate}, and its
 * future is complete when {@link #submit} returns. Idle means every batch ever queued has been
 * through a group commit, so a batch never overtakes one submitted before it. An interrupt of the
 * caller during the PUT (a closed channel, an aborted request) leaves its outcome unknown; the PUT
 * is then tried again out of the interrupt's reach, and finds its own segment if the first try
 * landed.
 */
final class Committer {
  private static final Logger LOG = Logger.getLogger(Committer.class.getName());

  /** The longest an adaptive group waits for the rest of the previous group's clients. */
  private static final long MAX_ADAPTIVE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /**
   * @param seq its place in the queue (1, 2, ...), 0 for a batch its caller commits
   */
  private record Pending(
      WriteBatch batch, byte[] payload, CompletableFuture<Long> result, long seq) {}

  private final WriterConfig config;
  private final String writerId;
  private final String location;
  private final WalLog wal;
  private final Tables tables;
  private final ManifestCommitter manifests;
  private final Lifecycle lifecycle;
  private final NamespaceWriter.Stats stats;
  private final Runnable afterGroup;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

  /**
   * Held for each group commit (by the committer thread or a caller committing its own batch), and
   * by {@link #holding} meanwhile.
   */
  private final Semaphore gate = new Semaphore(1);

  /** Whether a caller may commit its own batch when the writer is idle. */
  private final boolean callerCommits;

  /** Batches queued so far (the last one's seq); guarded by the lifecycle's monitor. */
  private long queuedSeq;

  /** The seq of the last queued batch whose group commit has finished; written under the gate. */
  private volatile long decidedSeq;

  /** Completes write futures, so that callbacks never run on (or stall) the committer thread. */
  private final ExecutorService completer;

  /**
   * Reads for {@link #checkEpochWhenDue}: one thread at most, none while idle, and no queue (a
   * check asked for while one runs is refused, not queued).
   */
  private final ThreadPoolExecutor epochChecker =
      new ThreadPoolExecutor(
          0,
          1,
          10,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          DaemonThreads.named("nami-epoch-check"));

  private static final Runnable NOTHING = () -> {};

  private volatile IntConsumer groupCommitListener = n -> {};

  /** Runs on the committer thread between forming a group and taking the gate (tests' seam). */
  private volatile Runnable beforeGate = () -> {};

  private Thread thread;

  /**
   * The last group's size (1 for a caller's own batch); written under the gate, read by {@link
   * #submit}: a caller commits its own batch only after a group of one, so that under load the
   * first client back after a group does not split the next one.
   */
  private volatile int lastGroupSize;

  /** When the committer last looked for a newer epoch's claim ({@link System#nanoTime}). */
  private long lastEpochCheck = System.nanoTime();

  private long lastPutNanos;

  /**
   * @param afterGroup runs on the committer thread after each group and when idle (the freeze
   *     check)
   */
  Committer(
      WriterConfig config,
      String writerId,
      String location,
      WalLog wal,
      Tables tables,
      ManifestCommitter manifests,
      Lifecycle lifecycle,
      NamespaceWriter.Stats stats,
      Runnable afterGroup,
      boolean callerCommits) {
    this.config = config;
    this.callerCommits = callerCommits;
    this.writerId = writerId;
    this.location = location;
    this.wal = wal;
    this.tables = tables;
    this.manifests = manifests;
    this.lifecycle = lifecycle;
    this.stats = stats;
    this.afterGroup = afterGroup;
    this.completer = Executors.newSingleThreadExecutor(DaemonThreads.named("nami-write-completer"));
  }

  /**
   * Runs {@code work} while no group commits: waits for the group being committed to finish and
   * holds the next one (its writes wait in the queue) until {@code work} returns.
   */
  <T> T holding(Supplier<T> work) {
    gate.acquireUninterruptibly();
    try {
      return work.get();
    } finally {
      gate.release();
    }
  }

  /** Starts the committer thread. */
  void start() {
    thread = new Thread(this::run, "nami-wal-committer-" + writerId);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * For tests: runs {@code hook} on the committer thread after it formed a group, before the gate.
   */
  void beforeGate(Runnable hook) {
    this.beforeGate = hook;
  }

  void onGroupCommit(IntConsumer listener) {
    this.groupCommitListener = listener == null ? n -> {} : listener;
  }

  /** Checks a batch, then queues it; see {@link NamespaceWriter#write}. */
  CompletableFuture<Long> submit(WriteBatch batch) {
    byte[] payload;
    try {
      validateShape(batch);
      manifests.schema().validate(batch);
      payload = BatchCodec.encode(batch);
    } catch (NamiException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (payload.length > config.maxBatchBytes()) {
      return CompletableFuture.failedFuture(
          new NamiException(
              Kind.TOO_LARGE,
              "batch too large. bytes=" + payload.length + " max=" + config.maxBatchBytes()));
    }
    long held = tables.memtableBytes();
    if (held > config.maxMemtableBytes()) {
      // Flushes are failing or falling behind: refuse rather than grow until out of memory.
      stats.writesThrottled.incrementAndGet();
      return CompletableFuture.failedFuture(
          new NamiException(
              Kind.TRANSIENT,
              "writer memory full while flushes catch up; retry later. memtableBytes="
                  + held
                  + " maxMemtableBytes="
                  + config.maxMemtableBytes()
                  + " location="
                  + location));
    }
    Pending pending;
    synchronized (lifecycle) {
      if (!lifecycle.accepting()) {
        return CompletableFuture.failedFuture(lifecycle.refusal());
      }
      if (callerCommits && lastGroupSize <= 1 && decidedSeq == queuedSeq && gate.tryAcquire()) {
        pending = new Pending(batch, payload, new CompletableFuture<>(), 0);
      } else {
        if (queue.size() >= config.maxQueuedBatches()) {
          return CompletableFuture.failedFuture(
              new NamiException(
                  Kind.TRANSIENT, "writer overloaded. queued=" + queue.size() + "; retry later"));
        }
        pending = new Pending(batch, payload, new CompletableFuture<>(), ++queuedSeq);
        queue.add(pending);
        return pending.result();
      }
    }
    commitOwn(pending);
    return pending.result();
  }

  /**
   * Commits the caller's own batch on its thread, the gate already held (see the class doc). Its
   * future is completed here, before anyone could chain on it. A failure other than the batch's
   * refusal stops the writer, as on the committer thread.
   */
  private void commitOwn(Pending pending) {
    boolean interrupted = Thread.interrupted(); // restored below; the PUT must not see it
    try {
      lastGroupSize = 1;
      commitGroup(List.of(pending), true);
      afterCommit();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "wal commit on the caller's thread failed", e);
      String reason = "wal commit failed; restart to recover. cause=" + e;
      lifecycle.stop(State.FAILED, reason);
      pending.result().completeExceptionally(new NamiException(Kind.TRANSIENT, reason));
    } finally {
      gate.release();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Under the gate, after each group commit: the epoch check when due, the freeze check. */
  private void afterCommit() {
    checkEpochWhenDue();
    afterGroup.run();
  }

  static void validateShape(WriteBatch batch) {
    if (batch.isEmpty()) {
      throw new NamiException(Kind.INVALID_INPUT, "batch is empty");
    }
    // The field's name is built only for the refusal: this runs for every item of a bulk load.
    List<Node> nodes = batch.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).label().isEmpty()) {
        throw emptyName("nodes[" + i + "].label");
      }
    }
    List<Edge> edges = batch.edges();
    for (int i = 0; i < edges.size(); i++) {
      Edge e = edges.get(i);
      if (e.type().isEmpty()) {
        throw emptyName("edges[" + i + "].type");
      }
      if (e.from().label().isEmpty()) {
        throw emptyName("edges[" + i + "].from.label");
      }
      if (e.to().label().isEmpty()) {
        throw emptyName("edges[" + i + "].to.label");
      }
    }
  }

  private static NamiException emptyName(String field) {
    return new NamiException(Kind.INVALID_INPUT, "empty name. field=" + field);
  }

  private void run() {
    List<Pending> group = List.of();
    try {
      while (true) {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (lifecycle.closing() || !lifecycle.isWriter()) {
            return;
          }
          if (gate.tryAcquire()) { // else a commit under way runs it when it ends
            try {
              afterGroup.run();
            } finally {
              gate.release();
            }
          }
          continue;
        }
        group = new ArrayList<>();
        group.add(first);
        long bytes = first.payload().length;
        // A fixed window waits for it whole. Without one, the group takes what is queued, and
        // waits only for as many batches as the previous group held (the clients it acknowledged
        // coming back), at most half of that group's PUT time: an idle writer commits a lone
        // batch at once, a busy one keeps its groups (and its PUTs per write) from splitting.
        long window = config.groupCommitWindow().toNanos();
        int expected = window > 0 ? Integer.MAX_VALUE : lastGroupSize;
        long formStart = System.nanoTime();
        long deadline =
            formStart + (window > 0 ? window : Math.min(MAX_ADAPTIVE_WAIT_NANOS, lastPutNanos / 2));
        bytes = takeQueued(group, bytes);
        while (bytes < config.groupCommitMaxBytes() && group.size() < expected) {
          long wait = deadline - System.nanoTime();
          Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
          if (next == null) {
            break;
          }
          group.add(next);
          bytes = takeQueued(group, bytes + next.payload().length);
        }
        stats.groupsFormed.incrementAndGet();
        stats.groupWaitNanos.addAndGet(System.nanoTime() - formStart);
        beforeGate.run();
        gate.acquireUninterruptibly(); // a bulk load or a caller's own commit goes first
        Runnable acknowledge = NOTHING;
        try {
          // what queued while the gate was held (behind a caller's PUT) joins this group
          takeQueued(group, bytes);
          lastGroupSize = group.size();
          acknowledge = commitGroup(group, false);
          decidedSeq = group.get(group.size() - 1).seq();
          group = List.of();
          afterCommit();
        } finally {
          gate.release();
          // after the release: a client woken by its acknowledgement finds the writer idle
          acknowledge.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      String reason = "wal committer interrupted. location=" + location;
      lifecycle.stop(State.FAILED, reason);
      failAll(group, new NamiException(Kind.TRANSIENT, reason));
    } catch (RuntimeException | Error e) {
      // Whatever the group off the queue was doing (encoding, the PUT, applying), its futures must
      // still complete: a completed one is left as it is.
      LOG.log(Level.SEVERE, "wal committer failed", e);
      String reason = "wal committer failed; restart to recover. cause=" + e;
      lifecycle.stop(State.FAILED, reason);
      failAll(group, new NamiException(Kind.TRANSIENT, reason));
    }
  }

  /**
   * Adds to {@code group} what is queued now, without waiting, until it holds {@code
   * groupCommitMaxBytes}; returns the group's bytes.
   */
  private long takeQueued(List<Pending> group, long bytes) {
    while (bytes < config.groupCommitMaxBytes()) {
      Pending next = queue.poll();
      if (next == null) {
        break;
      }
      group.add(next);
      bytes += next.payload().length;
    }
    return bytes;
  }

  /**
   * @param own the caller's own batch on its thread: its future is completed here, and an interrupt
   *     that cuts the PUT short is answered by trying again
   * @return what acknowledges the committed batches on the completer thread, to run once the gate
   *     is released (nothing for {@code own}, or after a failure, whose futures are failed here)
   */
  private Runnable commitGroup(List<Pending> group, boolean own) {
    if (!lifecycle.isWriter()) {
      failAll(group, lifecycle.refusal(), own);
      return NOTHING;
    }
    List<Pending> accepted;
    Map<Pending, Map<NodeKey, List<EdgeKey>>> cascades = new IdentityHashMap<>();
    try {
      accepted = validateAgainstState(group, own);
      // Edges that node deletes will cascade to, read now (this may need SST reads, which may
      // fail): after the PUT, applying the batch must be pure memory work.
      GraphView view = tables.view();
      for (Pending p : accepted) {
        if (!p.batch().deleteNodes().isEmpty()) {
          Map<NodeKey, List<EdgeKey>> incident = new HashMap<>();
          for (NodeKey k : p.batch().deleteNodes()) {
            incident.put(k, view.incidentEdges(k));
          }
          cascades.put(p, incident);
        }
      }
    } catch (RuntimeException e) {
      // nothing was written: the batches are simply not accepted
      failAll(
          group,
          new NamiException(
              Kind.TRANSIENT,
              "could not check the batch against the namespace: " + e.getMessage(),
              e),
          own);
      return NOTHING;
    }
    if (accepted.isEmpty()) {
      return NOTHING;
    }
    long id = tables.lastSegment() + 1;
    long epoch = manifests.current().writerEpoch();
    List<byte[]> payloads = new ArrayList<>(accepted.size());
    for (Pending p : accepted) {
      payloads.add(p.payload());
    }
    byte[] bytes = WalSegment.encodeData(id, epoch, writerId, config.ids().newId(), payloads);
    WalLog.PutOutcome outcome;
    try {
      long putStart = System.nanoTime();
      outcome = own ? putThroughInterrupts(id, bytes) : wal.put(id, bytes);
      lastPutNanos = System.nanoTime() - putStart;
      stats.walPuts.incrementAndGet();
      stats.walPutNanos.addAndGet(lastPutNanos);
    } catch (NamiException e) {
      String reason =
          "wal segment write failed; its outcome is unknown, so this writer stops (restart to"
              + " recover). segment="
              + id
              + " cause="
              + e.getMessage();
      lifecycle.stop(State.FAILED, reason);
      failAll(accepted, new NamiException(Kind.TRANSIENT, reason, e), own);
      return NOTHING;
    }
    if (!outcome.written()) {
      // Only a newer epoch may take an id above our fence; a segment of our own or an older epoch
      // means the log was written behind our back (a copy into a live prefix).
      long theirEpoch = outcome.existing().epoch();
      boolean newer = theirEpoch > epoch;
      String reason =
          newer
              ? "fenced: another writer took the wal segment." + segmentClash(id, theirEpoch)
              : "corrupt: a wal segment of this or an older epoch sits where this writer's next"
                  + " segment belongs; this writer stops."
                  + segmentClash(id, theirEpoch);
      lifecycle.stop(newer ? State.FENCED : State.FAILED, reason);
      failAll(
          accepted, newer ? new FencedException(reason) : new CorruptObjectException(reason), own);
      return NOTHING;
    }
    tables.segmentWritten(id);
    stats.segmentsWritten.incrementAndGet();
    stats.walBytesWritten.addAndGet(bytes.length);
    try {
      for (Pending p : accepted) {
        tables.applyDurable(p.batch(), cascades.getOrDefault(p, Map.of()));
      }
    } catch (RuntimeException | Error e) {
      String reason =
          "a durable batch could not be applied in memory; this writer stops (restart to recover,"
              + " the batch is in the wal). segment="
              + id
              + " cause="
              + e;
      lifecycle.stop(State.FAILED, reason);
      failAll(accepted, new NamiException(Kind.TRANSIENT, reason), own);
      return NOTHING;
    }
    tables.dataApplied(id);
    stats.batchesCommitted.addAndGet(accepted.size());
    if (own) {
      accepted.forEach(p -> p.result().complete(id));
    }
    try {
      groupCommitListener.accept(accepted.size());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "group commit listener failed; ignored", e);
    }
    return own ? NOTHING : () -> completeAll(accepted, id);
  }

  /**
   * {@link WalLog#put} on a caller's thread. An interrupt that fails the PUT on its way (a closed
   * file channel, an aborted request) leaves its outcome unknown: the PUT is tried again on the
   * completer thread, which no caller's interrupt reaches, and waited for without heeding
   * interrupts; the retry finds its own segment if the first try landed. The interrupt is kept for
   * the caller.
   */
  private WalLog.PutOutcome putThroughInterrupts(long id, byte[] bytes) {
    try {
      return wal.put(id, bytes);
    } catch (RuntimeException e) {
      if (!Thread.interrupted()) {
        throw e;
      }
      LOG.fine("wal put cut short by an interrupt; trying again. segment=" + id);
      try {
        return CompletableFuture.supplyAsync(() -> wal.put(id, bytes), completer).join();
      } catch (RejectedExecutionException closed) {
        return wal.put(id, bytes); // the writer closed meanwhile: no interrupt is coming now
      } catch (CompletionException failed) {
        throw failed.getCause() instanceof RuntimeException r ? r : failed;
      } finally {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Refuses batches whose edges name nodes that exist neither in the state nor earlier in the
   * group. Runs on the committer thread, in commit order, so the check sees exactly the state the
   * batch will apply to.
   */
  private List<Pending> validateAgainstState(List<Pending> group, boolean own) {
    Map<NodeKey, Boolean> overlay = new HashMap<>();
    List<Pending> accepted = new ArrayList<>(group.size());
    for (Pending p : group) {
      Map<NodeKey, Boolean> local = new HashMap<>(overlay);
      for (Node n : p.batch().nodes()) {
        local.put(n.id(), true);
      }
      String problem = null;
      List<Edge> edges = p.batch().edges();
      for (int i = 0; i < edges.size() && problem == null; i++) {
        Edge e = edges.get(i);
        if (!exists(e.from(), local)) {
          problem = "edges[" + i + "].from: node does not exist. node=" + e.from();
        } else if (!exists(e.to(), local)) {
          problem = "edges[" + i + "].to: node does not exist. node=" + e.to();
        }
      }
      if (problem != null) {
        stats.batchesRejected.incrementAndGet();
        failAll(List.of(p), new NamiException(Kind.INVALID_INPUT, problem), own);
        continue;
      }
      for (NodeKey k : p.batch().deleteNodes()) {
        local.put(k, false);
      }
      overlay = local;
      accepted.add(p);
    }
    return accepted;
  }

  private boolean exists(NodeKey key, Map<NodeKey, Boolean> overlay) {
    Boolean pending = overlay.get(key);
    if (pending != null) {
      return pending;
    }
    return tables.view().exists(key);
  }

  /**
   * At most once per {@code epochCheckInterval} while committing: a newer epoch's claim stops this
   * writer. Without it, a writer that keeps streaming small writes learns of a takeover only at its
   * next manifest commit (a flush, up to {@code flushInterval} away), and the new writer's replay
   * chases its segments until then. What it acknowledged meanwhile is in the WAL, which the new
   * writer replays up to its fence.
   *
   * <p>The read runs on its own thread, at most one at a time: a slow GET (an object store having a
   * bad second) must not hold up the groups behind it. A check still running when the next is due
   * is left to finish; the one after that starts it again.
   */
  private void checkEpochWhenDue() {
    long interval = config.epochCheckInterval().toNanos();
    long now = System.nanoTime();
    if (interval == 0 || now - lastEpochCheck < interval || !lifecycle.isWriter()) {
      return;
    }
    lastEpochCheck = now;
    try {
      epochChecker.execute(this::checkEpoch);
    } catch (RejectedExecutionException e) {
      // the previous check is still reading, or the writer is closing
    }
  }

  /**
   * On the epoch-check thread: a newer epoch's manifest stops this writer, FENCED. The check is
   * advisory (a PUT into the new writer's fence stops it anyway), so a read that fails otherwise is
   * logged, and the next check tries again.
   */
  private void checkEpoch() {
    if (!lifecycle.isWriter()) {
      return;
    }
    Optional<Manifest> newer;
    try {
      newer = manifests.newerClaim();
    } catch (RuntimeException e) {
      if (lifecycle.isWriter()) { // closing interrupts a read: nothing to report then
        LOG.log(Level.WARNING, "epoch check failed; the next one tries again", e);
      }
      return;
    }
    newer.ifPresent(
        claim ->
            lifecycle.stop(
                State.FENCED,
                "fenced: a newer writer claimed the namespace. location="
                    + location
                    + " version="
                    + claim.version()
                    + " ourEpoch="
                    + manifests.current().writerEpoch()
                    + " theirEpoch="
                    + claim.writerEpoch()));
  }

  /**
   * Looks whether another writer has taken the namespace although this one has not written since:
   * see {@link NamespaceWriter#checkSuperseded()}.
   */
  void checkSuperseded() {
    if (!lifecycle.isWriter()) {
      return;
    }
    long next = tables.lastSegment() + 1;
    Optional<WalSegment> segment;
    try {
      segment = wal.read(next);
    } catch (NamiException e) {
      return; // unreadable right now: the next write will tell
    }
    if (segment.isEmpty() || writerId.equals(segment.get().writerId())) {
      return; // nothing there, or our own segment landing right now
    }
    long theirEpoch = segment.get().epoch();
    if (theirEpoch > manifests.current().writerEpoch()) {
      lifecycle.stop(
          State.FENCED, "fenced: a newer writer fenced the wal." + segmentClash(next, theirEpoch));
    } else {
      lifecycle.stop(
          State.FAILED,
          "corrupt: a wal segment of this or an older epoch sits above this writer's last one."
              + segmentClash(next, theirEpoch));
    }
  }

  /** Where a WAL segment id clashed with another writer's segment, for messages. */
  private String segmentClash(long id, long theirEpoch) {
    return " location="
        + location
        + " segment="
        + id
        + " ourEpoch="
        + manifests.current().writerEpoch()
        + " theirEpoch="
        + theirEpoch;
  }

  /** Fails every queued write with the lifecycle's refusal (the stop hook). */
  void failQueued() {
    List<Pending> drained = new ArrayList<>();
    queue.drainTo(drained);
    failAll(drained, lifecycle.refusal());
  }

  /**
   * Waits for the committer thread, which ends once intake stopped and the queue is empty, and for
   * a caller committing its own batch.
   */
  void join() throws InterruptedException {
    if (thread != null) {
      thread.join();
    }
    gate.acquire();
    gate.release();
  }

  /**
   * After {@link #join}: fails what is left in the queue, then runs every completion still held, so
   * that every accepted write's future completes.
   */
  void close() {
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    failAll(left, new NamiException(Kind.TRANSIENT, "writer closed. location=" + location));
    epochChecker.shutdownNow(); // a check still reading has nothing left to stop
    completer.shutdown(); // runs what it holds: every accepted write's future completes
    try {
      if (!completer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warning("write callbacks still running at close. location=" + location);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Completes the writes' futures on the completer thread, one task for the whole group (inline
   * once the writer is closed).
   */
  private void completeAll(List<Pending> pendings, long lsn) {
    List<Pending> copy = List.copyOf(pendings);
    onCompleter(() -> copy.forEach(p -> p.result().complete(lsn)));
  }

  /** Fails writes here if {@code own} (a caller's own batch), else as below. */
  private void failAll(List<Pending> pendings, NamiException error, boolean own) {
    if (own) {
      pendings.forEach(p -> p.result().completeExceptionally(error));
    } else {
      failAll(pendings, error);
    }
  }

  /** Fails writes on the completer thread (inline once the writer is closed). */
  private void failAll(List<Pending> pendings, NamiException error) {
    if (pendings.isEmpty()) {
      return;
    }
    List<Pending> copy = List.copyOf(pendings);
    onCompleter(() -> copy.forEach(p -> p.result().completeExceptionally(error)));
  }

  /** Runs on the completer thread, or here once the writer is closed (it refuses new tasks). */
  private void onCompleter(Runnable task) {
    try {
      completer.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }
}
