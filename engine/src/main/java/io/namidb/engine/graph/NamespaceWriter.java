package io.namidb.engine.graph;

import dev.failsafe.RetryPolicy;
import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.Retries;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.store.ObjectExistsException;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.BatchCodec;
import io.namidb.engine.wal.WalLog;
import io.namidb.engine.wal.WalSegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer of one namespace (DESIGN §4). {@link #open} claims the epoch, replays the WAL
 * and fences it; then {@link #write} accepts batches, which a committer thread groups into one WAL
 * segment PUT each. A batch's future completes only after its segment is on the object store.
 *
 * <p>A segment or manifest PUT that finds its id taken by someone else means another writer owns
 * the namespace: the writer turns {@link State#FENCED}, fails every pending and future write with
 * {@link FencedException}, and never retries under the same id. If the store keeps failing so that
 * the outcome of a segment PUT stays unknown, the writer turns {@link State#FAILED} rather than
 * skipping the id (a gap would hide later segments from replay); a restart recovers.
 */
public final class NamespaceWriter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NamespaceWriter.class.getName());
  private static final String PROBE_PREFIX = "probe/";

  /** Lifecycle of a writer. */
  public enum State {
    STARTING,
    WRITER,
    FENCED,
    FAILED,
    CLOSED
  }

  private final ObjectStore store;
  private final WriterConfig config;
  private final String writerId;
  private final ManifestStore manifests;
  private final WalLog wal;
  private final SstReaders readers;
  private final Pins pins;
  private final AtomicReference<ReadState> readState = new AtomicReference<>();
  private final AtomicLong sstSequence = new AtomicLong();
  private final Object manifestLock = new Object();
  private final Object flushSignal = new Object();
  private volatile boolean flushRequested;
  private volatile boolean flusherBusy;
  private volatile boolean compactRequested;
  private volatile java.util.function.IntConsumer groupCommitListener = n -> {};
  private volatile long activeSince;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Object intake = new Object();
  private final Stats stats = new Stats();

  private volatile State state = State.STARTING;
  private volatile String stateReason = "";
  private volatile Manifest manifest;
  private volatile Schema schema = Schema.EMPTY;
  private volatile long lastSegment;

  /** The newest segment holding data (fences hold none): what a flush must fold in. */
  private volatile long lastDataSegment;

  private volatile boolean closing;
  private Thread committer;
  private Thread flusher;

  /** A frozen memtable and the last WAL segment whose batches it holds. */
  private record Frozen(MemTable table, long upToSegment) {}

  /**
   * What reads see, swapped atomically: the active memtable, frozen ones waiting for their flush
   * (newest first) and the snapshot of the current manifest.
   */
  private record ReadState(MemTable active, List<Frozen> frozen, Snapshot snapshot) {
    GraphView view() {
      List<MemTable> tables = new ArrayList<>(frozen.size() + 1);
      tables.add(active);
      frozen.forEach(f -> tables.add(f.table()));
      return new GraphView(tables, snapshot);
    }
  }

  /** Counters for metrics. */
  public static final class Stats {
    public final AtomicLong segmentsWritten = new AtomicLong();
    public final AtomicLong batchesCommitted = new AtomicLong();
    public final AtomicLong batchesRejected = new AtomicLong();
    public final AtomicLong manifestsWritten = new AtomicLong();
    public final AtomicLong segmentsReplayed = new AtomicLong();
    public final AtomicLong walBytesWritten = new AtomicLong();
    public final AtomicLong flushes = new AtomicLong();
    public final AtomicLong flushNanos = new AtomicLong();
    public final AtomicLong compactions = new AtomicLong();
    public final AtomicLong compactionNanos = new AtomicLong();
    public final AtomicLong sstsWritten = new AtomicLong();
    public final AtomicLong objectsDeleted = new AtomicLong();
  }

  private record Pending(WriteBatch batch, byte[] payload, CompletableFuture<Long> result) {}

  private NamespaceWriter(ObjectStore store, WriterConfig config, Pins pins) {
    this.store = store;
    this.config = config;
    this.pins = pins;
    this.readers = new SstReaders(store, config.cacheBytes());
    this.writerId = config.ids().newId("w");
    RetryPolicy<Object> retry =
        Retries.transientFailures(
            config.storeAttempts(), config.initialBackoff(), Duration.ofSeconds(5));
    this.manifests = new ManifestStore(store, retry);
    this.wal = new WalLog(store, retry);
  }

  /**
   * Opens the namespace for writing: checks that the store honours create-if-absent, claims the
   * next epoch, replays the WAL from the checkpoint and puts a fence segment at the first free id.
   *
   * @throws NamiException CONFIGURATION if the store ignores conditional creates; FENCED if another
   *     writer claimed a newer epoch meanwhile; CORRUPT if a WAL segment is damaged
   */
  public static NamespaceWriter open(ObjectStore store, WriterConfig config) {
    return open(store, config, new Pins());
  }

  /** As {@link #open(ObjectStore, WriterConfig)}, honouring readers' pins in this process. */
  public static NamespaceWriter open(ObjectStore store, WriterConfig config, Pins pins) {
    NamespaceWriter writer = new NamespaceWriter(store, config, pins);
    writer.start();
    return writer;
  }

  private void start() {
    probeConditionalCreate();
    manifest =
        manifests.claim(writerId, config.ids()::newId, config.clock(), config.claimAttempts());
    stats.manifestsWritten.incrementAndGet();
    LOG.info(
        () ->
            "claimed namespace. location="
                + store.location()
                + " epoch="
                + manifest.writerEpoch()
                + " version="
                + manifest.version()
                + " writer="
                + writerId);
    schema = Schema.fromJson(manifest.schema());
    readState.set(new ReadState(new MemTable(), List.of(), new Snapshot(manifest, readers)));
    verifyLiveSsts(manifest);
    long id = replayFrom(manifest.walCheckpoint() + 1);
    lastSegment = fence(id);
    activeSince = config.clock().millis();
    state = State.WRITER;
    committer = new Thread(this::commitLoop, "nami-wal-committer");
    committer.setDaemon(true);
    committer.start();
    flusher = new Thread(this::flushLoop, "nami-flusher");
    flusher.setDaemon(true);
    flusher.start();
  }

  /**
   * A normal open never rolls back silently: every SST the manifest names must exist (DESIGN §4.6).
   */
  private void verifyLiveSsts(Manifest m) {
    for (io.namidb.engine.manifest.SstEntry sst : m.ssts()) {
      if (store.head(sst.key()).isEmpty()) {
        throw new io.namidb.engine.CorruptObjectException(
            "manifest names a missing object; refusing to open (restore from a backup). location="
                + store.location()
                + " version="
                + m.version()
                + " object="
                + sst.key());
      }
    }
  }

  /** Refuses stores that accept a second create of the same key (they cannot fence). */
  private void probeConditionalCreate() {
    String key = PROBE_PREFIX + writerId;
    byte[] marker = writerId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    store.putIfAbsent(key, marker);
    try {
      store.putIfAbsent(key, marker);
    } catch (ObjectExistsException expected) {
      store.delete(key);
      return;
    }
    store.delete(key);
    throw new NamiException(
        Kind.CONFIGURATION,
        "object store ignores conditional writes (If-None-Match): a second create of the same key"
            + " succeeded, so writers could not be fenced; refusing to write. location="
            + store.location()
            + " key="
            + key);
  }

  /** Applies segments {@code from, from+1, ...} up to the first missing one; returns its id. */
  private long replayFrom(long from) {
    long id = from;
    while (true) {
      Optional<WalSegment> segment = wal.read(id);
      if (segment.isEmpty()) {
        return id;
      }
      applyReplayed(segment.get());
      id++;
    }
  }

  private void applyReplayed(WalSegment segment) {
    if (segment.epoch() > manifest.writerEpoch()) {
      throw fenced(
          "a newer writer wrote the wal. segment="
              + segment.id()
              + " segmentEpoch="
              + segment.epoch());
    }
    for (WriteBatch batch : segment.batches()) {
      apply(batch);
    }
    if (!segment.batches().isEmpty()) {
      lastDataSegment = segment.id();
    }
    stats.segmentsReplayed.incrementAndGet();
  }

  /**
   * Puts an empty fence segment at the first free id. Where a zombie writer got there first, its
   * segment is replayed (it may have acknowledged those writes) and the next id is tried.
   */
  private long fence(long id) {
    while (true) {
      WalSegment fence =
          new WalSegment(
              WalSegment.Kind.FENCE,
              id,
              manifest.writerEpoch(),
              writerId,
              config.ids().newId(),
              List.of());
      WalLog.PutOutcome outcome = wal.put(id, fence.encode());
      if (outcome.written()) {
        stats.segmentsWritten.incrementAndGet();
        return id;
      }
      applyReplayed(outcome.existing());
      id++;
    }
  }

  /**
   * Submits a batch. The future completes with the batch's LSN (the id of the WAL segment that
   * holds it) once that segment is durable, or exceptionally with a {@link NamiException}:
   * INVALID_INPUT (the whole batch refused, nothing applied), FENCED, or TRANSIENT.
   */
  public CompletableFuture<Long> write(WriteBatch batch) {
    byte[] payload;
    try {
      validateShape(batch);
      schema.validate(batch);
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
    Pending pending = new Pending(batch, payload, new CompletableFuture<>());
    synchronized (intake) {
      if (state != State.WRITER || closing) {
        return CompletableFuture.failedFuture(notAccepting());
      }
      if (queue.size() >= config.maxQueuedBatches()) {
        return CompletableFuture.failedFuture(
            new NamiException(
                Kind.TRANSIENT, "writer overloaded. queued=" + queue.size() + "; retry later"));
      }
      queue.add(pending);
    }
    return pending.result();
  }

  private NamiException notAccepting() {
    return switch (state) {
      case FENCED -> new FencedException(stateReason);
      case FAILED -> new NamiException(Kind.TRANSIENT, stateReason);
      default ->
          new NamiException(
              Kind.TRANSIENT,
              "writer not accepting writes. state=" + state + " location=" + store.location());
    };
  }

  private static void validateShape(WriteBatch batch) {
    if (batch.isEmpty()) {
      throw new NamiException(Kind.INVALID_INPUT, "batch is empty");
    }
    for (int i = 0; i < batch.nodes().size(); i++) {
      checkName("nodes[" + i + "].label", batch.nodes().get(i).label());
    }
    for (int i = 0; i < batch.edges().size(); i++) {
      Edge e = batch.edges().get(i);
      checkName("edges[" + i + "].type", e.type());
      checkName("edges[" + i + "].from.label", e.from().label());
      checkName("edges[" + i + "].to.label", e.to().label());
    }
  }

  private static void checkName(String field, String value) {
    if (value.isEmpty()) {
      throw new NamiException(Kind.INVALID_INPUT, "empty name. field=" + field);
    }
  }

  private void commitLoop() {
    try {
      while (true) {
        Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing || state != State.WRITER) {
            return;
          }
          maybeFreeze();
          continue;
        }
        List<Pending> group = new ArrayList<>();
        group.add(first);
        long bytes = first.payload().length;
        long deadline = System.nanoTime() + config.groupCommitWindow().toNanos();
        while (bytes < config.groupCommitMaxBytes()) {
          long wait = deadline - System.nanoTime();
          Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          group.add(next);
          bytes += next.payload().length;
        }
        commitGroup(group);
        maybeFreeze();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(State.FAILED, "wal committer interrupted. location=" + store.location());
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "wal committer failed", e);
      stop(State.FAILED, "wal committer failed: " + e);
    }
  }

  private void commitGroup(List<Pending> group) {
    if (state != State.WRITER) {
      failAll(group, notAccepting());
      return;
    }
    List<Pending> accepted;
    Map<Pending, Map<NodeKey, List<EdgeKey>>> cascades = new java.util.IdentityHashMap<>();
    try {
      accepted = validateAgainstState(group);
      // Edges that node deletes will cascade to, read now (this may need SST reads, which may
      // fail): after the PUT, applying the batch must be pure memory work.
      GraphView view = view();
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
              e));
      return;
    }
    if (accepted.isEmpty()) {
      return;
    }
    long id = lastSegment + 1;
    List<byte[]> payloads = new ArrayList<>(accepted.size());
    for (Pending p : accepted) {
      payloads.add(p.payload());
    }
    byte[] bytes =
        WalSegment.encodeData(id, manifest.writerEpoch(), writerId, config.ids().newId(), payloads);
    WalLog.PutOutcome outcome;
    try {
      outcome = wal.put(id, bytes);
    } catch (NamiException e) {
      String reason =
          "wal segment write failed; its outcome is unknown, so this writer stops (restart to"
              + " recover). segment="
              + id
              + " cause="
              + e.getMessage();
      stop(State.FAILED, reason);
      failAll(accepted, new NamiException(Kind.TRANSIENT, reason, e));
      return;
    }
    if (!outcome.written()) {
      String reason =
          "fenced: another writer took the wal segment. location="
              + store.location()
              + " segment="
              + id
              + " ourEpoch="
              + manifest.writerEpoch()
              + " theirEpoch="
              + outcome.existing().epoch();
      stop(State.FENCED, reason);
      failAll(accepted, new FencedException(reason));
      return;
    }
    lastSegment = id;
    stats.segmentsWritten.incrementAndGet();
    stats.walBytesWritten.addAndGet(bytes.length);
    try {
      for (Pending p : accepted) {
        applyDurable(p.batch(), cascades.getOrDefault(p, Map.of()));
      }
    } catch (RuntimeException | Error e) {
      String reason =
          "a durable batch could not be applied in memory; this writer stops (restart to recover,"
              + " the batch is in the wal). segment="
              + id
              + " cause="
              + e;
      stop(State.FAILED, reason);
      failAll(accepted, new NamiException(Kind.TRANSIENT, reason));
      return;
    }
    lastDataSegment = id;
    stats.batchesCommitted.addAndGet(accepted.size());
    groupCommitListener.accept(accepted.size());
    for (Pending p : accepted) {
      p.result().complete(id);
    }
  }

  /**
   * Refuses batches whose edges name nodes that exist neither in the state nor earlier in the
   * group. Runs on the committer thread, in commit order, so the check sees exactly the state the
   * batch will apply to.
   */
  private List<Pending> validateAgainstState(List<Pending> group) {
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
        p.result().completeExceptionally(new NamiException(Kind.INVALID_INPUT, problem));
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
    return view().exists(key);
  }

  /**
   * Applies a batch just made durable: node deletes cascade to the edges read before the PUT plus
   * those the memtables gained since (memory only, no store reads).
   */
  private void applyDurable(WriteBatch batch, Map<NodeKey, List<EdgeKey>> incidentBefore) {
    ReadState rs = readState.get();
    List<MemTable> tables = new ArrayList<>();
    tables.add(rs.active());
    rs.frozen().forEach(f -> tables.add(f.table()));
    GraphView inMemory = new GraphView(tables, new Snapshot(Manifest.empty(), readers));
    rs.active()
        .apply(
            batch,
            k -> {
              java.util.LinkedHashSet<EdgeKey> all =
                  new java.util.LinkedHashSet<>(incidentBefore.getOrDefault(k, List.of()));
              all.addAll(inMemory.incidentEdges(k));
              return new ArrayList<>(all);
            });
  }

  /** Applies a durable batch to the active memtable; node deletes cascade to all their edges. */
  private void apply(WriteBatch batch) {
    ReadState rs = readState.get();
    GraphView view = rs.view();
    rs.active().apply(batch, view::incidentEdges);
  }

  private void stop(State newState, String reason) {
    List<Pending> drained = new ArrayList<>();
    synchronized (intake) {
      if (state == State.WRITER || state == State.STARTING) {
        state = newState;
        stateReason = reason;
        if (newState == State.FENCED) {
          LOG.warning(reason);
        } else {
          LOG.severe(reason);
        }
      }
      queue.drainTo(drained);
    }
    failAll(drained, notAccepting());
  }

  private static void failAll(List<Pending> pendings, NamiException error) {
    for (Pending p : pendings) {
      p.result().completeExceptionally(error);
    }
  }

  private FencedException fenced(String what) {
    String reason = "fenced: " + what + ". location=" + store.location();
    state = State.FENCED;
    stateReason = reason;
    return new FencedException(reason);
  }

  // ---- flush, compaction, GC (the flusher thread; manifest writes serialised) ----------------

  /**
   * Asks for a flush of everything written so far and waits until it is in a manifest and the
   * compaction and GC round after it has finished.
   */
  public void flush() {
    long target = lastDataSegment;
    flushRequested = true;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while ((manifest.walCheckpoint() < target || flusherBusy || !readState.get().frozen().isEmpty())
        && state == State.WRITER) {
      synchronized (flushSignal) {
        flushSignal.notifyAll();
        try {
          flushSignal.wait(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new NamiException(Kind.TRANSIENT, "flush did not finish in time");
      }
    }
    if (state != State.WRITER && manifest.walCheckpoint() < target) {
      throw notAccepting();
    }
  }

  /** On the committer thread: freezes the active memtable when it is big, old or asked for. */
  private void maybeFreeze() {
    ReadState rs = readState.get();
    MemTable active = rs.active();
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
    MemTable fresh = new MemTable();
    long upTo = lastSegment;
    ReadState before;
    do {
      before = readState.get();
      List<Frozen> frozen = new ArrayList<>(before.frozen().size() + 1);
      frozen.add(new Frozen(before.active(), upTo));
      frozen.addAll(before.frozen());
      if (readState.compareAndSet(
          before, new ReadState(fresh, List.copyOf(frozen), before.snapshot()))) {
        break;
      }
    } while (true);
    activeSince = config.clock().millis();
    synchronized (flushSignal) {
      flushSignal.notifyAll();
    }
  }

  private void flushLoop() {
    while (true) {
      synchronized (flushSignal) {
        if (readState.get().frozen().isEmpty() && !compactRequested) {
          flusherBusy = false;
          if (closing || state != State.WRITER) {
            return;
          }
          try {
            flushSignal.wait(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          continue;
        }
      }
      if (state != State.WRITER) {
        return;
      }
      flusherBusy = true;
      try {
        List<Frozen> frozen = readState.get().frozen();
        if (!frozen.isEmpty()) {
          flushOne(frozen.get(frozen.size() - 1));
        }
        // a requested full compaction waits until every frozen memtable is flushed
        boolean all = compactRequested && readState.get().frozen().isEmpty();
        if (all) {
          compactRequested = false;
        }
        compactIfDue(all ? 2 : config.compactAfter());
        collectGarbage();
      } catch (FencedException e) {
        return; // stop() already recorded why
      } catch (RuntimeException e) {
        // The data is safe in the WAL; try again later, unless the writer is closing.
        LOG.log(Level.WARNING, "flush failed; will retry. location=" + store.location(), e);
        if (closing) {
          return;
        }
        sleepQuietly(1000);
      } catch (Error e) {
        LOG.log(Level.SEVERE, "flusher failed", e);
        stop(State.FAILED, "flusher failed: " + e);
        return;
      }
      synchronized (flushSignal) {
        flushSignal.notifyAll();
      }
    }
  }

  private void flushOne(Frozen frozen) {
    long start = System.nanoTime();
    MemTable table = frozen.table();
    List<SstBuilder.File> files = SstBuilder.fromMemTable(table, this::nextSstId, schema());
    upload(files);
    Manifest committed =
        commitManifest(
            m -> {
              List<io.namidb.engine.manifest.SstEntry> ssts = new ArrayList<>(m.ssts());
              files.forEach(f -> ssts.add(f.entry()));
              return m.withSsts(ssts).withWalCheckpoint(frozen.upToSegment());
            });
    ReadState before;
    do {
      before = readState.get();
      List<Frozen> remaining = new ArrayList<>(before.frozen());
      remaining.remove(frozen);
      if (readState.compareAndSet(
          before,
          new ReadState(
              before.active(), List.copyOf(remaining), new Snapshot(committed, readers)))) {
        break;
      }
    } while (true);
    stats.flushes.incrementAndGet();
    stats.flushNanos.addAndGet(System.nanoTime() - start);
  }

  private String nextSstId() {
    return io.namidb.engine.sst.SstNames.id(manifest.writerEpoch(), sstSequence.incrementAndGet());
  }

  private void upload(List<SstBuilder.File> files) {
    for (SstBuilder.File f : files) {
      String key = f.entry().key();
      try {
        store.putIfAbsent(key, f.bytes());
      } catch (ObjectExistsException e) {
        if (!java.util.Arrays.equals(store.get(key), f.bytes())) {
          throw new NamiException(
              Kind.INTERNAL,
              "sst name taken by other content. location=" + location() + " key=" + key);
        }
      }
      stats.sstsWritten.incrementAndGet();
    }
  }

  /**
   * Writes the next manifest version: {@code change} applied to the current one. Serialised; a lost
   * race means another writer owns the namespace.
   */
  private Manifest commitManifest(java.util.function.UnaryOperator<Manifest> change) {
    synchronized (manifestLock) {
      for (int attempt = 0; ; attempt++) {
        Manifest current = manifest;
        Manifest next =
            change
                .apply(current)
                .next(
                    current.writerEpoch(),
                    writerId,
                    config.ids().newId(),
                    config.clock().instant().toString());
        try {
          manifests.create(next);
          manifest = next;
          stats.manifestsWritten.incrementAndGet();
          return next;
        } catch (io.namidb.engine.manifest.ManifestVersionExistsException e) {
          Manifest taken =
              e.winnerEpoch() == current.writerEpoch() ? readQuietly(next.version()) : null;
          if (attempt == 0 && taken != null && writerId.equals(taken.writerId())) {
            // an earlier commit of ours landed although it reported failure: build on it
            manifest = taken;
            continue;
          }
          String reason =
              "fenced: another writer wrote manifest version "
                  + next.version()
                  + ". location="
                  + store.location()
                  + " ourEpoch="
                  + current.writerEpoch()
                  + " theirEpoch="
                  + e.winnerEpoch();
          stop(State.FENCED, reason);
          throw new FencedException(reason);
        }
      }
    }
  }

  private Manifest readQuietly(long version) {
    try {
      return manifests.read(version);
    } catch (NamiException e) {
      return null;
    }
  }

  /** The namespace's schema: writes are validated against it. */
  public Schema schema() {
    return schema;
  }

  /**
   * Applies an additive schema change (the body of {@code PUT /v1/schema}) and commits it in a new
   * manifest version; a change that adds nothing writes nothing.
   *
   * @return the schema now in force
   * @throws io.namidb.engine.schema.SchemaConflictException for a non-additive change (409)
   * @throws NamiException INVALID_INPUT for a malformed change
   */
  public Schema evolveSchema(com.fasterxml.jackson.databind.JsonNode change) {
    if (state != State.WRITER) {
      throw notAccepting();
    }
    synchronized (manifestLock) {
      Schema current = Schema.fromJson(manifest.schema());
      Schema evolved = current.evolve(change);
      if (evolved.equals(current)) {
        return current;
      }
      commitManifest(m -> m.withSchema(evolved.toJson()));
      schema = evolved;
      return evolved;
    }
  }

  /**
   * Flushes everything written so far, then merges the SSTs of every label and edge type into one
   * each (what a bulk load should end with: one SST to read per hop). Waits until done.
   */
  public void compact() {
    flush(); // first everything written so far into SSTs, then merge them
    compactRequested = true;
    while (compactRequested && state == State.WRITER) {
      synchronized (flushSignal) {
        flushSignal.notifyAll();
        try {
          flushSignal.wait(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    flush(); // waits for the flusher to finish the compaction and its GC
  }

  /** Merges the SSTs of each label and edge type that has {@code threshold} or more. */
  private void compactIfDue(int threshold) {
    Snapshot snap = readState.get().snapshot();
    for (String label : snap.labels()) {
      if (snap.nodeSsts(label).size() >= threshold) {
        compactLabel(label);
      }
    }
    for (String type : snap.edgeTypes()) {
      if (snap.edgeSsts(type, Direction.OUT).size() >= threshold) {
        compactEdgeType(type);
      }
    }
  }

  /** Merges every SST of a label into one; tombstones go, since nothing older remains. */
  private void compactLabel(String label) {
    long start = System.nanoTime();
    Snapshot snap = readState.get().snapshot();
    List<io.namidb.engine.manifest.SstEntry> inputs = snap.nodeSsts(label);
    if (inputs.size() < 2) {
      return;
    }
    List<io.namidb.engine.sst.NodeRow> rows = new ArrayList<>();
    snap.scan(label)
        .forEach(
            (key, props) -> {
              if (props != null) {
                rows.add(new io.namidb.engine.sst.NodeRow(key, props));
              }
            });
    List<SstBuilder.File> outputs = new ArrayList<>();
    if (!rows.isEmpty()) {
      outputs.add(SstBuilder.nodes(label, rows, this::nextSstId, 1, schema()));
    }
    replaceSsts(inputs, outputs);
    stats.compactions.incrementAndGet();
    stats.compactionNanos.addAndGet(System.nanoTime() - start);
  }

  /** Merges every SST of an edge type (both directions) into one pair. */
  private void compactEdgeType(String type) {
    long start = System.nanoTime();
    Snapshot snap = readState.get().snapshot();
    List<io.namidb.engine.manifest.SstEntry> inputs =
        new ArrayList<>(snap.edgeSsts(type, Direction.OUT));
    inputs.addAll(snap.edgeSsts(type, Direction.IN));
    if (inputs.size() < 4) {
      return;
    }
    List<MemTable.EdgeVersion> live = new ArrayList<>();
    snap.scanEdges(type, Direction.OUT)
        .forEach(
            (id, edge) -> {
              if (edge != null) {
                live.add(new MemTable.EdgeVersion(id, edge));
              }
            });
    List<SstBuilder.File> outputs =
        live.isEmpty() ? List.of() : SstBuilder.edges(type, live, this::nextSstId, 1);
    replaceSsts(inputs, outputs);
    stats.compactions.incrementAndGet();
    stats.compactionNanos.addAndGet(System.nanoTime() - start);
  }

  private void replaceSsts(
      List<io.namidb.engine.manifest.SstEntry> inputs, List<SstBuilder.File> outputs) {
    upload(outputs);
    java.util.Set<String> gone = new java.util.HashSet<>();
    inputs.forEach(i -> gone.add(i.key()));
    Manifest committed =
        commitManifest(
            m -> {
              List<io.namidb.engine.manifest.SstEntry> ssts = new ArrayList<>();
              for (io.namidb.engine.manifest.SstEntry e : m.ssts()) {
                if (!gone.contains(e.key())) {
                  ssts.add(e);
                }
              }
              outputs.forEach(o -> ssts.add(o.entry()));
              return m.withSsts(ssts);
            });
    ReadState before;
    do {
      before = readState.get();
    } while (!readState.compareAndSet(
        before, new ReadState(before.active(), before.frozen(), new Snapshot(committed, readers))));
  }

  /**
   * Deletes what no retained manifest names: SSTs, WAL segments at or below the oldest retained
   * checkpoint, and manifest versions outside the retention window. Retained: the newest {@code
   * retainVersions} versions, every version written within {@code retainFor}, and every version a
   * reader in this process pins. SSTs of a newer epoch are never touched (they belong to a writer
   * that fenced this one and may not be committed yet).
   */
  public void collectGarbage() {
    List<Long> versions = new ArrayList<>();
    for (io.namidb.engine.store.ObjectInfo info : store.list("manifest/")) {
      long v = Manifest.versionOf(info.key());
      if (v > 0) {
        versions.add(v);
      }
    }
    java.util.Collections.sort(versions);
    if (versions.isEmpty()) {
      return;
    }
    java.util.Set<Long> pinned = pins.pinned();
    long now = config.clock().millis();
    java.util.Set<String> live = new java.util.HashSet<>();
    long minCheckpoint = Long.MAX_VALUE;
    List<Long> deletable = new ArrayList<>();
    java.util.TreeMap<Long, Long> epochOf = new java.util.TreeMap<>();
    for (int i = versions.size() - 1; i >= 0; i--) {
      long v = versions.get(i);
      boolean newest = versions.size() - i <= config.retainVersions();
      Manifest m;
      try {
        m = v == manifest.version() ? manifest : manifests.read(v);
      } catch (io.namidb.engine.store.ObjectNotFoundException e) {
        continue;
      }
      epochOf.put(v, m.writerEpoch());
      boolean recent = false;
      try {
        recent =
            now - java.time.Instant.parse(m.createdAt()).toEpochMilli()
                < config.retainFor().toMillis();
      } catch (RuntimeException e) {
        recent = true; // unknown age: keep
      }
      if (newest || recent || pinned.contains(v)) {
        m.ssts().forEach(e -> live.add(e.key()));
        minCheckpoint = Math.min(minCheckpoint, m.walCheckpoint());
      } else {
        deletable.add(v);
      }
    }
    long epoch = manifest.writerEpoch();
    for (io.namidb.engine.store.ObjectInfo info : store.list("sst/")) {
      String key = info.key();
      if (live.contains(key)) {
        continue;
      }
      long sstEpoch;
      try {
        sstEpoch = Long.parseLong(io.namidb.engine.sst.SstNames.idOf(key).substring(0, 20));
      } catch (RuntimeException e) {
        continue; // not ours to judge
      }
      if (sstEpoch < epoch || (sstEpoch == epoch && Thread.currentThread() == flusher)) {
        store.delete(key);
        stats.objectsDeleted.incrementAndGet();
      }
    }
    if (minCheckpoint != Long.MAX_VALUE) {
      for (io.namidb.engine.store.ObjectInfo info : store.list("wal/")) {
        long id = WalSegment.idOf(info.key());
        if (id > 0 && id <= minCheckpoint && !isFence(info)) {
          store.delete(info.key());
          stats.objectsDeleted.incrementAndGet();
        }
      }
    }
    // The first version of each epoch (its claim) stays, like each epoch's WAL fence: they are
    // what a paused writer of an older epoch collides with when it wakes up, however long it slept.
    long previousEpoch = -1;
    for (java.util.Map.Entry<Long, Long> e : epochOf.entrySet()) {
      if (e.getValue() != previousEpoch) {
        deletable.remove(e.getKey());
      }
      previousEpoch = e.getValue();
    }
    for (long v : deletable) {
      store.delete(Manifest.key(v));
      stats.objectsDeleted.incrementAndGet();
    }
  }

  /** Whether a WAL object is a fence segment (small: read only those to find out). */
  private boolean isFence(io.namidb.engine.store.ObjectInfo info) {
    return io.namidb.engine.wal.WalSegments.isFence(store, info);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Approximate heap held by the active and frozen memtables (for a memory gauge). */
  public long memtableBytes() {
    ReadState rs = readState.get();
    long bytes = rs.active().approximateBytes();
    for (Frozen f : rs.frozen()) {
      bytes += f.table().approximateBytes();
    }
    return bytes;
  }

  /** Called on the committer thread with the number of batches of each group commit. */
  public void onGroupCommit(java.util.function.IntConsumer listener) {
    this.groupCommitListener = listener == null ? n -> {} : listener;
  }

  /**
   * Looks whether another writer has taken the namespace although this one has not written since: a
   * WAL segment at the next id written by a higher epoch means fenced. Cheap (one GET); lets an
   * idle writer report not-ready. Returns the state after the check.
   */
  public State checkSuperseded() {
    if (state != State.WRITER) {
      return state;
    }
    java.util.Optional<WalSegment> next;
    try {
      next = wal.read(lastSegment + 1);
    } catch (NamiException e) {
      return state; // unreadable right now: the next write will tell
    }
    if (next.isPresent() && next.get().epoch() > manifest.writerEpoch()) {
      stop(
          State.FENCED,
          "fenced: a newer writer fenced the wal. location="
              + store.location()
              + " segment="
              + (lastSegment + 1)
              + " ourEpoch="
              + manifest.writerEpoch()
              + " theirEpoch="
              + next.get().epoch());
    }
    return state;
  }

  /**
   * What reads see now, pinned: memtables over the current snapshot, as of the last batch applied
   * whole. Batches applied later, flushes and compactions do not change it.
   */
  public GraphView view() {
    return readState.get().view().pinned();
  }

  /** The newest version of a node, if it exists. */
  public Optional<Node> node(NodeKey key) {
    return view().node(key);
  }

  /** Edges of a node by type ({@code null}: every type) and direction. */
  public List<Edge> edges(NodeKey node, String type, Direction direction) {
    return view().edges(node, type, direction);
  }

  /** The current manifest. */
  public Manifest manifest() {
    return manifest;
  }

  public State state() {
    return state;
  }

  /** Why the writer is FENCED or FAILED; empty otherwise. */
  public String stateReason() {
    return stateReason;
  }

  public long epoch() {
    return manifest.writerEpoch();
  }

  public long manifestVersion() {
    return manifest.version();
  }

  /** Id of the newest WAL segment this writer wrote (its fence until the first commit). */
  public long walSegment() {
    return lastSegment;
  }

  public String writerId() {
    return writerId;
  }

  public String location() {
    return store.location();
  }

  public Stats stats() {
    return stats;
  }

  /**
   * Stops intake, commits every batch already accepted and answers its future, then stops the
   * committer and the flusher. Idempotent. Does not close the store, and does not flush (the WAL
   * holds everything acknowledged).
   */
  @Override
  public void close() {
    synchronized (intake) {
      closing = true;
    }
    synchronized (flushSignal) {
      flushSignal.notifyAll();
    }
    try {
      if (committer != null) {
        committer.join();
      }
      if (flusher != null) {
        flusher.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    failAll(left, new NamiException(Kind.TRANSIENT, "writer closed. location=" + store.location()));
    synchronized (intake) {
      if (state == State.WRITER || state == State.STARTING) {
        state = State.CLOSED;
        stateReason = "writer closed";
      }
    }
  }
}
