package io.namidb.engine.graph;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A writer's in-memory state and what reads see, swapped atomically: the active memtable, the
 * frozen ones waiting for their flush (newest first) and the snapshot of the current manifest; plus
 * how far into the WAL the memtables reach. The committer applies batches and freezes, the flusher
 * and the compactor swap in new snapshots.
 */
final class Tables {
  /** A frozen memtable and the last WAL segment whose batches it holds. */
  record Frozen(MemTable table, long upToSegment) {}

  private record State(MemTable active, List<Frozen> frozen, Snapshot snapshot) {
    GraphView view() {
      List<MemTable> tables = new ArrayList<>(frozen.size() + 1);
      tables.add(active);
      frozen.forEach(f -> tables.add(f.table()));
      return new GraphView(tables, snapshot);
    }
  }

  private final SstReaders readers;
  private final AtomicReference<State> state = new AtomicReference<>();

  /** The newest WAL segment this writer wrote or replayed up to (its fence until it commits). */
  private volatile long lastSegment;

  /** The newest segment holding data (fences hold none): what a flush must fold in. */
  private volatile long lastDataSegment;

  Tables(Manifest manifest, SstReaders readers) {
    this.readers = readers;
    state.set(new State(new MemTable(), List.of(), new Snapshot(manifest, readers)));
  }

  /** What reads see now, pinned ({@link GraphView#pinned()}). */
  GraphView view() {
    return state.get().view().pinned();
  }

  Snapshot snapshot() {
    return state.get().snapshot();
  }

  MemTable active() {
    return state.get().active();
  }

  /** Frozen memtables, newest first. */
  List<Frozen> frozen() {
    return state.get().frozen();
  }

  /** Approximate heap held by the active and frozen memtables. */
  long memtableBytes() {
    State s = state.get();
    long bytes = s.active().approximateBytes();
    for (Frozen f : s.frozen()) {
      bytes += f.table().approximateBytes();
    }
    return bytes;
  }

  long lastSegment() {
    return lastSegment;
  }

  long lastDataSegment() {
    return lastDataSegment;
  }

  /** A segment (data or fence) is on the store: the next one goes above it. */
  void segmentWritten(long id) {
    lastSegment = id;
  }

  /** The batches of segment {@code id} are applied: a flush must fold them in. */
  void dataApplied(long id) {
    lastDataSegment = id;
  }

  /** Applies a replayed batch to the active memtable; node deletes cascade to all their edges. */
  void apply(WriteBatch batch) {
    State s = state.get();
    GraphView view = s.view();
    s.active().apply(batch, view::incidentEdges);
  }

  /**
   * Applies a batch just made durable: node deletes cascade to the edges read before the PUT plus
   * those the memtables gained since (memory only, no store reads).
   */
  void applyDurable(WriteBatch batch, Map<NodeKey, List<EdgeKey>> incidentBefore) {
    State s = state.get();
    List<MemTable> tables = new ArrayList<>();
    tables.add(s.active());
    s.frozen().forEach(f -> tables.add(f.table()));
    GraphView inMemory = new GraphView(tables, new Snapshot(Manifest.empty(), readers));
    s.active()
        .apply(
            batch,
            k -> {
              LinkedHashSet<EdgeKey> all =
                  new LinkedHashSet<>(incidentBefore.getOrDefault(k, List.of()));
              all.addAll(inMemory.incidentEdges(k));
              return new ArrayList<>(all);
            });
  }

  /** Freezes the active memtable (holding segments up to {@link #lastSegment()}) for a flush. */
  void freeze() {
    MemTable fresh = new MemTable();
    long upTo = lastSegment;
    swap(
        before -> {
          List<Frozen> frozen = new ArrayList<>(before.frozen().size() + 1);
          frozen.add(new Frozen(before.active(), upTo));
          frozen.addAll(before.frozen());
          return new State(fresh, List.copyOf(frozen), before.snapshot());
        });
  }

  /** A frozen memtable is in the SSTs of {@code committed}: reads go there now. */
  void flushed(Frozen flushed, Manifest committed) {
    swap(
        before -> {
          List<Frozen> remaining = new ArrayList<>(before.frozen());
          remaining.remove(flushed);
          return new State(
              before.active(), List.copyOf(remaining), new Snapshot(committed, readers));
        });
  }

  /** Reads see the SSTs of {@code committed} (after a compaction). */
  void committed(Manifest committed) {
    swap(before -> new State(before.active(), before.frozen(), new Snapshot(committed, readers)));
  }

  private void swap(UnaryOperator<State> change) {
    State before;
    do {
      before = state.get();
    } while (!state.compareAndSet(before, change.apply(before)));
  }
}
