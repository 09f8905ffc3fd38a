package io.namidb.engine.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failsafe.RetryPolicy;
import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.Retries;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

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
 * <p>A façade over the parts it is made of ({@code docs/design/0007-writer-parts.md}): {@link
 * Recovery} opens, {@link Committer} writes the WAL, {@link Flusher} moves memtables into SSTs,
 * {@link Compactor} merges them, {@link Collector} deletes what nothing retains, {@link
 * ManifestCommitter} commits every manifest version, and each asks the {@link Lifecycle} before it
 * commits anything. {@link Tables} holds the memtables and snapshot they share.
 */
public final class NamespaceWriter implements AutoCloseable {
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

    /** WAL segment PUTs of group commits, and the time spent in them (a retry's included). */
    public final AtomicLong walPuts = new AtomicLong();

    public final AtomicLong walPutNanos = new AtomicLong();

    /**
     * Groups formed by the committer thread, and the time each waited after its first batch for
     * more (the adaptive wait or the fixed window); a caller's own commit waits for none.
     */
    public final AtomicLong groupsFormed = new AtomicLong();

    public final AtomicLong groupWaitNanos = new AtomicLong();

    public final AtomicLong flushes = new AtomicLong();
    public final AtomicLong flushNanos = new AtomicLong();
    public final AtomicLong compactions = new AtomicLong();
    public final AtomicLong compactionNanos = new AtomicLong();
    public final AtomicLong sstsWritten = new AtomicLong();
    public final AtomicLong objectsDeleted = new AtomicLong();
    public final AtomicLong writesThrottled = new AtomicLong();
    public final AtomicLong vectorIndexesBuilt = new AtomicLong();
  }

  private final ObjectStore store;
  private final String writerId;
  private final Pins pins;
  private final Stats stats = new Stats();
  private final Lifecycle lifecycle;
  private final ManifestCommitter manifests;
  private final Tables tables;
  private final Collector collector;
  private final Flusher flusher;
  private final Committer committer;
  private final SstUploader ssts;
  private final VectorIndexer vectorIndexer;

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
    ssts = new SstUploader(store, manifests.current().writerEpoch(), stats);
    vectorIndexer = new VectorIndexer(store, readers, manifests::current, stats);
    manifests.onCommitted(vectorIndexer::committed);
    collector = new Collector(store, config, manifests, lifecycle, pins, stats);
    flusher =
        new Flusher(
            config,
            writerId,
            store.location(),
            tables,
            manifests,
            ssts,
            new Compactor(tables, manifests, ssts, stats),
            collector,
            lifecycle,
            stats);
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
            flusher::maybeFreeze,
            config.callerCommitsWhenIdle()
                && config.groupCommitWindow().isZero()
                && store.putsAreLocal());
    lifecycle.onStop(
        () -> {
          committer.failQueued();
          flusher.wake();
        });
    lifecycle.started();
    committer.start();
    flusher.start();
    vectorIndexer.committed(manifests.current());
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

  /**
   * Starts a bulk load: nodes and edges written straight into SSTs and committed with one manifest
   * version, all or nothing, through the same fencing as every commit; see {@link BulkLoad}. Its
   * commit holds this writer (writes wait) while it builds and uploads the SSTs.
   *
   * @throws NamiException the writer's refusal if it is not the writer any more
   */
  public BulkLoad bulkLoad() {
    lifecycle.checkWriter();
    return new BulkLoad(
        new BulkLoad.Target() {
          @Override
          public Manifest current() {
            return manifests.current();
          }

          @Override
          public Schema schema() {
            return manifests.schema();
          }

          @Override
          public GraphView view() {
            return tables.view();
          }

          @Override
          public Manifest holding(java.util.function.Supplier<Manifest> commit) {
            return committer.holding(
                () -> {
                  flusher.freezeNow();
                  return flusher.after(commit);
                });
          }

          @Override
          public void upload(SstBuilder.File file) {
            ssts.upload(List.of(file));
          }

          @Override
          public Manifest publish(List<SstBuilder.File> files) {
            Manifest committed =
                manifests.commit(
                    m -> {
                      List<io.namidb.engine.manifest.SstEntry> all = new ArrayList<>(m.ssts());
                      files.forEach(f -> all.add(f.entry()));
                      return m.withSsts(all);
                    });
            tables.committed(committed);
            return committed;
          }

          @Override
          public java.util.function.Supplier<String> sstIds() {
            return ssts::nextId;
          }
        });
  }

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
    flusher.flush(timeout);
  }

  /**
   * Waits until the vector indexes of every SST committed so far are built (they are built in the
   * background after each commit; search scans an SST until its index is there). For tools and
   * tests that want the indexed state; false if {@code timeout} passed first.
   */
  public boolean awaitVectorIndexes(Duration timeout) {
    try {
      return vectorIndexer.awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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
    flusher.compact(deadline, timeout);
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
    collector.collect(flusher.onFlusherThread());
  }

  /** Approximate heap held by the active and frozen memtables (for a memory gauge). */
  public long memtableBytes() {
    return tables.memtableBytes();
  }

  /** For tests: see {@link Committer#beforeGate}. */
  void committerBeforeGate(Runnable hook) {
    committer.beforeGate(hook);
  }

  /**
   * Called with the number of batches of each group commit, on the thread that committed it (the
   * committer thread, or a caller committing its own batch when the writer was idle).
   */
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
    flusher.interrupt(); // cuts a retry pause short; the data is in the WAL either way
    try {
      committer.join();
      flusher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    committer.close();
    vectorIndexer.close();
    lifecycle.closed();
  }
}
