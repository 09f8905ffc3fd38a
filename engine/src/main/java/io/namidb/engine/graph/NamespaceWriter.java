package io.namidb.engine.graph;

import dev.failsafe.RetryPolicy;
import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.Retries;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
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

  /** Flusher rounds (flush, compaction, GC) finished so far. */
  private volatile long roundsDone;

  /** Full compactions asked for by {@link #compact}, numbered; guarded by flushSignal. */
  private volatile long compactTicket;

  /** How the newest full compaction the flusher ran ended. */
  private volatile CompactionOutcome compactOutcome = new CompactionOutcome(0, null);

  /** Leases of readers in other processes, judged on this writer's clock (GC). */
  private final ReaderLeases.Tracker leases = new ReaderLeases.Tracker();

  /** Epoch of each manifest version GC has read (manifests never change). */
  private final Map<Long, Long> epochCache = new java.util.concurrent.ConcurrentHashMap<>();

  /** WAL keys known to be fence segments (GC reads each once). */
  private final java.util.Set<String> fenceCache =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** When this writer committed each of its manifest versions, on its own clock. */
  private final Map<Long, Long> committedAt = new java.util.concurrent.ConcurrentHashMap<>();

  /** Completes write futures, so that callbacks never run on (or stall) the committer thread. */
  private final java.util.concurrent.ExecutorService completer;

  private volatile java.util.function.IntConsumer groupCommitListener = n -> {};
  // committer thread only: the last group's size and how long its WAL PUT took
  private int lastGroupSize;
  private long lastPutNanos;

  /** The longest an adaptive group waits for the rest of the previous group's clients. */
  private static final long MAX_ADAPTIVE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

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
    public final AtomicLong writesThrottled = new AtomicLong();
  }

  private record Pending(WriteBatch batch, byte[] payload, CompletableFuture<Long> result) {}

  /** The end of full compaction number {@code ticket}: {@code error} is null on success. */
  private record CompactionOutcome(long ticket, RuntimeException error) {}

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
    this.completer =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "nami-write-completer");
              t.setDaemon(true);
              return t;
            });
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
    try {
      writer.start();
    } catch (RuntimeException | Error e) {
      writer.completer.shutdown();
      throw e;
    }
    return writer;
  }

  private void start() {
    probeConditionalCreate();
    manifest =
        manifests.claim(writerId, config.ids()::newId, config.clock(), config.claimAttempts());
    stats.manifestsWritten.incrementAndGet();
    committedAt.put(manifest.version(), config.clock().millis());
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
    committer = new Thread(this::commitLoop, "nami-wal-committer-" + writerId);
    committer.setDaemon(true);
    committer.start();
    flusher = new Thread(this::flushLoop, "nami-flusher-" + writerId);
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
    try {
      store.putIfAbsent(key, marker);
    } catch (ObjectExistsException e) {
      // A retry of our own create whose first response was lost finds the object: ours if it
      // holds our marker (the key names this writer alone).
      if (!java.util.Arrays.equals(store.get(key), marker)) {
        throw new NamiException(
            Kind.INTERNAL,
            "probe object taken by other content. location=" + store.location() + " key=" + key);
      }
    }
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

  /**
   * Applies segments {@code from, from+1, ...} up to the end of the log; returns the first free id.
   * A missing segment with a later one above it is a hole and refuses the open (CORRUPT).
   */
  private long replayFrom(long from) {
    long id = from;
    while (true) {
      Optional<WalSegment> segment = wal.readTail(id);
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
      if (outcome.existing().epoch() == manifest.writerEpoch()) {
        throw new io.namidb.engine.CorruptObjectException(
            "a wal segment carries this writer's fresh epoch but not its bytes. location="
                + store.location()
                + " segment="
                + id
                + " epoch="
                + manifest.writerEpoch());
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
    long held = memtableBytes();
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
                  + store.location()));
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
    List<Pending> group = List.of();
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
        group = new ArrayList<>();
        group.add(first);
        long bytes = first.payload().length;
        // A fixed window waits for it whole. Without one, the group takes what is queued, and
        // waits only for as many batches as the previous group held (the clients it acknowledged
        // coming back), at most half of that group's PUT time: an idle writer commits a lone
        // batch at once, a busy one keeps its groups (and its PUTs per write) from splitting.
        long window = config.groupCommitWindow().toNanos();
        int expected = window > 0 ? Integer.MAX_VALUE : lastGroupSize;
        long deadline =
            System.nanoTime()
                + (window > 0 ? window : Math.min(MAX_ADAPTIVE_WAIT_NANOS, lastPutNanos / 2));
        while (bytes < config.groupCommitMaxBytes()) {
          Pending next = queue.poll();
          if (next == null && group.size() < expected) {
            long wait = deadline - System.nanoTime();
            next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
          }
          if (next == null) {
            break;
          }
          group.add(next);
          bytes += next.payload().length;
        }
        lastGroupSize = group.size();
        commitGroup(group);
        group = List.of();
        maybeFreeze();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      String reason = "wal committer interrupted. location=" + store.location();
      stop(State.FAILED, reason);
      failAll(group, new NamiException(Kind.TRANSIENT, reason));
    } catch (RuntimeException | Error e) {
      // Whatever the group off the queue was doing (encoding, the PUT, applying), its futures must
      // still complete: a completed one is left as it is.
      LOG.log(Level.SEVERE, "wal committer failed", e);
      String reason = "wal committer failed; restart to recover. cause=" + e;
      stop(State.FAILED, reason);
      failAll(group, new NamiException(Kind.TRANSIENT, reason));
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
      long putStart = System.nanoTime();
      outcome = wal.put(id, bytes);
      lastPutNanos = System.nanoTime() - putStart;
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
      // Only a newer epoch may take an id above our fence; a segment of our own or an older epoch
      // means the log was written behind our back (a copy into a live prefix).
      long theirEpoch = outcome.existing().epoch();
      boolean newer = theirEpoch > manifest.writerEpoch();
      String reason =
          newer
              ? "fenced: another writer took the wal segment." + segmentClash(id, theirEpoch)
              : "corrupt: a wal segment of this or an older epoch sits where this writer's next"
                  + " segment belongs; this writer stops."
                  + segmentClash(id, theirEpoch);
      stop(newer ? State.FENCED : State.FAILED, reason);
      failAll(
          accepted,
          newer
              ? new FencedException(reason)
              : new io.namidb.engine.CorruptObjectException(reason));
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
    for (Pending p : accepted) {
      complete(p, id);
    }
    try {
      groupCommitListener.accept(accepted.size());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "group commit listener failed; ignored", e);
    }
  }

  /** Where a WAL segment id clashed with another writer's segment, for messages. */
  private String segmentClash(long id, long theirEpoch) {
    return " location="
        + store.location()
        + " segment="
        + id
        + " ourEpoch="
        + manifest.writerEpoch()
        + " theirEpoch="
        + theirEpoch;
  }

  /** Completes a write's future on the completer thread (inline once the writer is closed). */
  private void complete(Pending p, long lsn) {
    try {
      completer.execute(() -> p.result().complete(lsn));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      p.result().complete(lsn);
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
        failAll(List.of(p), new NamiException(Kind.INVALID_INPUT, problem));
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

  /** Fails writes on the completer thread (inline once the writer is closed). */
  private void failAll(List<Pending> pendings, NamiException error) {
    if (pendings.isEmpty()) {
      return;
    }
    List<Pending> copy = List.copyOf(pendings);
    Runnable fail = () -> copy.forEach(p -> p.result().completeExceptionally(error));
    try {
      completer.execute(fail);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      fail.run();
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
   * Asks for a flush of everything written so far and waits (at most 5 minutes) until it is in a
   * manifest and the flusher's round that wrote it (with its compaction and GC) has finished.
   */
  public void flush() {
    flush(Duration.ofMinutes(5));
  }

  /**
   * As {@link #flush()}, waiting at most {@code timeout}. Writes arriving meanwhile do not prolong
   * the wait: only what was written before the call must reach a manifest.
   *
   * @throws NamiException TRANSIENT if it did not finish in time (the flush goes on), or the
   *     writer's own error if it stopped being the writer
   */
  public void flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long target = lastDataSegment;
    flushRequested = true;
    while (manifest.walCheckpoint() < target) {
      awaitFlusher(deadline, "flush", timeout);
    }
    long round = roundsDone;
    while (flusherBusy && roundsDone == round && state == State.WRITER) {
      awaitFlusher(deadline, "flush", timeout);
    }
  }

  /** One short wait for the flusher, after waking it; fails if the writer stopped or time is up. */
  private void awaitFlusher(long deadline, String what, Duration timeout) {
    if (state != State.WRITER) {
      throw notAccepting();
    }
    if (System.nanoTime() > deadline) {
      throw new NamiException(
          Kind.TRANSIENT,
          what
              + " did not finish within "
              + timeout
              + "; it goes on in the background. location="
              + store.location());
    }
    synchronized (flushSignal) {
      flushSignal.notifyAll();
      try {
        flushSignal.wait(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NamiException(Kind.TRANSIENT, what + " interrupted", e);
      }
    }
  }

  /** On the committer thread: freezes the active memtable when it is big, old or asked for. */
  private void maybeFreeze() {
    if (state != State.WRITER) {
      // a FAILED writer's memtable may hold a half-applied batch: it must never reach an SST
      return;
    }
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

  /**
   * The flusher: each round flushes the memtables frozen when it began (oldest first), then runs a
   * compaction (a full one if {@link #compact} asked) and GC. A failed round is retried; an
   * interrupt does not stop it, only closing or losing the namespace does.
   */
  private void flushLoop() {
    while (true) {
      long ticket = compactTicket;
      boolean fullCompaction = ticket > compactOutcome.ticket();
      synchronized (flushSignal) {
        if (readState.get().frozen().isEmpty() && !fullCompaction) {
          flusherBusy = false;
          if (closing || state != State.WRITER) {
            return;
          }
          try {
            flushSignal.wait(100);
          } catch (InterruptedException e) {
            if (closing) {
              return;
            }
            LOG.warning(
                "flusher interrupted; it keeps flushing until the writer closes. location="
                    + store.location());
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
        for (int i = frozen.size() - 1; i >= 0; i--) {
          flushOne(frozen.get(i));
        }
        compactIfDue(fullCompaction ? 2 : config.compactAfter());
        collectGarbage();
        if (fullCompaction) {
          compactOutcome = new CompactionOutcome(ticket, null);
        }
      } catch (FencedException e) {
        if (fullCompaction) {
          compactOutcome = new CompactionOutcome(ticket, e);
        }
        return; // stop() already recorded why
      } catch (RuntimeException e) {
        if (fullCompaction) {
          compactOutcome = new CompactionOutcome(ticket, e);
        }
        // The data is safe in the WAL; try again later, unless the writer is closing.
        LOG.log(Level.WARNING, "flush failed; will retry. location=" + store.location(), e);
        if (closing) {
          return;
        }
        sleepQuietly(1000);
      } catch (Error e) {
        LOG.log(Level.SEVERE, "flusher failed", e);
        stop(State.FAILED, "flusher failed: " + e);
        if (fullCompaction) {
          compactOutcome =
              new CompactionOutcome(ticket, new NamiException(Kind.INTERNAL, e.toString()));
        }
        return;
      }
      roundsDone++;
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
      if (state != State.WRITER) {
        throw notAccepting(); // a FAILED or FENCED writer commits nothing more
      }
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
          committedAt.put(next.version(), config.clock().millis());
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
   * each (what a bulk load should end with: one SST to read per hop). Waits at most 30 minutes.
   */
  public void compact() {
    compact(Duration.ofMinutes(30));
  }

  /**
   * As {@link #compact()}, waiting at most {@code timeout} in all.
   *
   * @throws NamiException TRANSIENT if the compaction failed (with its cause) or did not finish in
   *     time (it goes on in the background); FENCED if the writer lost the namespace meanwhile
   */
  public void compact(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    flush(timeout); // first everything written so far into SSTs, then merge them
    long ticket;
    synchronized (flushSignal) {
      ticket = ++compactTicket;
      flushSignal.notifyAll();
    }
    while (compactOutcome.ticket() < ticket) {
      awaitFlusher(deadline, "compaction", timeout);
    }
    RuntimeException error = compactOutcome.error();
    if (error instanceof NamiException nami && nami.kind() == Kind.FENCED) {
      throw nami;
    }
    if (error != null) {
      throw new NamiException(
          Kind.TRANSIENT,
          "compaction failed: " + error.getMessage() + ". location=" + store.location(),
          error);
    }
  }

  /**
   * Merges the SSTs of each label and edge type that has {@code threshold} or more, uploading each
   * merge's output at once and committing them all in one manifest: a round costs one version of
   * the retention window, however many labels it merges.
   */
  private void compactIfDue(int threshold) {
    long start = System.nanoTime();
    Snapshot snap = readState.get().snapshot();
    List<io.namidb.engine.manifest.SstEntry> inputs = new ArrayList<>();
    List<SstBuilder.File> outputs = new ArrayList<>();
    int merged = 0;
    for (String label : snap.labels()) {
      if (snap.nodeSsts(label).size() >= threshold) {
        merged += mergeLabel(snap, label, inputs, outputs);
      }
    }
    for (String type : snap.edgeTypes()) {
      if (snap.edgeSsts(type, Direction.OUT).size() >= threshold) {
        merged += mergeEdgeType(snap, type, inputs, outputs);
      }
    }
    if (merged == 0) {
      return;
    }
    replaceSsts(inputs, outputs);
    stats.compactions.addAndGet(merged);
    stats.compactionNanos.addAndGet(System.nanoTime() - start);
  }

  /**
   * Merges every SST of a label into one (uploaded); tombstones go, since nothing older remains.
   */
  private int mergeLabel(
      Snapshot snap,
      String label,
      List<io.namidb.engine.manifest.SstEntry> inputs,
      List<SstBuilder.File> outputs) {
    List<io.namidb.engine.manifest.SstEntry> ssts = snap.nodeSsts(label);
    if (ssts.size() < 2) {
      return 0;
    }
    List<io.namidb.engine.sst.NodeRow> rows = new ArrayList<>();
    snap.scan(label)
        .forEach(
            (key, props) -> {
              if (props != null) {
                rows.add(new io.namidb.engine.sst.NodeRow(key, props));
              }
            });
    if (!rows.isEmpty()) {
      SstBuilder.File out = SstBuilder.nodes(label, rows, this::nextSstId, 1, schema());
      upload(List.of(out));
      outputs.add(out);
    }
    inputs.addAll(ssts);
    return 1;
  }

  /** Merges every SST of an edge type (both directions) into one pair (uploaded). */
  private int mergeEdgeType(
      Snapshot snap,
      String type,
      List<io.namidb.engine.manifest.SstEntry> inputs,
      List<SstBuilder.File> outputs) {
    List<io.namidb.engine.manifest.SstEntry> ssts =
        new ArrayList<>(snap.edgeSsts(type, Direction.OUT));
    ssts.addAll(snap.edgeSsts(type, Direction.IN));
    if (ssts.size() < 4) {
      return 0;
    }
    List<MemTable.EdgeVersion> live = new ArrayList<>();
    snap.scanEdges(type, Direction.OUT)
        .forEach(
            (id, edge) -> {
              if (edge != null) {
                live.add(new MemTable.EdgeVersion(id, edge));
              }
            });
    if (!live.isEmpty()) {
      List<SstBuilder.File> files = SstBuilder.edges(type, live, this::nextSstId, 1);
      upload(files);
      outputs.addAll(files);
    }
    inputs.addAll(ssts);
    return 1;
  }

  /** Commits one manifest that swaps {@code inputs} for {@code outputs} (already uploaded). */
  private void replaceSsts(
      List<io.namidb.engine.manifest.SstEntry> inputs, List<SstBuilder.File> outputs) {
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
   * Deletes what no retained manifest names: manifest versions outside the retention, then the SSTs
   * no retained version names, then WAL segments at or below the oldest retained checkpoint (in
   * this order, so that a crash in between never leaves a manifest naming a missing object).
   *
   * <p>Retained: the newest {@code retainVersions} versions; versions this writer committed within
   * {@code retainFor} on its own clock; versions pinned by readers in this process ({@link Pins},
   * {@link #pinnedView}) or held by live reader leases of other processes ({@link ReaderLeases});
   * and each epoch's claim (first) version. No time written by another process's clock is compared
   * with this one's. SSTs of a newer epoch are never touched, and nothing is deleted once a newer
   * epoch has claimed the namespace: the epoch is checked first.
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
    if (versions.isEmpty() || !stillOurs(versions.get(versions.size() - 1))) {
      return;
    }
    long now = config.clock().millis();
    java.util.Set<Long> held = new java.util.HashSet<>(pins.pinned());
    held.addAll(leases.liveVersions(store, now));
    java.util.Set<String> live = new java.util.HashSet<>();
    long minCheckpoint = Long.MAX_VALUE;
    List<Long> deletable = new ArrayList<>();
    java.util.TreeMap<Long, Long> epochOf = new java.util.TreeMap<>();
    for (int i = versions.size() - 1; i >= 0; i--) {
      long v = versions.get(i);
      boolean newest = versions.size() - i <= config.retainVersions();
      Long committed = committedAt.get(v);
      boolean recent = committed != null && now - committed < config.retainFor().toMillis();
      if (newest || recent || held.contains(v)) {
        Manifest m;
        try {
          m = v == manifest.version() ? manifest : manifests.read(v);
        } catch (io.namidb.engine.store.ObjectNotFoundException e) {
          continue;
        }
        epochCache.put(v, m.writerEpoch());
        epochOf.put(v, m.writerEpoch());
        m.ssts().forEach(e -> live.add(e.key()));
        minCheckpoint = Math.min(minCheckpoint, m.walCheckpoint());
      } else {
        Long epoch = epochCache.get(v); // manifests never change: each is read once per writer
        if (epoch == null) {
          try {
            epoch = manifests.read(v).writerEpoch();
          } catch (io.namidb.engine.store.ObjectNotFoundException e) {
            continue;
          }
          epochCache.put(v, epoch);
        }
        epochOf.put(v, epoch);
        deletable.add(v);
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
      epochCache.remove(v);
      committedAt.remove(v);
      stats.objectsDeleted.incrementAndGet();
    }
    long epoch = manifest.writerEpoch();
    for (io.namidb.engine.store.ObjectInfo info : store.list("sst/")) {
      String key = info.key();
      if (live.contains(key)) {
        continue;
      }
      long sstEpoch;
      try {
        sstEpoch = io.namidb.engine.sst.SstNames.epochOf(io.namidb.engine.sst.SstNames.idOf(key));
      } catch (RuntimeException e) {
        continue; // not ours to judge
      }
      if (sstEpoch < epoch || (sstEpoch == epoch && Thread.currentThread() == flusher)) {
        store.delete(key);
        stats.objectsDeleted.incrementAndGet();
      }
    }
    if (minCheckpoint != Long.MAX_VALUE) {
      java.util.Set<String> listed = new java.util.HashSet<>();
      for (io.namidb.engine.store.ObjectInfo info : store.list("wal/")) {
        listed.add(info.key());
        long id = WalSegment.idOf(info.key());
        if (id > 0 && id <= minCheckpoint && !isFence(info)) {
          store.delete(info.key());
          stats.objectsDeleted.incrementAndGet();
        }
      }
      fenceCache.retainAll(listed);
    }
  }

  /**
   * Whether no newer epoch has claimed the namespace, judged by the newest manifest version. If one
   * has, this writer is fenced and must delete nothing: the namespace is no longer its to clean.
   */
  private boolean stillOurs(long newestVersion) {
    if (newestVersion <= manifest.version()) {
      return true;
    }
    Manifest newest = readQuietly(newestVersion);
    if (newest == null || newest.writerEpoch() <= manifest.writerEpoch()) {
      return true;
    }
    stop(
        State.FENCED,
        "fenced: a newer writer claimed the namespace (seen before collecting garbage). location="
            + store.location()
            + " version="
            + newestVersion
            + " ourEpoch="
            + manifest.writerEpoch()
            + " theirEpoch="
            + newest.writerEpoch()
            + " theirWriter="
            + newest.writerId());
    return false;
  }

  /** Whether a WAL object is a fence segment (small: read only those, each once). */
  private boolean isFence(io.namidb.engine.store.ObjectInfo info) {
    if (fenceCache.contains(info.key())) {
      return true;
    }
    boolean fence = io.namidb.engine.wal.WalSegments.isFence(store, info);
    if (fence) {
      fenceCache.add(info.key());
    }
    return fence;
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
    if (next.isEmpty() || writerId.equals(next.get().writerId())) {
      return state; // nothing there, or our own segment landing right now
    }
    long theirEpoch = next.get().epoch();
    if (theirEpoch > manifest.writerEpoch()) {
      stop(
          State.FENCED,
          "fenced: a newer writer fenced the wal." + segmentClash(lastSegment + 1, theirEpoch));
    } else {
      stop(
          State.FAILED,
          "corrupt: a wal segment of this or an older epoch sits above this writer's last one."
              + segmentClash(lastSegment + 1, theirEpoch));
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

  /**
   * As {@link #view()}, with its manifest version pinned until the returned view is closed: GC
   * keeps every object it names (queries and HTTP reads use this).
   */
  public PinnedView pinnedView() {
    // The view's version is among the newest retainVersions ones (GC keeps those) from the moment
    // it is taken until it is pinned: a few instructions, not retainVersions manifest commits.
    GraphView v = view();
    long version = v.snapshot().manifest().version();
    pins.pin(version);
    return new PinnedView(v, () -> pins.unpin(version));
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
    if (flusher != null) {
      flusher.interrupt(); // cuts a retry pause short; the data is in the WAL either way
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
    completer.shutdown(); // runs what it holds: every accepted write's future completes
    try {
      if (!completer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warning("write callbacks still running at close. location=" + store.location());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (intake) {
      if (state == State.WRITER || state == State.STARTING) {
        state = State.CLOSED;
        stateReason = "writer closed";
      }
    }
  }
}
