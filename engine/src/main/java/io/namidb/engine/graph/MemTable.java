package io.namidb.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer's in-memory table of acknowledged writes not yet flushed to SSTs. Entries are the
 * newest version of a node or edge, or a tombstone that shadows older versions in SSTs.
 *
 * <p>One thread applies batches (the WAL committer, after the segment is durable); any number of
 * threads read. A batch becomes visible entry by entry; readers needing batch atomicity read at a
 * snapshot (the SST read path).
 */
public final class MemTable {
  /** A node version or a tombstone ({@code node == null}). */
  record NodeEntry(Node node) {}

  /** An edge version or a tombstone ({@code edge == null}). */
  record EdgeEntry(EdgeKey id, Edge edge) {}

  private final ConcurrentSkipListMap<NodeKey, NodeEntry> nodes = new ConcurrentSkipListMap<>();
  private final Map<NodeKey, ConcurrentSkipListMap<String, EdgeEntry>> out =
      new ConcurrentHashMap<>();
  private final Map<NodeKey, ConcurrentSkipListMap<String, EdgeEntry>> in =
      new ConcurrentHashMap<>();
  private final AtomicLong approximateBytes = new AtomicLong();

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
    for (Node n : batch.nodes()) {
      nodes.put(n.id(), new NodeEntry(n));
      approximateBytes.addAndGet(64 + estimate(n.props()));
    }
    for (Edge e : batch.edges()) {
      putEdge(new EdgeEntry(e.id(), e));
      approximateBytes.addAndGet(96 + estimate(e.props()));
    }
    for (EdgeKey k : batch.deleteEdges()) {
      putEdge(new EdgeEntry(k, null));
      approximateBytes.addAndGet(96);
    }
    for (NodeKey k : batch.deleteNodes()) {
      for (EdgeKey e : incidentEdges.apply(k)) {
        putEdge(new EdgeEntry(e, null));
      }
      nodes.put(k, new NodeEntry(null));
      approximateBytes.addAndGet(64);
    }
  }

  private void putEdge(EdgeEntry entry) {
    EdgeKey k = entry.id();
    out.computeIfAbsent(k.from(), x -> new ConcurrentSkipListMap<>())
        .put(adjacencyKey(k.type(), k.to()), entry);
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
    NodeEntry entry = nodes.get(key);
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
    NavigableMap<String, EdgeEntry> adjacency =
        direction == Direction.OUT ? out.get(node) : in.get(node);
    if (adjacency == null) {
      return List.of();
    }
    Map<String, EdgeEntry> range =
        type == null ? adjacency : adjacency.subMap(type + '\u0000', type + '\u0001');
    List<EdgeVersion> result = new ArrayList<>(range.size());
    for (EdgeEntry e : range.values()) {
      result.add(new EdgeVersion(e.id(), e.edge()));
    }
    return result;
  }

  /** A version of an edge: live ({@code edge != null}) or a tombstone. */
  public record EdgeVersion(EdgeKey id, Edge edge) {}

  /** Every node entry, tombstones included (value null), in key order: for flushes. */
  public List<Map.Entry<NodeKey, Node>> nodeVersions() {
    List<Map.Entry<NodeKey, Node>> result = new ArrayList<>(nodes.size());
    for (Map.Entry<NodeKey, NodeEntry> e : nodes.entrySet()) {
      result.add(new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue().node()));
    }
    return result;
  }

  /** Every edge entry, tombstones included, once each (from the out adjacency): for flushes. */
  public List<EdgeVersion> edgeVersions() {
    List<EdgeVersion> result = new ArrayList<>();
    for (ConcurrentSkipListMap<String, EdgeEntry> adjacency : out.values()) {
      for (EdgeEntry e : adjacency.values()) {
        result.add(new EdgeVersion(e.id(), e.edge()));
      }
    }
    return result;
  }

  /** Edge types this memtable holds entries of. */
  public java.util.Set<String> edgeTypes() {
    java.util.Set<String> types = new java.util.TreeSet<>();
    for (ConcurrentSkipListMap<String, EdgeEntry> adjacency : out.values()) {
      for (EdgeEntry e : adjacency.values()) {
        types.add(e.id().type());
      }
    }
    return types;
  }

  /** Labels this memtable holds entries of. */
  public java.util.Set<String> labels() {
    java.util.Set<String> labels = new java.util.TreeSet<>();
    for (NodeKey k : nodes.keySet()) {
      labels.add(k.label());
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
