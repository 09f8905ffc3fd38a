package io.namidb.engine.graph;

import io.namidb.engine.DaemonThreads;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalLog;
import java.time.Duration;
import java.util.List;

/**
 * A read-only view of a namespace from any process: opens a manifest version's snapshot straight
 * from the object store and never takes the epoch. {@link #open} reads the newest version and the
 * acknowledged writes in the WAL beyond its checkpoint; {@link #openVersion} pins an exact version
 * (its SSTs only). {@link #refresh} moves to the newest version.
 *
 * <p>The one object it writes is its reader lease ({@link ReaderLeases}: {@code readers/<id>.json},
 * renewed every third of its time to live, deleted on close), which keeps the writer's GC off the
 * version it reads. Where the credentials cannot write (read-only), it logs once and reads without
 * a lease, protected only by the writer's retention of its newest versions.
 */
public final class NamespaceReader implements AutoCloseable {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(NamespaceReader.class.getName());

  /** How long a lease protects the reader's version without a renewal (writer's clock). */
  static final Duration LEASE_TTL = Duration.ofSeconds(60);

  private final String readerId = io.namidb.engine.IdGenerator.secure().newId("r");
  private final java.util.concurrent.ScheduledExecutorService renewer;
  private long renewal;
  private boolean leaseWorks = true;
  private boolean closed;
  private final ObjectStore store;
  private final ManifestStore manifests;
  private final WalLog wal;
  private final SstReaders readers;
  private final Pins pins;
  private volatile GraphView view;
  private volatile Manifest manifest;

  private NamespaceReader(ObjectStore store, Pins pins, long cacheBytes) {
    this.store = store;
    this.manifests = new ManifestStore(store);
    this.wal =
        new WalLog(
            store,
            io.namidb.engine.Retries.transientFailures(
                6, Duration.ofMillis(20), Duration.ofSeconds(2)));
    this.readers = new SstReaders(store, cacheBytes);
    this.pins = pins;
    this.renewer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("nami-reader-lease"));
    long period = LEASE_TTL.toMillis() / 3;
    renewer.scheduleWithFixedDelay(
        this::renewLease, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Rewrites the lease (a new renewal count) for the version now read. */
  private synchronized void renewLease() {
    Manifest m = manifest;
    if (closed || !leaseWorks || m == null) {
      return;
    }
    try {
      store.put(
          ReaderLeases.key(readerId),
          ReaderLeases.encode(readerId, m.version(), LEASE_TTL, ++renewal));
    } catch (io.namidb.engine.NamiException e) {
      leaseWorks = false;
      LOG.warning(
          "could not write this reader's lease, reading without one (the writer's GC keeps only"
              + " its newest versions for us). location="
              + store.location()
              + " cause="
              + e.getMessage());
    }
  }

  /** The id of this reader's lease object {@code readers/<id>.json}. */
  public String readerId() {
    return readerId;
  }

  /** The newest version plus the WAL tail. */
  public static NamespaceReader open(ObjectStore store) {
    return open(store, new Pins());
  }

  public static NamespaceReader open(ObjectStore store, Pins pins) {
    return open(store, pins, 256L << 20);
  }

  /** As {@link #open(ObjectStore, Pins)} with {@code cacheBytes} for cached SST parts. */
  public static NamespaceReader open(ObjectStore store, Pins pins, long cacheBytes) {
    NamespaceReader reader = new NamespaceReader(store, pins, cacheBytes);
    try {
      reader.refresh();
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    return reader;
  }

  /** Exactly manifest {@code version}: its SSTs, no WAL tail. Pinned until closed. */
  public static NamespaceReader openVersion(ObjectStore store, long version, Pins pins) {
    NamespaceReader reader = new NamespaceReader(store, pins, 64L << 20);
    try {
      Manifest m = reader.manifests.read(version);
      reader.install(m, List.of());
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    return reader;
  }

  /**
   * Moves to the newest manifest version and the WAL beyond it. Returns the version. A hole in the
   * WAL tail is refused (CORRUPT) as the writer refuses it, unless a newer manifest already folded
   * the missing segment into SSTs (its GC then deleted it): then the refresh starts over from that
   * manifest.
   */
  public synchronized long refresh() {
    for (int attempt = 1; ; attempt++) {
      Manifest m = manifests.latest().orElse(Manifest.empty());
      try {
        install(m, List.of(replayTail(m)));
        return m.version();
      } catch (io.namidb.engine.CorruptObjectException hole) {
        Manifest newer = manifests.latest().orElse(Manifest.empty());
        if (attempt >= 3 || newer.walCheckpoint() <= m.walCheckpoint()) {
          throw hole;
        }
      }
    }
  }

  /**
   * The WAL after {@code m}'s checkpoint, in a memtable over {@code m}'s SSTs. A sealed (purged)
   * namespace has none: purge deleted the data segments and kept only fences, holes by design.
   */
  private MemTable replayTail(Manifest m) {
    MemTable tail = new MemTable();
    if (m.sealed()) {
      return tail;
    }
    long id = m.walCheckpoint() + 1;
    GraphView base = new GraphView(List.of(), new Snapshot(m, readers));
    wal.replay(
        id,
        segment -> {
          for (WriteBatch batch : segment.batches()) {
            GraphView current = new GraphView(List.of(tail), base.snapshot());
            tail.apply(batch, current::incidentEdges);
          }
        });
    return tail;
  }

  private void install(Manifest m, List<MemTable> tables) {
    Manifest old = manifest;
    pins.pin(m.version());
    manifest = m;
    renewLease(); // before the view is handed out: the writer's GC sees the new version held
    view = new GraphView(tables, new Snapshot(m, readers));
    if (old != null) {
      pins.unpin(old.version());
    }
  }

  public GraphView view() {
    return view;
  }

  public long version() {
    return manifest.version();
  }

  @Override
  public void close() {
    renewer.shutdownNow();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (leaseWorks && manifest != null) {
        try {
          store.delete(ReaderLeases.key(readerId));
        } catch (io.namidb.engine.NamiException e) {
          LOG.fine(() -> "reader lease not deleted (the writer drops it once expired): " + e);
        }
      }
    }
    Manifest m = manifest;
    if (m != null) {
      pins.unpin(m.version());
    }
  }
}
