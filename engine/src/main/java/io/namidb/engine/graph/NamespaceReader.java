package io.namidb.engine.graph;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalLog;
import io.namidb.engine.wal.WalSegment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a namespace from any process: opens a manifest version's snapshot straight
 * from the object store, never takes the epoch and never writes. {@link #open} reads the newest
 * version and the acknowledged writes in the WAL beyond its checkpoint; {@link #openVersion} pins
 * an exact version (its SSTs only). {@link #refresh} moves to the newest version.
 */
public final class NamespaceReader implements AutoCloseable {
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
    reader.refresh();
    return reader;
  }

  /** Exactly manifest {@code version}: its SSTs, no WAL tail. Pinned until closed. */
  public static NamespaceReader openVersion(ObjectStore store, long version, Pins pins) {
    NamespaceReader reader = new NamespaceReader(store, pins, 64L << 20);
    Manifest m = reader.manifests.read(version);
    reader.install(m, List.of());
    return reader;
  }

  /** Moves to the newest manifest version and the WAL beyond it. Returns the version. */
  public synchronized long refresh() {
    Optional<Manifest> latest = manifests.latest();
    Manifest m = latest.orElse(Manifest.empty());
    MemTable tail = new MemTable();
    long id = m.walCheckpoint() + 1;
    GraphView base = new GraphView(List.of(), new Snapshot(m, readers));
    while (true) {
      Optional<WalSegment> segment = wal.read(id);
      if (segment.isEmpty()) {
        break;
      }
      for (WriteBatch batch : segment.get().batches()) {
        GraphView current = new GraphView(List.of(tail), base.snapshot());
        tail.apply(batch, current::incidentEdges);
      }
      id++;
    }
    install(m, List.of(tail));
    return m.version();
  }

  private void install(Manifest m, List<MemTable> tables) {
    Manifest old = manifest;
    pins.pin(m.version());
    manifest = m;
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
    Manifest m = manifest;
    if (m != null) {
      pins.unpin(m.version());
    }
  }
}
