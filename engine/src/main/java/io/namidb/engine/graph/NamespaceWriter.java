package io.namidb.engine.graph;

import dev.failsafe.RetryPolicy;
import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.Retries;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
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
  private final MemTable memTable = new MemTable();
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Object intake = new Object();
  private final Stats stats = new Stats();

  private volatile State state = State.STARTING;
  private volatile String stateReason = "";
  private volatile Manifest manifest;
  private volatile long lastSegment;
  private volatile boolean closing;
  private Thread committer;

  /** Counters for metrics. */
  public static final class Stats {
    public final AtomicLong segmentsWritten = new AtomicLong();
    public final AtomicLong batchesCommitted = new AtomicLong();
    public final AtomicLong batchesRejected = new AtomicLong();
    public final AtomicLong manifestsWritten = new AtomicLong();
    public final AtomicLong segmentsReplayed = new AtomicLong();
    public final AtomicLong walBytesWritten = new AtomicLong();
  }

  private record Pending(WriteBatch batch, byte[] payload, CompletableFuture<Long> result) {}

  private NamespaceWriter(ObjectStore store, WriterConfig config) {
    this.store = store;
    this.config = config;
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
    NamespaceWriter writer = new NamespaceWriter(store, config);
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
    long id = replayFrom(manifest.walCheckpoint() + 1);
    lastSegment = fence(id);
    state = State.WRITER;
    committer = new Thread(this::commitLoop, "nami-wal-committer");
    committer.setDaemon(true);
    committer.start();
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
      memTable.apply(batch);
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
      payload = BatchCodec.encode(batch);
    } catch (NamiException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (payload.length > config.maxBatchBytes()) {
      return CompletableFuture.failedFuture(
          new NamiException(
              Kind.INVALID_INPUT,
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
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(State.FAILED, "wal committer interrupted. location=" + store.location());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "wal committer failed", e);
      stop(State.FAILED, "wal committer failed: " + e.getMessage());
    }
  }

  private void commitGroup(List<Pending> group) {
    if (state != State.WRITER) {
      failAll(group, notAccepting());
      return;
    }
    List<Pending> accepted = validateAgainstState(group);
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
      failAll(accepted, new NamiException(Kind.TRANSIENT, reason, e));
      stop(State.FAILED, reason);
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
      failAll(accepted, new FencedException(reason));
      stop(State.FENCED, reason);
      return;
    }
    lastSegment = id;
    stats.segmentsWritten.incrementAndGet();
    stats.walBytesWritten.addAndGet(bytes.length);
    for (Pending p : accepted) {
      memTable.apply(p.batch());
    }
    stats.batchesCommitted.addAndGet(accepted.size());
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
    return memTable.node(key).isPresent();
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

  /** The newest version of a node, if it exists. */
  public Optional<Node> node(NodeKey key) {
    return memTable.node(key);
  }

  /** Edges of a node by type ({@code null}: every type) and direction. */
  public List<Edge> edges(NodeKey node, String type, Direction direction) {
    return memTable.edges(node, type, direction);
  }

  /** The memtable (read-only use: the read path and tests). */
  public MemTable memTable() {
    return memTable;
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
   * committer. Idempotent. Does not close the store.
   */
  @Override
  public void close() {
    synchronized (intake) {
      closing = true;
    }
    if (committer != null) {
      try {
        committer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
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
