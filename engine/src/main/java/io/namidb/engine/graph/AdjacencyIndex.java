package io.namidb.engine.graph;

import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.sst.AdjacencyEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The live adjacency of one edge type in one direction of a {@link Snapshot}, as compressed sparse
 * rows over dense integer node ids: what multi-hop counting reads instead of the SSTs once it is
 * built. Neighbour {@code i} of the node with id {@code s} is {@code key(target(j))} for {@code j}
 * in {@code [start(s), end(s))}, in the order the SSTs list them (the order {@link GraphView#reach}
 * gives without the index). Tombstones are resolved when it is built; it never changes, like the
 * SSTs it is built from.
 *
 * <p>Distinct counting marks visited nodes in a per-thread array stamped with a query number, so it
 * allocates nothing per query and never clears the array.
 */
final class AdjacencyIndex {
  private final NodeKey[] keys; // id -> node
  private final Map<NodeKey, Integer> ids;
  private final int[] starts; // by source id, keys.length + 1 entries
  private final int[] targets;
  private final ConcurrentLinkedQueue<Visited> pool = new ConcurrentLinkedQueue<>();

  /** Visited arrays kept for reuse once returned. */
  static final int POOLED = 4;

  private AdjacencyIndex(NodeKey[] keys, Map<NodeKey, Integer> ids, int[] starts, int[] targets) {
    this.keys = keys;
    this.ids = ids;
    this.starts = starts;
    this.targets = targets;
  }

  /**
   * Builds the index from one edge type and direction's adjacency lists: {@code sources} in any
   * order, each with its lists oldest SST first (as {@link Snapshot#adjacencyLists} gives them).
   * Newer versions of an edge replace older ones in place, and tombstones drop the edge.
   */
  static AdjacencyIndex build(
      Iterable<NodeKey> sources, Snapshot snapshot, String type, Direction direction) {
    Map<NodeKey, Integer> ids = new HashMap<>();
    List<NodeKey> keys = new ArrayList<>();
    Map<Integer, int[]> rows = new HashMap<>(); // source id -> neighbour ids
    int edges = 0;
    Map<NodeKey, Boolean> live = new LinkedHashMap<>();
    for (NodeKey source : sources) {
      List<List<AdjacencyEntry>> lists = snapshot.adjacencyLists(source, type, direction);
      live.clear();
      for (List<AdjacencyEntry> list : lists) {
        for (AdjacencyEntry a : list) {
          live.put(a.neighbour(), !a.tombstone());
        }
      }
      int[] row = new int[live.size()];
      int n = 0;
      for (Map.Entry<NodeKey, Boolean> e : live.entrySet()) {
        if (e.getValue()) {
          row[n++] = idOf(e.getKey(), ids, keys);
        }
      }
      if (n == 0) {
        continue;
      }
      rows.put(idOf(source, ids, keys), n == row.length ? row : Arrays.copyOf(row, n));
      edges += n;
    }
    int[] starts = new int[keys.size() + 1];
    int[] targets = new int[edges];
    int at = 0;
    for (int id = 0; id < keys.size(); id++) {
      starts[id] = at;
      int[] row = rows.get(id);
      if (row != null) {
        System.arraycopy(row, 0, targets, at, row.length);
        at += row.length;
      }
    }
    starts[keys.size()] = at;
    return new AdjacencyIndex(keys.toArray(new NodeKey[0]), ids, starts, targets);
  }

  private static int idOf(NodeKey key, Map<NodeKey, Integer> ids, List<NodeKey> keys) {
    Integer id = ids.get(key);
    if (id == null) {
      id = keys.size();
      ids.put(key, id);
      keys.add(key);
    }
    return id;
  }

  /** The node's id, or -1 when it has no edge of this index (either end). */
  int id(NodeKey key) {
    Integer id = ids.get(key);
    return id == null ? -1 : id;
  }

  NodeKey key(int id) {
    return keys[id];
  }

  int start(int id) {
    return starts[id];
  }

  int end(int id) {
    return starts[id + 1];
  }

  int target(int i) {
    return targets[i];
  }

  /** Edges in the index. */
  int edges() {
    return targets.length;
  }

  /** Nodes in the index (sources and neighbours). */
  int nodes() {
    return keys.length;
  }

  /** An empty visited set over this index's ids, to {@link #release} when the step is done. */
  Visited acquire() {
    Visited v = pool.poll();
    if (v == null) {
      v = new Visited(keys.length);
    }
    v.next();
    return v;
  }

  /** Gives a visited set back; beyond {@link #POOLED} kept, it is left to the GC. */
  void release(Visited v) {
    if (pool.size() < POOLED) {
      pool.offer(v);
    }
  }

  /** Visited marks: an id is in the set when its stamp equals the current query's number. */
  static final class Visited {
    private final int[] stamps;
    private int query;

    Visited(int size) {
      this.stamps = new int[size];
    }

    void next() {
      if (++query == 0) { // wrapped after 2^32 queries: stale stamps could collide, so clear
        Arrays.fill(stamps, 0);
        query = 1;
      }
    }

    boolean add(int id) {
      if (stamps[id] == query) {
        return false;
      }
      stamps[id] = query;
      return true;
    }
  }
}
