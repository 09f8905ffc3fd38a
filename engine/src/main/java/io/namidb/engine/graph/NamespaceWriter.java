package io.namidb.engine.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failsafe.RetryPolicy;
import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.Retries;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.store.ObjectExistsException;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
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
 *
 * <p>Its parts: {@link Recovery} opens, {@link Committer} writes the WAL, {@link ManifestCommitter}
 * commits every manifest version, and each asks the {@link Lifecycle} before it commits anything.
 * {@link Tables} holds the memtables and snapshot they share. Flush, compaction and GC run on this
 * class's flusher thread.
 */
public final class NamespaceWriter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NamespaceWriter.class.getName());

  /** Lifecycle of a writer. */
  public enum State {
    STARTING,
    WRITER,
    FENCED,
    FAILED,
    CLOSED
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

  private final ObjectStore store;
  private final String writerId;
  private final Pins pins;
  private final Stats stats = new Stats();
  private final Lifecycle lifecycle;
  private final ManifestCommitter manifests;
  private final Tables tables;
  private final WriterConfig config;
  private final Committer committer;
  private final AtomicLong sstSequence = new AtomicLong();
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
  private final Map<Long, Long> epochCache = new ConcurrentHashMap<>();

  /** WAL keys known to be fence segments (GC reads each once). */
  private final Set<String> fenceCache = ConcurrentHashMap.newKeySet();

  private volatile long activeSince;
  private final Thread flusherThread;

  /** The end of full compaction number {@code ticket}: {@code error} is null on success. */
  private record CompactionOutcome(long ticket, RuntimeException error) {}

  private NamespaceWriter(ObjectStore store, WriterConfig config, Pins pins) {
    this.store = store;
    this.pins = pins;
    this.writerId = config.ids().newId("w");
    RetryPolicy<Object> retry =
        Retries.transientFailures(
            config.storeAttempts(), config.initialBackoff(), Duration.ofSeconds(5));
    ManifestStore manifestStore = new ManifestStore(store, retry);
    WalLog wal = new WalLog(store, retry);
    SstReaders readers = new SstReaders(store, config.cacheBytes());
    lifecycle = new Lifecycle(store.location());
    manifests =
        new ManifestCommitter(manifestStore, config, writerId, store.location(), lifecycle, stats);
    tables =
        new Recovery(store, config, writerId, wal, lifecycle, stats)
            .run(manifestStore, manifests, readers);
    this.config = config;
    activeSince = config.clock().millis();
    committer =
        new Committer(
            config,
            writerId,
            store.location(),
            wal,
            tables,
            manifests,
            lifecycle,
            stats,
            this::maybeFreeze);
    lifecycle.onStop(
        () -> {
          committer.failQueued();
          synchronized (flushSignal) {
            flushSignal.notifyAll();
          }
        });
    lifecycle.started();
    committer.start();
    flusherThread = new Thread(this::flushLoop, "nami-flusher-" + writerId);
    flusherThread.setDaemon(true);
    flusherThread.start();
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
    return new NamespaceWriter(store, config, pins);
  }

  /**
   * Submits a batch. The future completes with the batch's LSN (the id of the WAL segment that
   * holds it) once that segment is durable, or exceptionally with a {@link NamiException}:
   * INVALID_INPUT (the whole batch refused, nothing applied), FENCED, or TRANSIENT.
   */
  public CompletableFuture<Long> write(WriteBatch batch) {
    return committer.submit(batch);
  }

  /** The namespace's schema: writes are validated against it. */
  public Schema schema() {
    return manifests.schema();
  }

  /**
   * Applies an additive schema change (the body of {@code PUT /v1/schema}) and commits it in a new
   * manifest version; a change that adds nothing writes nothing.
   *
   * @return the schema now in force
   * @throws io.namidb.engine.schema.SchemaConflictException for a non-additive change (409)
   * @throws NamiException INVALID_INPUT for a malformed change
   */
  public Schema evolveSchema(JsonNode change) {
    return manifests.evolveSchema(change);
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
    long target = tables.lastDataSegment();
    flushRequested = true;
    while (manifests.current().walCheckpoint() < target) {
      awaitFlusher(deadline, "flush", timeout);
    }
    long round = roundsDone;
    while (flusherBusy && roundsDone == round && lifecycle.isWriter()) {
      awaitFlusher(deadline, "flush", timeout);
    }
  }

  /** One short wait for the flusher, after waking it; fails if the writer stopped or time is up. */
  private void awaitFlusher(long deadline, String what, Duration timeout) {
    if (!lifecycle.isWriter()) {
      throw lifecycle.refusal();
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
        if (tables.frozen().isEmpty() && !fullCompaction) {
          flusherBusy = false;
          if (lifecycle.closing() || !lifecycle.isWriter()) {
            return;
          }
          try {
            flushSignal.wait(100);
          } catch (InterruptedException e) {
            if (lifecycle.closing()) {
              return;
            }
            LOG.warning(
                "flusher interrupted; it keeps flushing until the writer closes. location="
                    + store.location());
          }
          continue;
        }
      }
      if (!lifecycle.isWriter()) {
        return;
      }
      flusherBusy = true;
      try {
        List<Tables.Frozen> frozen = tables.frozen();
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
        if (lifecycle.closing()) {
          return;
        }
        sleepQuietly(1000);
      } catch (Error e) {
        LOG.log(Level.SEVERE, "flusher failed", e);
        lifecycle.stop(State.FAILED, "flusher failed: " + e);
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

  private void flushOne(Tables.Frozen frozen) {
    long start = System.nanoTime();
    MemTable table = frozen.table();
    List<SstBuilder.File> files =
        SstBuilder.fromMemTable(table, this::nextSstId, manifests.schema());
    upload(files);
    Manifest committed =
        manifests.commit(
            m -> {
              List<io.namidb.engine.manifest.SstEntry> ssts = new ArrayList<>(m.ssts());
              files.forEach(f -> ssts.add(f.entry()));
              return m.withSsts(ssts).withWalCheckpoint(frozen.upToSegment());
            });
    tables.flushed(frozen, committed);
    stats.flushes.incrementAndGet();
    stats.flushNanos.addAndGet(System.nanoTime() - start);
  }

  private String nextSstId() {
    return io.namidb.engine.sst.SstNames.id(
        manifests.current().writerEpoch(), sstSequence.incrementAndGet());
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
              "sst name taken by other content. location=" + store.location() + " key=" + key);
        }
      }
      stats.sstsWritten.incrementAndGet();
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
    Snapshot snap = tables.snapshot();
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
      SstBuilder.File out = SstBuilder.nodes(label, rows, this::nextSstId, 1, manifests.schema());
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
        manifests.commit(
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
    tables.committed(committed);
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
      Long committed = manifests.committedAt().get(v);
      boolean recent = committed != null && now - committed < config.retainFor().toMillis();
      if (newest || recent || held.contains(v)) {
        Manifest m;
        try {
          m = manifests.read(v);
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
            epoch = manifests.epochOf(v);
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
      manifests.forget(v);
      stats.objectsDeleted.incrementAndGet();
    }
    long epoch = manifests.current().writerEpoch();
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
      if (sstEpoch < epoch || (sstEpoch == epoch && Thread.currentThread() == flusherThread)) {
        store.delete(key);
        stats.objectsDeleted.incrementAndGet();
      }
    }
    if (minCheckpoint != Long.MAX_VALUE) {
      java.util.Set<String> listed = new java.util.HashSet<>();
      for (io.namidb.engine.store.ObjectInfo info : store.list("wal/")) {
        listed.add(info.key());
        long id = io.namidb.engine.wal.WalSegment.idOf(info.key());
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
    Manifest ours = manifests.current();
    if (newestVersion <= ours.version()) {
      return true;
    }
    Manifest newest = manifests.readQuietly(newestVersion);
    if (newest == null || newest.writerEpoch() <= manifests.current().writerEpoch()) {
      return true;
    }
    lifecycle.stop(
        State.FENCED,
        "fenced: a newer writer claimed the namespace (seen before collecting garbage). location="
            + store.location()
            + " version="
            + newestVersion
            + " ourEpoch="
            + manifests.current().writerEpoch()
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
    return tables.memtableBytes();
  }

  /** Called on the committer thread with the number of batches of each group commit. */
  public void onGroupCommit(IntConsumer listener) {
    committer.onGroupCommit(listener);
  }

  /**
   * Looks whether another writer has taken the namespace although this one has not written since: a
   * WAL segment at the next id written by a higher epoch means fenced. Cheap (one GET); lets an
   * idle writer report not-ready. Returns the state after the check.
   */
  public State checkSuperseded() {
    committer.checkSuperseded();
    return lifecycle.state();
  }

  /**
   * What reads see now, pinned: memtables over the current snapshot, as of the last batch applied
   * whole. Batches applied later, flushes and compactions do not change it.
   */
  public GraphView view() {
    return tables.view();
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
    return manifests.current();
  }

  public State state() {
    return lifecycle.state();
  }

  /** Why the writer is FENCED or FAILED; empty otherwise. */
  public String stateReason() {
    return lifecycle.reason();
  }

  public long epoch() {
    return manifests.current().writerEpoch();
  }

  public long manifestVersion() {
    return manifests.current().version();
  }

  /** Id of the newest WAL segment this writer wrote (its fence until the first commit). */
  public long walSegment() {
    return tables.lastSegment();
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
    lifecycle.beginClose();
    synchronized (flushSignal) {
      flushSignal.notifyAll();
    }
    flusherThread.interrupt(); // cuts a retry pause short; the data is in the WAL either way
    try {
      committer.join();
      flusherThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    committer.close();
    lifecycle.closed();
  }
}
