package io.namidb.engine.graph;

import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.sst.AdjacencyEntry;
import io.namidb.engine.sst.NodeRow;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads of a namespace: memtables (newest first) over a {@link Snapshot}. Newest version wins;
 * tombstones hide older versions. A view made by the constructor follows the memtables' growth (the
 * writer's own reads while it applies a batch); a {@link #pinned()} view sees the batches applied
 * whole when it was pinned and nothing later, however long it is read (what {@code
 * NamespaceWriter.view()} and {@code NamespaceReader.view()} give).
 */
public final class GraphView {
  private final List<MemTable> memTables; // newest first
  private final long[] asOf; // per memtable: the last batch this view sees
  private final Snapshot snapshot;

  /** A view that follows the memtables (every entry, as it is applied). */
  public GraphView(List<MemTable> memTablesNewestFirst, Snapshot snapshot) {
    this(memTablesNewestFirst, snapshot, null);
  }

  private GraphView(List<MemTable> memTablesNewestFirst, Snapshot snapshot, long[] asOf) {
    this.memTables = List.copyOf(memTablesNewestFirst);
    this.snapshot = snapshot;
    if (asOf == null) {
      asOf = new long[memTables.size()];
      java.util.Arrays.fill(asOf, MemTable.NEWEST);
    }
    this.asOf = asOf;
  }

  /**
   * This view at one moment: the batches each memtable has applied whole by now, and none applied
   * later. Its SSTs are those of its snapshot (GC keeps them for the writer's retention window).
   */
  public GraphView pinned() {
    long[] now = new long[memTables.size()];
    for (int i = 0; i < now.length; i++) {
      now[i] = Math.min(asOf[i], memTables.get(i).applied());
    }
    return new GraphView(memTables, snapshot, now);
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /** The node, if it exists. */
  public Optional<Node> node(NodeKey key) {
    for (int i = 0; i < memTables.size(); i++) {
      Optional<Node> found = memTables.get(i).lookup(key, asOf[i]);
      if (found != null) {
        return found;
      }
    }
    Optional<NodeRow> row = snapshot.node(key);
    if (row.isEmpty() || row.get().tombstone()) {
      return Optional.empty();
    }
    return Optional.of(new Node(key, row.get().props()));
  }

  public boolean exists(NodeKey key) {
    return node(key).isPresent();
  }

  /** Live edges of a node, of one type or ({@code null}) all, in one or both directions. */
  public List<Edge> edges(NodeKey node, String type, Direction direction) {
    Map<EdgeKey, Edge> merged = new LinkedHashMap<>();
    if (direction != Direction.IN) {
      merged.putAll(versions(node, type, Direction.OUT));
    }
    if (direction != Direction.OUT) {
      merged.putAll(versions(node, type, Direction.IN));
    }
    List<Edge> result = new ArrayList<>();
    for (Edge e : merged.values()) {
      if (e != null) {
        result.add(e);
      }
    }
    return result;
  }

  private Map<EdgeKey, Edge> versions(NodeKey node, String type, Direction direction) {
    Map<EdgeKey, Edge> merged = snapshot.adjacency(node, type, direction);
    for (int i = memTables.size() - 1; i >= 0; i--) {
      for (MemTable.EdgeVersion v : memTables.get(i).adjacency(node, type, direction, asOf[i])) {
        merged.put(v.id(), v.edge());
      }
    }
    return merged;
  }

  /** Keys of the live edges of a node (for the cascade of a node delete). */
  public List<EdgeKey> incidentEdges(NodeKey node) {
    return edges(node, null, Direction.BOTH).stream().map(Edge::id).toList();
  }

  /** Live nodes of a label in key order. */
  public List<Node> scan(String label) {
    Map<Object, Map<String, Object>> merged = new TreeMap<>(NodeKey::compareKeys);
    merged.putAll(snapshot.scan(label));
    for (int i = memTables.size() - 1; i >= 0; i--) {
      for (Map.Entry<NodeKey, Node> e : memTables.get(i).nodeVersions(asOf[i])) {
        if (e.getKey().label().equals(label)) {
          merged.put(e.getKey().key(), e.getValue() == null ? null : e.getValue().props());
        }
      }
    }
    List<Node> result = new ArrayList<>();
    for (Map.Entry<Object, Map<String, Object>> e : merged.entrySet()) {
      if (e.getValue() != null) {
        result.add(new Node(new NodeKey(label, e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /**
   * The largest INT64 key a label has ever held in this view (live or deleted; 0 when none), from
   * the SSTs' key ranges and the memtables, without reading rows: the Cypher layer numbers new
   * nodes from it.
   */
  public long maxIntKey(String label) {
    long max = 0;
    for (io.namidb.engine.manifest.SstEntry sst : snapshot.nodeSsts(label)) {
      try {
        max = Math.max(max, Long.parseLong(sst.maxKey()));
      } catch (NumberFormatException | NullPointerException e) {
        // a STRING-keyed label: no INT64 keys
      }
    }
    for (int i = 0; i < memTables.size(); i++) {
      for (Map.Entry<NodeKey, Node> e : memTables.get(i).nodeVersions(asOf[i])) {
        if (e.getKey().label().equals(label) && e.getKey().key() instanceof Long k) {
          max = Math.max(max, k);
        }
      }
    }
    return max;
  }

  /** Every label with data (live or deleted). */
  public Set<String> labels() {
    Set<String> labels = new LinkedHashSet<>(snapshot.labels());
    for (int i = 0; i < memTables.size(); i++) {
      labels.addAll(memTables.get(i).labels(asOf[i]));
    }
    return labels;
  }

  /** Every edge type with data (live or deleted). */
  public Set<String> edgeTypes() {
    Set<String> types = new LinkedHashSet<>(snapshot.edgeTypes());
    for (int i = 0; i < memTables.size(); i++) {
      types.addAll(memTables.get(i).edgeTypes(asOf[i]));
    }
    return types;
  }

  /** Every live edge of a type. */
  public List<Edge> scanEdges(String type) {
    Map<EdgeKey, Edge> merged = snapshot.scanEdges(type, Direction.OUT);
    for (int i = memTables.size() - 1; i >= 0; i--) {
      for (MemTable.EdgeVersion v : memTables.get(i).edgeVersions(asOf[i])) {
        if (v.id().type().equals(type)) {
          merged.put(v.id(), v.edge());
        }
      }
    }
    return live(merged.values());
  }

  /** Live nodes of a label matching every filter, in key order, at most {@code limit}. */
  public List<Node> scan(String label, List<Filter> filters, int limit) {
    return scan(label, filters, limit, Set.of());
  }

  /**
   * As {@link #scan(String, List, int)}, answering from a secondary index when a filter is an
   * equality on one of the {@code indexed} properties: the SST index gives candidate keys, whose
   * newest versions are re-checked, and the memtables' nodes of the label are checked directly.
   */
  public List<Node> scan(String label, List<Filter> filters, int limit, Set<String> indexed) {
    List<Node> result = new ArrayList<>();
    for (Node n : candidates(label, filters, indexed)) {
      if (filters.stream().allMatch(f -> f.test(n.props()))) {
        result.add(n);
        if (result.size() >= limit) {
          break;
        }
      }
    }
    return result;
  }

  private static boolean usesIndex(List<Filter> filters, Set<String> indexed) {
    for (Filter f : filters) {
      if (f.op() == Filter.Op.EQ && f.value() != null && indexed.contains(f.property())) {
        return true;
      }
    }
    return false;
  }

  /** Nodes of a label that may match: all of them, or those an index points at. */
  private List<Node> candidates(String label, List<Filter> filters, Set<String> indexed) {
    Filter byIndex = null;
    for (Filter f : filters) {
      if (f.op() == Filter.Op.EQ && f.value() != null && indexed.contains(f.property())) {
        byIndex = f;
        break;
      }
    }
    if (byIndex == null) {
      return scan(label);
    }
    Map<Object, Node> found = new TreeMap<>(NodeKey::compareKeys);
    for (Object key :
        snapshot.index(label, byIndex.property()).getOrDefault(byIndex.value(), List.of())) {
      node(new NodeKey(label, key)).ifPresent(n -> found.put(n.key(), n));
    }
    for (int i = 0; i < memTables.size(); i++) {
      for (Map.Entry<NodeKey, Node> e : memTables.get(i).nodeVersions(asOf[i])) {
        if (e.getKey().label().equals(label)) {
          node(e.getKey()).ifPresent(n -> found.put(n.key(), n));
        }
      }
    }
    return new ArrayList<>(found.values());
  }

  /**
   * Nodes reached from {@code from} by following {@code steps} in order (breadth first). With
   * {@code distinct}, each node appears once per step; without, one entry per path. At most {@code
   * limit} results.
   */
  public List<Node> traverse(NodeKey from, List<Step> steps, boolean distinct, int limit) {
    List<Node> result = new ArrayList<>();
    for (NodeKey k : reach(from, steps, distinct, limit)) {
      node(k).ifPresent(result::add);
    }
    return result;
  }

  /**
   * The keys of the nodes {@link #traverse} reaches, in the same order, without reading a node: for
   * counting. Every key names a live node, because edges never dangle (a write checks that both
   * ends exist and a node delete takes its edges with it).
   */
  public List<NodeKey> reach(NodeKey from, List<Step> steps, boolean distinct, int limit) {
    return walk(from, steps, steps.size(), distinct, limit).keys;
  }

  /**
   * How many nodes {@link #reach} gives (without a limit), and whether {@code from} is one of them,
   * without listing them: the last step only counts, on the adjacency index's ids when it has one.
   */
  public ReachCount reachCount(NodeKey from, List<Step> steps, boolean distinct) {
    Step last = steps.get(steps.size() - 1);
    AdjacencyIndex index = indexFor(last, steps.size());
    if (index == null) {
      List<NodeKey> ends = reach(from, steps, distinct, Integer.MAX_VALUE);
      return new ReachCount(ends.size(), ends.contains(from));
    }
    Frontier frontier = walk(from, steps, steps.size() - 1, distinct, Integer.MAX_VALUE);
    AdjacencyIndex.Visited visited = distinct ? index.acquire() : null;
    try {
      return countStep(index, frontier, from, last, visited);
    } finally {
      if (visited != null) {
        index.release(visited);
      }
    }
  }

  /** What {@link #reachCount} answers. */
  public record ReachCount(long count, boolean includesFrom) {}

  /**
   * The nodes reached by {@code steps} (all of them: the frontier after the last), with their ids
   * in the adjacency index of the last step when it went through one, so that a next step through
   * the same index does not look them up again.
   */
  private static final class Frontier {
    final List<NodeKey> keys;
    final IntArrayList ids; // aligned with keys (NO_ID where unknown), or null
    final AdjacencyIndex idsOf;

    Frontier(List<NodeKey> keys, IntArrayList ids, AdjacencyIndex idsOf) {
      this.keys = keys;
      this.ids = ids;
      this.idsOf = idsOf;
    }

    /** The id of the {@code i}th node in {@code index}: -1 when it has none there. */
    int id(int i, AdjacencyIndex index) {
      int id = ids != null && idsOf == index ? ids.getInt(i) : NO_ID;
      return id == NO_ID ? index.id(keys.get(i)) : id;
    }
  }

  /** The adjacency index a step of a walk of {@code length} steps reads, or null. */
  private AdjacencyIndex indexFor(Step step, int length) {
    return step.type() == null || step.direction() == Direction.BOTH
        ? null
        : snapshot.adjacencyIndex(step.type(), step.direction(), length > 1);
  }

  /** The frontier after the first {@code upto} of {@code steps}. */
  private Frontier walk(NodeKey from, List<Step> steps, int upto, boolean distinct, int limit) {
    Frontier frontier = new Frontier(List.of(from), null, null);
    List<NodeKey> neighbours = new ArrayList<>();
    for (int i = 0; i < upto; i++) {
      Step step = steps.get(i);
      boolean last = i == upto - 1;
      AdjacencyIndex index = indexFor(step, steps.size());
      if (index != null) {
        frontier = reachIndexed(index, frontier, step, distinct, last ? limit : Integer.MAX_VALUE);
        continue;
      }
      List<NodeKey> next = new ArrayList<>();
      Set<NodeKey> seen = distinct ? new HashSet<>() : null;
      expand:
      for (NodeKey n : frontier.keys) {
        neighbours.clear();
        neighbours(n, step, neighbours);
        for (NodeKey other : neighbours) {
          if (distinct && !seen.add(other)) {
            continue;
          }
          next.add(other);
          if (last && next.size() >= limit) {
            break expand;
          }
        }
      }
      frontier = new Frontier(next, null, null);
    }
    return frontier;
  }

  /** In a frontier's ids: the node's id in the index is not known (it came from a memtable). */
  private static final int NO_ID = -2;

  /**
   * One step of {@link #reach} through the snapshot's adjacency index: a node whose edges of the
   * step's type the memtables touch is expanded the general way; every other node reads its row of
   * the index. Distinct nodes are marked by id, and only the few neighbours the index does not know
   * (nodes new in the memtables) are hashed.
   */
  private Frontier reachIndexed(
      AdjacencyIndex index, Frontier frontier, Step step, boolean distinct, int limit) {
    AdjacencyIndex.Visited visited = distinct ? index.acquire() : null;
    try {
      return reachIndexed(index, frontier, step, visited, limit);
    } finally {
      if (visited != null) {
        index.release(visited);
      }
    }
  }

  private Frontier reachIndexed(
      AdjacencyIndex index,
      Frontier frontier,
      Step step,
      AdjacencyIndex.Visited visited,
      int limit) {
    boolean distinct = visited != null;
    boolean memTablesHaveType = memTablesHaveEdgesOf(step.type());
    List<NodeKey> keys = frontier.keys;
    List<NodeKey> next = new ArrayList<>();
    IntArrayList nextIds = new IntArrayList();
    Set<NodeKey> seenOutside = distinct ? new HashSet<>() : null;
    List<NodeKey> neighbours = new ArrayList<>();
    for (int f = 0; f < keys.size(); f++) {
      NodeKey n = keys.get(f);
      if (memTablesHaveType && touchedInMemTables(n, step.type(), step.direction())) {
        neighbours.clear();
        neighbours(n, step.type(), step.direction(), false, neighbours);
        for (NodeKey other : neighbours) {
          int id = index.id(other);
          if (distinct && (id >= 0 ? !visited.add(id) : !seenOutside.add(other))) {
            continue;
          }
          next.add(other);
          nextIds.add(id >= 0 ? id : NO_ID);
          if (next.size() >= limit) {
            return new Frontier(next, nextIds, index);
          }
        }
        continue;
      }
      int id = frontier.id(f, index);
      if (id < 0) {
        continue; // no edge of this type in the snapshot
      }
      int end = index.end(id);
      for (int j = index.start(id); j < end; j++) {
        int other = index.target(j);
        if (distinct && !visited.add(other)) {
          continue;
        }
        next.add(index.key(other));
        nextIds.add(other);
        if (next.size() >= limit) {
          return new Frontier(next, nextIds, index);
        }
      }
    }
    return new Frontier(next, nextIds, index);
  }

  /**
   * The last step of {@link #reachCount} through an adjacency index: counts, lists nothing. It
   * repeats {@link #reachIndexed}'s loop on purpose: one loop handing each end to a callback (to
   * list it or to count it) made the Cypher two-hop count about 40 % slower in QueryBench.
   */
  private ReachCount countStep(
      AdjacencyIndex index,
      Frontier frontier,
      NodeKey from,
      Step step,
      AdjacencyIndex.Visited visited) {
    boolean distinct = visited != null;
    boolean memTablesHaveType = memTablesHaveEdgesOf(step.type());
    int fromId = index.id(from);
    long count = 0;
    boolean includesFrom = false;
    Set<NodeKey> seenOutside = distinct ? new HashSet<>() : null;
    List<NodeKey> neighbours = new ArrayList<>();
    List<NodeKey> keys = frontier.keys;
    for (int f = 0; f < keys.size(); f++) {
      NodeKey n = keys.get(f);
      if (memTablesHaveType && touchedInMemTables(n, step.type(), step.direction())) {
        neighbours.clear();
        neighbours(n, step.type(), step.direction(), false, neighbours);
        for (NodeKey other : neighbours) {
          int id = index.id(other);
          if (distinct && (id >= 0 ? !visited.add(id) : !seenOutside.add(other))) {
            continue;
          }
          count++;
          includesFrom |= other.equals(from);
        }
        continue;
      }
      int id = frontier.id(f, index);
      if (id < 0) {
        continue; // no edge of this type in the snapshot
      }
      int end = index.end(id);
      for (int j = index.start(id); j < end; j++) {
        int other = index.target(j);
        if (distinct && !visited.add(other)) {
          continue;
        }
        count++;
        includesFrom |= other == fromId;
      }
    }
    return new ReachCount(count, includesFrom);
  }

  /** Whether any memtable of this view holds an edge (or edge tombstone) of {@code type}. */
  private boolean memTablesHaveEdgesOf(String type) {
    for (MemTable m : memTables) {
      if (m.hasEdgesOf(type)) {
        return true;
      }
    }
    return false;
  }

  private boolean touchedInMemTables(NodeKey node, String type, Direction direction) {
    for (int i = 0; i < memTables.size(); i++) {
      if (memTables.get(i).hasAdjacency(node, type, direction, asOf[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * The other ends of a node's live edges along one step, one per edge, in {@link #edges} order.
   */
  private void neighbours(NodeKey node, Step step, List<NodeKey> sink) {
    if (step.type() == null) { // every type: the general path
      for (Edge e : edges(node, null, step.direction())) {
        sink.add(
            switch (step.direction()) {
              case OUT -> e.to();
              case IN -> e.from();
              case BOTH -> e.from().equals(node) ? e.to() : e.from();
            });
      }
      return;
    }
    if (step.direction() != Direction.IN) {
      neighbours(node, step.type(), Direction.OUT, false, sink);
    }
    if (step.direction() != Direction.OUT) {
      // a loop is one edge: it was listed with the outgoing ones already
      neighbours(node, step.type(), Direction.IN, step.direction() == Direction.BOTH, sink);
    }
  }

  /**
   * The other ends of a node's live edges of one type in one direction: the newest version of each
   * edge across the snapshot's SSTs and the memtables. With one source (the usual case once
   * compacted) its list is read as it is; with several, merged by neighbour, newest last.
   */
  private void neighbours(
      NodeKey node, String type, Direction direction, boolean skipLoops, List<NodeKey> sink) {
    List<List<AdjacencyEntry>> ssts = snapshot.adjacencyLists(node, type, direction);
    List<List<MemTable.EdgeVersion>> recent = List.of();
    for (int i = memTables.size() - 1; i >= 0; i--) {
      List<MemTable.EdgeVersion> versions =
          memTables.get(i).adjacency(node, type, direction, asOf[i]);
      if (!versions.isEmpty()) {
        if (recent.isEmpty()) {
          recent = new ArrayList<>(2);
        }
        recent.add(versions);
      }
    }
    if (ssts.size() + recent.size() == 1) {
      if (!ssts.isEmpty()) {
        for (AdjacencyEntry a : ssts.get(0)) {
          if (!a.tombstone() && !(skipLoops && a.neighbour().equals(node))) {
            sink.add(a.neighbour());
          }
        }
      } else {
        for (MemTable.EdgeVersion v : recent.get(0)) {
          NodeKey other = direction == Direction.OUT ? v.id().to() : v.id().from();
          if (v.edge() != null && !(skipLoops && other.equals(node))) {
            sink.add(other);
          }
        }
      }
      return;
    }
    Map<NodeKey, Boolean> live = new LinkedHashMap<>();
    for (List<AdjacencyEntry> list : ssts) {
      for (AdjacencyEntry a : list) {
        live.put(a.neighbour(), !a.tombstone());
      }
    }
    for (List<MemTable.EdgeVersion> versions : recent) {
      for (MemTable.EdgeVersion v : versions) {
        live.put(direction == Direction.OUT ? v.id().to() : v.id().from(), v.edge() != null);
      }
    }
    for (Map.Entry<NodeKey, Boolean> e : live.entrySet()) {
      if (e.getValue() && !(skipLoops && e.getKey().equals(node))) {
        sink.add(e.getKey());
      }
    }
  }

  /** Distance measures for vector search. */
  public enum Metric {
    L2,
    COSINE
  }

  /**
   * Top-k nearest nodes of a label by a vector property, nearest first, among those matching every
   * filter; approximate where the SSTs have a vector index (see {@link #vectorSearch(String,
   * String, float[], int, List, Metric, Set, boolean)}). Nodes without the property are skipped.
   */
  public List<ScoredNode> vectorSearch(
      String label, String property, float[] query, int k, List<Filter> filters, Metric metric) {
    return vectorSearch(label, property, query, k, filters, metric, Set.of(), false);
  }

  /** As above; an equality filter on an {@code indexed} property narrows the candidates first. */
  public List<ScoredNode> vectorSearch(
      String label,
      String property,
      float[] query,
      int k,
      List<Filter> filters,
      Metric metric,
      Set<String> indexed) {
    return vectorSearch(label, property, query, k, filters, metric, indexed, false);
  }

  /**
   * Top-k nearest nodes of a label by a vector property, nearest first (ties by key), among those
   * matching every filter. Distances are always exact; which nodes are found is exact with {@code
   * exact}, and otherwise approximate where an SST has a vector index of the property ({@link
   * VectorSearch}): L2 only, and not when an equality filter on an {@code indexed} property narrows
   * the candidates (that set is small: it is scanned exactly). Nodes without the property are
   * skipped.
   */
  public List<ScoredNode> vectorSearch(
      String label,
      String property,
      float[] query,
      int k,
      List<Filter> filters,
      Metric metric,
      Set<String> indexed,
      boolean exact) {
    NearestK nearest = new NearestK(label, property, query, k, filters, metric);
    if (usesIndex(filters, indexed)) {
      for (Node n : candidates(label, filters, indexed)) {
        nearest.offer(n.key(), n.props());
      }
      return nearest.result();
    }
    // the newest version of every node of the label the memtables hold, tombstones as null
    Map<Object, Map<String, Object>> recent = new java.util.HashMap<>();
    for (int i = memTables.size() - 1; i >= 0; i--) {
      for (Map.Entry<NodeKey, Node> e : memTables.get(i).nodeVersions(asOf[i])) {
        if (e.getKey().label().equals(label)) {
          recent.put(e.getKey().key(), e.getValue() == null ? null : e.getValue().props());
        }
      }
    }
    if (!exact && metric == Metric.L2) {
      recent.forEach(nearest::offer);
      new VectorSearch(snapshot, label, property, query, k, recent.keySet()).collect(nearest);
      return nearest.result();
    }
    // every live node of the label, without materialising nodes that do not make the top k
    Map<Object, Map<String, Object>> live = new java.util.HashMap<>(snapshot.scan(label));
    live.putAll(recent);
    live.forEach(nearest::offer);
    return nearest.result();
  }

  static double l2(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return Math.sqrt(sum);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    if (na == 0 || nb == 0) {
      return 1.0;
    }
    return 1.0 - dot / (Math.sqrt(na) * Math.sqrt(nb));
  }

  private static List<Edge> live(Collection<Edge> edges) {
    List<Edge> result = new ArrayList<>();
    for (Edge e : edges) {
      if (e != null) {
        result.add(e);
      }
    }
    return result;
  }
}
