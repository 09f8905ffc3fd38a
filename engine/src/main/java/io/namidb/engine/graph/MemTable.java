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

  /** Applies a batch: node upserts, edge upserts, edge deletes, node deletes (with its edges). */
  public void apply(WriteBatch batch) {
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
      for (Edge e : edges(k, null, Direction.BOTH)) {
        putEdge(new EdgeEntry(e.id(), null));
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
