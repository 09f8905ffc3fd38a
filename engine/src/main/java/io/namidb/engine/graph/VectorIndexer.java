package io.namidb.engine.graph;

import io.namidb.engine.DaemonThreads;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.schema.LabelDef;
import io.namidb.engine.schema.PropertyType;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.sst.NodeRow;
import io.namidb.engine.sst.SstNames;
import io.namidb.engine.sst.VectorIndex;
import io.namidb.engine.store.ObjectExistsException;
import io.namidb.engine.store.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the {@link VectorIndex} of each node SST, on one background thread of the writer, after
 * the manifest that names the SST is committed: never inside a flush, a compaction or a bulk-load
 * commit, which cost what they cost without indexes. Until an SST's index is there, search scans
 * the SST ({@link VectorSearch}); an index is a cache of its SST, so a build that fails (store
 * error, writer stopping) is logged and left for the next commit or the next writer to retry.
 *
 * <p>Every committed manifest is looked at ({@link #committed}), and the writer's first one at
 * open, so SSTs of a restored namespace or of a writer that stopped mid-build get their indexes
 * too. An index is built for each {@code VECTOR} property of the label in node SSTs of at least
 * {@link #MIN_ROWS} rows, created if absent beside the SST; an SST that is no longer live when its
 * turn comes is skipped. GC deletes an index with its SST ({@link SstNames#ownerOf}); one written
 * after GC listed the store is an orphan for the next GC to take.
 */
final class VectorIndexer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(VectorIndexer.class.getName());

  /**
   * Node SSTs with fewer rows than this are scanned rather than indexed: a scan of a few hundred
   * rows costs less than loading an index.
   */
  static final int MIN_ROWS = 1000;

  private final ObjectStore store;
  private final SstReaders readers;
  private final Supplier<Manifest> current;
  private final NamespaceWriter.Stats stats;
  private final ExecutorService worker;

  /** Index keys queued or built by this writer: each is looked at once. */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  private final Object idle = new Object();
  private int pending;

  VectorIndexer(
      ObjectStore store,
      SstReaders readers,
      Supplier<Manifest> current,
      NamespaceWriter.Stats stats) {
    this.store = store;
    this.readers = readers;
    this.current = current;
    this.stats = stats;
    this.worker = Executors.newSingleThreadExecutor(DaemonThreads.named("nami-vector-index"));
  }

  /** Queues the indexes {@code manifest}'s SSTs should have and this writer has not looked at. */
  void committed(Manifest manifest) {
    Schema schema;
    try {
      schema = Schema.fromJson(manifest.schema());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "vector indexes skipped: schema unreadable", e);
      return;
    }
    for (SstEntry sst : manifest.ssts()) {
      if (!sst.kind().equals("node") || sst.rows() < MIN_ROWS) {
        continue;
      }
      LabelDef label = schema.labels().get(sst.name());
      if (label == null) {
        continue;
      }
      for (Map.Entry<String, PropertyType> p : label.properties().entrySet()) {
        if (p.getValue().kind() != PropertyType.Kind.VECTOR) {
          continue;
        }
        String key = SstNames.vectorIndex(sst.key(), p.getKey());
        if (!seen.add(key)) {
          continue;
        }
        synchronized (idle) {
          pending++;
        }
        try {
          worker.execute(() -> build(sst, p.getKey(), p.getValue().dim(), key));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
          done();
          return;
        }
      }
    }
  }

  private void build(SstEntry sst, String property, int dim, String key) {
    try {
      if (!current.get().ssts().contains(sst) || store.head(key).isPresent()) {
        return;
      }
      List<Object> keys = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (NodeRow row : readers.node(sst).all()) {
        if (!row.tombstone() && row.props().get(property) instanceof float[] v && v.length == dim) {
          keys.add(row.key());
          vectors.add(v);
        }
      }
      if (keys.isEmpty()) {
        return;
      }
      try {
        store.putIfAbsent(key, VectorIndex.build(keys, vectors));
      } catch (ObjectExistsException e) {
        // built before (a retried PUT that landed, or an earlier writer): same rows, same index
      }
      readers.vectorIndexWritten(key);
      stats.vectorIndexesBuilt.incrementAndGet();
    } catch (RuntimeException e) {
      if (worker.isShutdown()) {
        // closing interrupted it: nothing is wrong, and the next writer builds it
        LOG.info(
            "vector index build stopped by close; the next writer builds it. location="
                + store.location()
                + " key="
                + key);
        return;
      }
      LOG.log(
          Level.WARNING,
          "vector index not built; the SST is scanned until it is. location="
              + store.location()
              + " key="
              + key,
          e);
    } finally {
      done();
    }
  }

  private void done() {
    synchronized (idle) {
      pending--;
      idle.notifyAll();
    }
  }

  /** Waits until every queued build has finished; false if {@code timeout} passed first. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (pending > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
      }
      return true;
    }
  }

  /** Stops building: a build under way is interrupted at its next store call or left to finish. */
  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
