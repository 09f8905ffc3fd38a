package io.namidb.engine.graph;

import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer's in-memory table of acknowledged writes not yet flushed to SSTs. Entries are the
 * newest version of a node or edge, or a tombstone that shadows older versions in SSTs.
 *
 * <p>One thread applies batches (the WAL committer, after the segment is durable); any number of
 * threads read. Each batch gets the next sequence number; {@link #applied()} is the last batch
 * applied whole. An entry keeps the version it replaced ({@code older}), so a reader that read
 * {@code applied()} once and passes it as {@code asOf} sees exactly the batches up to it however
 * many are applied while it reads (a pinned view, {@link GraphView#pinned()}). Replaced versions
 * live until the memtable is flushed; {@link #approximateBytes()} counts every version, so the
 * flush threshold bounds them. Without {@code asOf} a read sees the newest entries, a batch being
 * applied included (the writer's own cascade reads).
 */
public final class MemTable {
  /** Reads that see every entry, a batch being applied included. */
  public static final long NEWEST = Long.MAX_VALUE;

  /** A node version or a tombstone ({@code node == null}), of batch {@code seq}. */
  record NodeEntry(Node node, long seq, NodeEntry older) {
    /** This version or the newest older one of batch {@code asOf} or before; null if none. */
    NodeEntry asOf(long asOf) {
      NodeEntry e = this;
      while (e != null && e.seq > asOf) {
        e = e.older;
      }
      return e;
    }
  }

  /** An edge version or a tombstone ({@code edge == null}), of batch {@code seq}. */
  record EdgeEntry(EdgeKey id, Edge edge, long seq, EdgeEntry older) {
    /** This version or the newest older one of batch {@code asOf} or before; null if none. */
    EdgeEntry asOf(long asOf) {
      EdgeEntry e = this;
      while (e != null && e.seq > asOf) {
        e = e.older;
      }
      return e;
    }
  }

  private final ConcurrentSkipListMap<NodeKey, NodeEntry> nodes = new ConcurrentSkipListMap<>();
  private final Map<NodeKey, ConcurrentSkipListMap<String, EdgeEntry>> out =
      new ConcurrentHashMap<>();
  private final Map<NodeKey, ConcurrentSkipListMap<String, EdgeEntry>> in =
      new ConcurrentHashMap<>();
  // every edge type put here, added before its first edge (a reader that sees an edge sees its
  // type)
  private final Set<String> edgeTypes = ConcurrentHashMap.newKeySet();
  private final AtomicLong approximateBytes = new AtomicLong();
  private volatile long applied; // written by the applying thread only

  /** The sequence number of the last batch applied whole (0: none). */
  public long applied() {
    return applied;
  }

  /** Applies a batch whose node deletes cascade only to edges held in this memtable. */
  public void apply(WriteBatch batch) {
    apply(batch, k -> edges(k, null, Direction.BOTH).stream().map(Edge::id).toList());
  }

  /**
   * Applies a batch: node upserts, edge upserts, edge deletes, then node deletes, each of which
   * also writes tombstones for the node's edges as {@code incidentEdges} lists them (all its live
   * edges, wherever they are stored).
   */
  public void apply(
      WriteBatch batch, java.util.function.Function<NodeKey, List<EdgeKey>> incidentEdges) {
    long seq = applied + 1;
    for (Node n : batch.nodes()) {
      putNode(n.id(), n, seq);
      approximateBytes.addAndGet(64 + estimate(n.props()));
    }
    for (Edge e : batch.edges()) {
      putEdge(e.id(), e, seq);
      approximateBytes.addAndGet(96 + estimate(e.props()));
    }
    for (EdgeKey k : batch.deleteEdges()) {
      putEdge(k, null, seq);
      approximateBytes.addAndGet(96);
    }
    for (NodeKey k : batch.deleteNodes()) {
      for (EdgeKey e : incidentEdges.apply(k)) {
        putEdge(e, null, seq);
      }
      putNode(k, null, seq);
      approximateBytes.addAndGet(64);
    }
    applied = seq; // publishes the whole batch to pinned readers
  }

  private void putNode(NodeKey k, Node node, long seq) {
    nodes.put(k, new NodeEntry(node, seq, nodes.get(k)));
  }

  private void putEdge(EdgeKey k, Edge edge, long seq) {
    edgeTypes.add(k.type());
    ConcurrentSkipListMap<String, EdgeEntry> from =
        out.computeIfAbsent(k.from(), x -> new ConcurrentSkipListMap<>());
    String toKey = adjacencyKey(k.type(), k.to());
    EdgeEntry entry = new EdgeEntry(k, edge, seq, from.get(toKey));
    from.put(toKey, entry);
    in.computeIfAbsent(k.to(), x -> new ConcurrentSkipListMap<>())
        .put(adjacencyKey(k.type(), k.from()), entry);
  }

  private static String adjacencyKey(String type, NodeKey other) {
    return type
        + '\u0000'
        + other.label()
        + '\u0000'
        + (other.key() instanceof Long ? "i" : "s")
        + other.key();
  }

  /**
   * The newest version of a node: present, deleted (empty optional inside), or unknown to the
   * memtable ({@code null}).
   */
  public Optional<Node> lookup(NodeKey key) {
    return lookup(key, NEWEST);
  }

  /** As {@link #lookup(NodeKey)}, seeing the batches up to {@code asOf} only. */
  public Optional<Node> lookup(NodeKey key, long asOf) {
    NodeEntry entry = nodes.get(key);
    entry = entry == null ? null : entry.asOf(asOf);
    if (entry == null) {
      return null;
    }
    return Optional.ofNullable(entry.node());
  }

  /** The node if the memtable holds a live version of it. */
  public Optional<Node> node(NodeKey key) {
    NodeEntry entry = nodes.get(key);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.node());
  }

  /** Live edges of a node, optionally of one type ({@code null}: all types). */
  public List<Edge> edges(NodeKey node, String type, Direction direction) {
    List<Edge> result = new ArrayList<>();
    if (direction != Direction.IN) {
      collect(out.get(node), type, result);
    }
    if (direction != Direction.OUT) {
      collect(in.get(node), type, result);
    }
    return result;
  }

  private static void collect(
      NavigableMap<String, EdgeEntry> adjacency, String type, List<Edge> result) {
    if (adjacency == null) {
      return;
    }
    Map<String, EdgeEntry> range =
        type == null ? adjacency : adjacency.subMap(type + '\u0000', type + '\u0001');
    for (EdgeEntry e : range.values()) {
      if (e.edge() != null) {
        result.add(e.edge());
      }
    }
  }

  /**
   * Every entry (tombstones included) of a node's adjacency in one direction ({@code OUT} or {@code
   * IN}), optionally of one type: the newest version of each edge this memtable knows.
   */
  public List<EdgeVersion> adjacency(NodeKey node, String type, Direction direction) {
    return adjacency(node, type, direction, NEWEST);
  }

  /** As {@link #adjacency(NodeKey, String, Direction)}, seeing the batches up to {@code asOf}. */
  public List<EdgeVersion> adjacency(NodeKey node, String type, Direction direction, long asOf) {
    NavigableMap<String, EdgeEntry> adjacency =
        direction == Direction.OUT ? out.get(node) : in.get(node);
    if (adjacency == null) {
      return List.of();
    }
    Map<String, EdgeEntry> range =
        type == null ? adjacency : adjacency.subMap(type + '\u0000', type + '\u0001');
    List<EdgeVersion> result = new ArrayList<>(range.size());
    for (EdgeEntry newest : range.values()) {
      EdgeEntry e = newest.asOf(asOf);
      if (e != null) {
        result.add(new EdgeVersion(e.id(), e.edge()));
      }
    }
    return result;
  }

  /**
   * Whether this memtable holds any version (tombstones too) of an edge of {@code type}, at any
   * sequence number: false means no node's adjacency of that type is touched here.
   */
  public boolean hasEdgesOf(String type) {
    return edgeTypes.contains(type);
  }

  /**
   * Whether this memtable holds any entry (tombstones included) of a node's edges of one type in
   * one direction ({@code OUT} or {@code IN}), seeing the batches up to {@code asOf}.
   */
  public boolean hasAdjacency(NodeKey node, String type, Direction direction, long asOf) {
    NavigableMap<String, EdgeEntry> adjacency =
        direction == Direction.OUT ? out.get(node) : in.get(node);
    if (adjacency == null) {
      return false;
    }
    for (EdgeEntry newest : adjacency.subMap(type + '\u0000', type + '\u0001').values()) {
      if (newest.asOf(asOf) != null) {
        return true;
      }
    }
    return false;
  }

  /** A version of an edge: live ({@code edge != null}) or a tombstone. */
  public record EdgeVersion(EdgeKey id, Edge edge) {}

  /** Every node entry, tombstones included (value null), in key order: for flushes. */
  public List<Map.Entry<NodeKey, Node>> nodeVersions() {
    return nodeVersions(NEWEST);
  }

  /** As {@link #nodeVersions()}, seeing the batches up to {@code asOf} only. */
  public List<Map.Entry<NodeKey, Node>> nodeVersions(long asOf) {
    List<Map.Entry<NodeKey, Node>> result = new ArrayList<>(nodes.size());
    for (Map.Entry<NodeKey, NodeEntry> e : nodes.entrySet()) {
      NodeEntry v = e.getValue().asOf(asOf);
      if (v != null) {
        result.add(new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(), v.node()));
      }
    }
    return result;
  }

  /** Every edge entry, tombstones included, once each (from the out adjacency): for flushes. */
  public List<EdgeVersion> edgeVersions() {
    return edgeVersions(NEWEST);
  }

  /** As {@link #edgeVersions()}, seeing the batches up to {@code asOf} only. */
  public List<EdgeVersion> edgeVersions(long asOf) {
    List<EdgeVersion> result = new ArrayList<>();
    for (ConcurrentSkipListMap<String, EdgeEntry> adjacency : out.values()) {
      for (EdgeEntry newest : adjacency.values()) {
        EdgeEntry e = newest.asOf(asOf);
        if (e != null) {
          result.add(new EdgeVersion(e.id(), e.edge()));
        }
      }
    }
    return result;
  }

  /** Edge types this memtable holds entries of, up to batch {@code asOf}. */
  public java.util.Set<String> edgeTypes(long asOf) {
    java.util.Set<String> types = new java.util.TreeSet<>();
    for (EdgeVersion v : edgeVersions(asOf)) {
      types.add(v.id().type());
    }
    return types;
  }

  /** Labels this memtable holds entries of, up to batch {@code asOf}. */
  public java.util.Set<String> labels(long asOf) {
    java.util.Set<String> labels = new java.util.TreeSet<>();
    for (Map.Entry<NodeKey, NodeEntry> e : nodes.entrySet()) {
      if (e.getValue().asOf(asOf) != null) {
        labels.add(e.getKey().label());
      }
    }
    return labels;
  }

  public boolean isEmpty() {
    return nodes.isEmpty() && out.isEmpty();
  }

  /** Number of live nodes (tombstones excluded). */
  public long liveNodeCount() {
    return nodes.values().stream().filter(e -> e.node() != null).count();
  }

  /** All live nodes in key order. */
  public List<Node> liveNodes() {
    List<Node> result = new ArrayList<>();
    for (NodeEntry e : nodes.values()) {
      if (e.node() != null) {
        result.add(e.node());
      }
    }
    return result;
  }

  /** Every live edge, once (from the out-adjacency). */
  public List<Edge> liveEdges() {
    List<Edge> result = new ArrayList<>();
    for (ConcurrentSkipListMap<String, EdgeEntry> adjacency : out.values()) {
      for (EdgeEntry e : adjacency.values()) {
        if (e.edge() != null) {
          result.add(e.edge());
        }
      }
    }
    return result;
  }

  public long approximateBytes() {
    return approximateBytes.get();
  }

  private static long estimate(Map<String, Object> props) {
    long size = 0;
    for (Map.Entry<String, Object> e : props.entrySet()) {
      size += 16 + e.getKey().length();
      Object v = e.getValue();
      if (v instanceof String s) {
        size += s.length();
      } else if (v instanceof byte[] b) {
        size += b.length;
      } else if (v instanceof float[] f) {
        size += 4L * f.length;
      } else {
        size += 8;
      }
    }
    return size;
  }
}
