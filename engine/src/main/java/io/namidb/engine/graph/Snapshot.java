package io.namidb.engine.graph;

import io.namidb.engine.DaemonThreads;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.sst.AdjacencyEntry;
import io.namidb.engine.sst.NodeRow;
import io.namidb.engine.sst.SstNames;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The SSTs of one manifest version: an immutable, consistent state of a namespace's flushed data.
 * Lookups go through the SSTs of a label (or edge type and direction) newest first; the first
 * version found wins, and a tombstone means absent.
 */
public final class Snapshot {
  private final Manifest manifest;
  private final SstReaders readers;
  private final Map<String, List<SstEntry>> nodeSsts = new HashMap<>();
  private final Map<Side, List<SstEntry>> edgeSsts = new HashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, Map<Object, List<Object>>> indexes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ConcurrentHashMap<Side, CompletableFuture<AdjacencyIndex>> adjacencyIndexes =
      new ConcurrentHashMap<>();

  /** One edge type in one direction: the key of its SSTs and of its adjacency index. */
  private record Side(String type, Direction direction) {}

  /**
   * Builds adjacency indexes off the query threads: one at a time, on a daemon thread, so a
   * background build never competes with more than one core and never keeps a process alive.
   */
  private static final ExecutorService INDEX_BUILDER =
      Executors.newSingleThreadExecutor(DaemonThreads.named("namidb-adjacency-index"));

  /**
   * An adjacency index takes about 8 bytes per edge and 100 per node; it is built only while its
   * edges stay within this fraction of the reader's configured cache memory (1/16: 16M edges for
   * the default 256 MiB), so it lives beside the caches rather than displacing them.
   */
  private static final int INDEX_EDGES_PER_CACHE_BYTE_DIVISOR = 16;

  public Snapshot(Manifest manifest, SstReaders readers) {
    this.manifest = manifest;
    this.readers = readers;
    Comparator<SstEntry> newestFirst =
        Comparator.comparing((SstEntry e) -> SstNames.idOf(e.key()), SstNames.OLDEST_FIRST)
            .reversed();
    for (SstEntry e : manifest.ssts()) {
      if (e.kind().equals("node")) {
        nodeSsts.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
      } else {
        Direction d = Direction.valueOf(e.direction().toUpperCase(Locale.ROOT));
        edgeSsts.computeIfAbsent(new Side(e.name(), d), k -> new ArrayList<>()).add(e);
      }
    }
    nodeSsts.values().forEach(l -> l.sort(newestFirst));
    edgeSsts.values().forEach(l -> l.sort(newestFirst));
  }

  public Manifest manifest() {
    return manifest;
  }

  /** The newest version of a node in the SSTs: a row (maybe a tombstone) or empty. */
  public Optional<NodeRow> node(NodeKey key) {
    for (SstEntry sst : nodeSsts.getOrDefault(key.label(), List.of())) {
      Optional<NodeRow> row = readers.node(sst).get(key.key());
      if (row.isPresent()) {
        return row;
      }
    }
    return Optional.empty();
  }

  /**
   * The newest version of each edge of {@code node} in one direction ({@code OUT} or {@code IN}),
   * tombstones included, by edge key, for one type or ({@code null}) all types.
   */
  public Map<EdgeKey, Edge> adjacency(NodeKey node, String type, Direction direction) {
    Map<EdgeKey, Edge> result = new LinkedHashMap<>();
    for (String t : type == null ? edgeTypes() : Set.of(type)) {
      // oldest first, so newer versions overwrite older ones
      for (List<AdjacencyEntry> list : adjacencyLists(node, t, direction)) {
        for (AdjacencyEntry a : list) {
          EdgeKey id =
              direction == Direction.OUT
                  ? new EdgeKey(t, node, a.neighbour())
                  : new EdgeKey(t, a.neighbour(), node);
          result.put(id, a.tombstone() ? null : new Edge(id, a.props()));
        }
      }
    }
    return result;
  }

  /**
   * A node's adjacency lists of one edge type in one direction ({@code OUT} or {@code IN}), one per
   * SST that has any, oldest SST first; tombstones included. Nothing is copied: for readers that
   * need only the neighbours (counting, reachability).
   */
  public List<List<AdjacencyEntry>> adjacencyLists(NodeKey node, String type, Direction direction) {
    List<SstEntry> ssts = edgeSsts(type, direction);
    List<List<AdjacencyEntry>> lists = new ArrayList<>(2);
    for (int i = ssts.size() - 1; i >= 0; i--) {
      List<AdjacencyEntry> list = readers.edge(ssts.get(i)).neighbours(node);
      if (!list.isEmpty()) {
        lists.add(list);
      }
    }
    return lists;
  }

  /**
   * The adjacency index of one edge type in one direction ({@code OUT} or {@code IN}) if it has
   * been built; otherwise null, and, with {@code build}, it starts being built in the background,
   * once per snapshot. A type whose SSTs hold more rows than the memory bound allows is never
   * indexed. A build that fails (an SST unreadable, say) leaves this snapshot without the index;
   * reads go on through the SSTs.
   */
  AdjacencyIndex adjacencyIndex(String type, Direction direction, boolean build) {
    Side name = new Side(type, direction);
    CompletableFuture<AdjacencyIndex> index =
        build
            ? adjacencyIndexes.computeIfAbsent(
                name,
                k -> {
                  // the queued build holds its snapshot weakly: a snapshot superseded (a flush,
                  // a compaction) before its turn is collected, and its build is skipped
                  WeakReference<Snapshot> self = new WeakReference<>(this);
                  return CompletableFuture.supplyAsync(
                      () -> {
                        Snapshot s = self.get();
                        return s == null ? null : s.buildIndex(type, direction);
                      },
                      INDEX_BUILDER);
                })
            : adjacencyIndexes.get(name);
    return index != null && index.isDone() && !index.isCompletedExceptionally()
        ? index.join()
        : null;
  }

  /**
   * Builds the adjacency index of one edge type and direction now, if it is not yet, and waits for
   * it: for a warm-up before measuring, and for tests. False when the type's edges exceed the
   * memory bound, or the build failed; reads then go through the SSTs.
   */
  public boolean awaitAdjacencyIndex(String type, Direction direction) {
    adjacencyIndex(type, direction, true);
    try {
      return adjacencyIndexes.get(new Side(type, direction)).join() != null;
    } catch (java.util.concurrent.CompletionException e) {
      return false;
    }
  }

  private AdjacencyIndex buildIndex(String type, Direction direction) {
    List<SstEntry> ssts = edgeSsts(type, direction);
    long rows = ssts.stream().mapToLong(SstEntry::rows).sum();
    if (rows > readers.cacheBytes() / INDEX_EDGES_PER_CACHE_BYTE_DIVISOR) {
      return null;
    }
    Set<NodeKey> sources = new LinkedHashSet<>();
    for (SstEntry sst : ssts) {
      for (AdjacencyEntry a : readers.edge(sst).all()) {
        sources.add(a.source());
      }
    }
    return AdjacencyIndex.build(sources, this, type, direction);
  }

  /** Every node version of a label, newest version per key, tombstones as null, in key order. */
  public Map<Object, Map<String, Object>> scan(String label) {
    List<SstEntry> ssts = nodeSsts.getOrDefault(label, List.of());
    if (ssts.size() == 1) { // one SST is already in key order: no merge needed
      Map<Object, Map<String, Object>> rows = new LinkedHashMap<>();
      for (NodeRow row : readers.node(ssts.get(0)).all()) {
        rows.put(row.key(), row.props());
      }
      return rows;
    }
    Map<Object, Map<String, Object>> result = new TreeMap<>(NodeKey::compareKeys);
    for (int i = ssts.size() - 1; i >= 0; i--) {
      for (NodeRow row : readers.node(ssts.get(i)).all()) {
        result.put(row.key(), row.props());
      }
    }
    return result;
  }

  /**
   * A secondary index of this snapshot's SSTs: value of {@code property} → keys of the live nodes
   * of {@code label} that hold it. Built on first use from one scan and kept with the snapshot
   * (SSTs are immutable, so it never goes stale).
   */
  public Map<Object, List<Object>> index(String label, String property) {
    return indexes.computeIfAbsent(
        label + "\u0000" + property,
        k -> {
          Map<Object, List<Object>> index = new HashMap<>();
          scan(label)
              .forEach(
                  (key, props) -> {
                    Object value = props == null ? null : props.get(property);
                    if (value != null) {
                      index.computeIfAbsent(value, v -> new ArrayList<>()).add(key);
                    }
                  });
          return index;
        });
  }

  /** Every edge version of one type and direction, merged, tombstones as null. */
  public Map<EdgeKey, Edge> scanEdges(String type, Direction direction) {
    Map<EdgeKey, Edge> result = new LinkedHashMap<>();
    List<SstEntry> ssts = edgeSsts(type, direction);
    for (int i = ssts.size() - 1; i >= 0; i--) {
      for (AdjacencyEntry a : readers.edge(ssts.get(i)).all()) {
        EdgeKey id =
            direction == Direction.OUT
                ? new EdgeKey(type, a.source(), a.neighbour())
                : new EdgeKey(type, a.neighbour(), a.source());
        result.put(id, a.tombstone() ? null : new Edge(id, a.props()));
      }
    }
    return result;
  }

  public Set<String> edgeTypes() {
    Set<String> types = new TreeSet<>();
    for (Side k : edgeSsts.keySet()) {
      types.add(k.type());
    }
    return types;
  }

  public Set<String> labels() {
    return new TreeSet<>(nodeSsts.keySet());
  }

  /** SSTs of a label, newest first. */
  public List<SstEntry> nodeSsts(String label) {
    return nodeSsts.getOrDefault(label, List.of());
  }

  /** SSTs of an edge type and direction, newest first. */
  public List<SstEntry> edgeSsts(String type, Direction direction) {
    return edgeSsts.getOrDefault(new Side(type, direction), List.of());
  }

  public SstReaders readers() {
    return readers;
  }
}
