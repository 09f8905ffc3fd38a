package io.namidb.query.graph;

import io.namidb.engine.graph.Filter;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.LabelDef;
import io.namidb.engine.schema.PropertyType;
import io.namidb.engine.schema.Schema;
import io.namidb.query.CypherException;
import io.namidb.query.eval.Values;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One query's access to the graph: reads of a {@link GraphView} under the query's own writes, which
 * it keeps until {@link #batch()} turns them into one {@link WriteBatch}.
 *
 * <p><b>Identity.</b> A node is its {@link NodeKey}: the label and the key, which queries see as
 * the property {@code key}. A node created without a label is stored under the reserved label
 * {@link #UNLABELED}, which {@link #labels} never shows. A node created without a key is numbered
 * {@code max(key of its label) + 1} when its label has INT64 keys (or is new); a STRING-keyed label
 * requires a key. A relationship is its {@link EdgeKey}: between two nodes one edge of a type.
 *
 * <p><b>Writes.</b> The last state of each node and edge touched is kept (null when deleted); the
 * batch holds that state only, so creating and deleting an entity in one query leaves no trace.
 */
public final class Tx {
  /** The label of nodes created without one. */
  public static final String UNLABELED = "_unlabeled";

  /** The property name that stands for a node's key. */
  public static final String KEY = "key";

  private final GraphView view;
  private final Schema schema;
  private final QueryStats stats;

  // the query's writes: last state per entity, null = deleted (empty and immutable until the
  // first write, so that a read query, most of them, allocates none of this)
  private Map<NodeKey, Map<String, Object>> nodes = Map.of();
  private Map<EdgeKey, Map<String, Object>> edges = Map.of();
  private Writing writing;

  /** What only a writing query keeps. */
  private static final class Writing {
    final Set<NodeKey> createdNodes = new HashSet<>();
    final Set<EdgeKey> createdEdges = new HashSet<>();
    final Set<NodeKey> deleteChecked = new LinkedHashSet<>();
    final Map<String, Long> nextKey = new LinkedHashMap<>();
  }

  public Tx(GraphView view, Schema schema, QueryStats stats) {
    this.view = view;
    this.schema = schema;
    this.stats = stats;
  }

  /** The write state, made at the first write. */
  private Writing writing() {
    if (writing == null) {
      writing = new Writing();
      nodes = new LinkedHashMap<>();
      edges = new LinkedHashMap<>();
    }
    return writing;
  }

  private Map<NodeKey, Map<String, Object>> writtenNodeMap() {
    writing();
    return nodes;
  }

  private Map<EdgeKey, Map<String, Object>> writtenEdgeMap() {
    writing();
    return edges;
  }

  public GraphView view() {
    return view;
  }

  public Schema schema() {
    return schema;
  }

  public QueryStats stats() {
    return stats;
  }

  /** Whether this query wrote anything. */
  public boolean hasWrites() {
    return !nodes.isEmpty() || !edges.isEmpty();
  }

  // ---- reading nodes

  /** The node with this key, or null. */
  public NodeRef node(NodeKey key) {
    if (nodes.containsKey(key)) {
      Map<String, Object> p = nodes.get(key);
      return p == null ? null : new NodeRef(key, p);
    }
    stats.lookups++;
    return view.node(key).map(n -> new NodeRef(key, n.props())).orElse(null);
  }

  /** Whether the node was deleted by this query. */
  public boolean isDeleted(NodeRef n) {
    return nodes.containsKey(n.key()) && nodes.get(n.key()) == null;
  }

  /** Whether the relationship was deleted by this query. */
  public boolean isDeleted(RelRef r) {
    return edges.containsKey(r.key()) && edges.get(r.key()) == null;
  }

  /** Stored properties of a node ({@code key} not included), current as of this query's writes. */
  public Map<String, Object> props(NodeRef n) {
    NodeKey k = n.key();
    if (nodes.containsKey(k)) {
      Map<String, Object> p = nodes.get(k);
      if (p == null) {
        throw deleted("node", k.toString());
      }
      return p;
    }
    if (n.readProps() != null) {
      return n.readProps();
    }
    stats.lookups++;
    return view.node(k).map(Node::props).orElse(Map.of());
  }

  /** Stored properties of a relationship. */
  public Map<String, Object> props(RelRef r) {
    EdgeKey k = r.key();
    if (edges.containsKey(k)) {
      Map<String, Object> p = edges.get(k);
      if (p == null) {
        throw deleted("relationship", k.toString());
      }
      return p;
    }
    if (r.readProps() != null) {
      return r.readProps();
    }
    for (Edge e : view.edges(k.from(), k.type(), Direction.OUT)) {
      if (e.id().equals(k)) {
        return e.props();
      }
    }
    return Map.of();
  }

  /** A node's labels as queries see them: its label, or none for {@link #UNLABELED}. */
  public static List<String> labels(NodeRef n) {
    String label = n.key().label();
    return UNLABELED.equals(label) ? List.of() : List.of(label);
  }

  /** Live nodes of a label (null: every label), in key order per label. */
  public List<NodeRef> scan(String label) {
    List<NodeRef> out = new ArrayList<>();
    for (String l : label == null ? allLabels() : List.of(label)) {
      stats.scans++;
      for (Node n : view.scan(l)) {
        if (!nodes.containsKey(n.id())) {
          out.add(new NodeRef(n.id(), n.props()));
        }
      }
      for (Map.Entry<NodeKey, Map<String, Object>> e : nodes.entrySet()) {
        if (e.getValue() != null && e.getKey().label().equals(l)) {
          out.add(new NodeRef(e.getKey(), e.getValue()));
        }
      }
    }
    return out;
  }

  /**
   * Live nodes of a label whose {@code property} equals {@code value}, through the label's index
   * when the schema declares one (else a scan with a filter).
   */
  public List<NodeRef> seek(String label, String property, Object value) {
    LabelDef def = schema.labels().get(label);
    Set<String> indexed = def == null ? Set.of() : Set.copyOf(def.indexes());
    PropertyType type = def == null ? null : def.properties().get(property);
    Object stored = value;
    if (PropertyType.DOUBLE.equals(type) && value instanceof Long l) {
      stored = (double) l;
    } else if (PropertyType.INT64.equals(type) && value instanceof Double d) {
      stored = d == Math.rint(d) && !d.isInfinite() ? (Object) (long) (double) d : null;
    } else if (PropertyType.TIMESTAMP.equals(type) && value instanceof ZonedDateTime z) {
      stored = z.toInstant(); // a TIMESTAMP holds the instant
    }
    List<NodeRef> out = new ArrayList<>();
    stats.seeks++;
    if (type != null && stored != null) {
      for (Node n :
          view.scan(label, List.of(Filter.eq(property, stored)), Integer.MAX_VALUE, indexed)) {
        if (!nodes.containsKey(n.id())) {
          out.add(new NodeRef(n.id(), n.props()));
        }
      }
    }
    for (Map.Entry<NodeKey, Map<String, Object>> e : nodes.entrySet()) {
      if (e.getValue() != null
          && e.getKey().label().equals(label)
          && Values.equal(Values.fromStored(e.getValue().get(property)), value) == Boolean.TRUE) {
        out.add(new NodeRef(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  /** Every label that may hold nodes: the schema's, the stored data's and this query's. */
  public List<String> allLabels() {
    Set<String> labels = new LinkedHashSet<>(schema.labels().keySet());
    labels.addAll(view.labels());
    for (NodeKey k : nodes.keySet()) {
      labels.add(k.label());
    }
    return new ArrayList<>(labels);
  }

  /** Every edge type that may hold edges. */
  public List<String> allEdgeTypes() {
    Set<String> types = new LinkedHashSet<>(schema.edgeTypes().keySet());
    types.addAll(view.edgeTypes());
    for (EdgeKey k : edges.keySet()) {
      types.add(k.type());
    }
    return new ArrayList<>(types);
  }

  // ---- reading relationships

  /** One relationship leaving or entering a node, with the node at its other end. */
  public record Hop(RelRef rel, NodeRef other) {}

  /**
   * The live relationships of {@code node} of the given types (empty: all) in one direction or
   * both. With {@code BOTH}, a self-loop appears once.
   */
  public List<Hop> expand(NodeRef node, List<String> types, Direction direction) {
    if (isDeleted(node)) {
      return List.of();
    }
    return hops(node.key(), types, direction);
  }

  private List<Hop> hops(NodeKey k, List<String> types, Direction direction) {
    List<Hop> out = new ArrayList<>();
    for (String type :
        types.isEmpty() ? java.util.Collections.<String>singletonList(null) : types) {
      stats.expands++;
      // one direction of the view lists each edge once; only both directions (a self-loop) or
      // the query's own writes can repeat one, so only then are edge keys hashed
      boolean overlay = !edges.isEmpty() || !nodes.isEmpty();
      Set<EdgeKey> seen = direction == Direction.BOTH || overlay ? new HashSet<>() : null;
      if (direction != Direction.IN) {
        for (Edge e : view.edges(k, type, Direction.OUT)) {
          addHop(out, seen, e.id(), e.props(), e.to());
        }
      }
      if (direction != Direction.OUT) {
        for (Edge e : view.edges(k, type, Direction.IN)) {
          addHop(out, seen, e.id(), e.props(), e.from());
        }
      }
      for (Map.Entry<EdgeKey, Map<String, Object>> e : edges.entrySet()) {
        EdgeKey id = e.getKey();
        if (e.getValue() == null || (type != null && !id.type().equals(type))) {
          continue;
        }
        if (direction != Direction.IN && id.from().equals(k)) {
          addHop(out, seen, id, e.getValue(), id.to());
        }
        if (direction != Direction.OUT && id.to().equals(k)) {
          addHop(out, seen, id, e.getValue(), id.from());
        }
      }
    }
    return out;
  }

  private void addHop(
      List<Hop> out, Set<EdgeKey> seen, EdgeKey id, Map<String, Object> props, NodeKey other) {
    if (seen != null && !seen.add(id)) {
      return;
    }
    if (edges.isEmpty() && nodes.isEmpty()) { // nothing written by this query yet
      out.add(new Hop(new RelRef(id, props), new NodeRef(other, null)));
      return;
    }
    if (edges.containsKey(id)) {
      props = edges.get(id);
      if (props == null) {
        return;
      }
    }
    Map<String, Object> otherProps = nodes.containsKey(other) ? nodes.get(other) : null;
    if (nodes.containsKey(other) && otherProps == null) {
      return;
    }
    out.add(new Hop(new RelRef(id, props), new NodeRef(other, otherProps)));
  }

  /** Every live relationship of a type (null: all types). */
  public List<RelRef> scanEdges(String type) {
    List<RelRef> out = new ArrayList<>();
    for (String t : type == null ? allEdgeTypes() : List.of(type)) {
      stats.scans++;
      for (Edge e : view.scanEdges(t)) {
        if (!edges.containsKey(e.id())) {
          out.add(new RelRef(e.id(), e.props()));
        }
      }
      for (Map.Entry<EdgeKey, Map<String, Object>> e : edges.entrySet()) {
        if (e.getValue() != null && e.getKey().type().equals(t)) {
          out.add(new RelRef(e.getKey(), e.getValue()));
        }
      }
    }
    return out;
  }

  /** The relationship if it is live, else null. */
  public RelRef edge(EdgeKey key) {
    if (edges.containsKey(key)) {
      Map<String, Object> p = edges.get(key);
      return p == null ? null : new RelRef(key, p);
    }
    for (Edge e : view.edges(key.from(), key.type(), Direction.OUT)) {
      if (e.id().equals(key)) {
        return new RelRef(key, e.props());
      }
    }
    return null;
  }

  // ---- writing

  /**
   * Creates a node. {@code props} may hold {@code key}; otherwise a key is made (see the class
   * comment). Null values are left out.
   */
  public NodeRef createNode(String label, Map<String, Object> props) {
    String l = label == null ? UNLABELED : label;
    Map<String, Object> p = new LinkedHashMap<>();
    Object key = null;
    for (Map.Entry<String, Object> e : props.entrySet()) {
      if (KEY.equals(e.getKey())) {
        key = e.getValue();
      } else if (e.getValue() != null) {
        p.put(e.getKey(), nodeValue(l, e.getKey(), e.getValue()));
      }
    }
    if (key == null) {
      key = newKey(l);
    } else if (key instanceof Double d && d == Math.rint(d)) {
      key = (long) (double) d;
    }
    if (!(key instanceof String) && !(key instanceof Long)) {
      throw CypherException.typeError(
          "a node key must be a string or an integer. label=" + l + " key=" + key);
    }
    NodeKey k = new NodeKey(l, key);
    if (node(k) != null) {
      throw CypherException.runtime(
          "ConstraintValidationFailed",
          "NodeKeyExists",
          "a node with this key exists. label=" + l + " key=" + key);
    }
    writtenNodeMap().put(k, p);
    writing().createdNodes.add(k);
    stats.nodesCreated++;
    stats.propertiesSet += p.size();
    if (label != null) {
      stats.labelsAdded++;
    }
    return new NodeRef(k, p);
  }

  private Object newKey(String label) {
    LabelDef def = schema.labels().get(label);
    if (def != null && def.keyType() == PropertyType.STRING) {
      throw CypherException.runtime(
          "ArgumentError",
          "MissingKey",
          "nodes of this label have STRING keys: give the node a key property. label=" + label);
    }
    Map<String, Long> nextKey = writing().nextKey;
    long next = nextKey.computeIfAbsent(label, l -> view.maxIntKey(l) + 1);
    for (NodeKey k : nodes.keySet()) {
      if (k.label().equals(label) && k.key() instanceof Long n && n >= next) {
        next = n + 1;
      }
    }
    nextKey.put(label, next + 1);
    return next;
  }

  /** Sets (value non-null) or removes (null) one property of a node. */
  public void setProperty(NodeRef n, String name, Object value) {
    if (KEY.equals(name)) {
      throw CypherException.unsupported(
          "changing a node's key", "the key is the node's identity. node=" + n.key());
    }
    Map<String, Object> p = new LinkedHashMap<>(props(n));
    putCounted(p, name, nodeValue(n.key().label(), name, value));
    writtenNodeMap().put(n.key(), p);
  }

  /** Replaces ({@code merge} false) or merges the properties of a node. */
  public void setProperties(NodeRef n, Map<String, Object> values, boolean merge) {
    Map<String, Object> p = new LinkedHashMap<>(props(n));
    if (!merge) {
      for (String name : List.copyOf(p.keySet())) {
        if (!values.containsKey(name)) {
          p.remove(name);
          stats.propertiesSet++;
        }
      }
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (KEY.equals(e.getKey())) {
        if (!Objects.equals(e.getValue(), n.key().key())) {
          throw CypherException.unsupported(
              "changing a node's key", "the key is the node's identity. node=" + n.key());
        }
        continue;
      }
      putCounted(p, e.getKey(), nodeValue(n.key().label(), e.getKey(), e.getValue()));
    }
    writtenNodeMap().put(n.key(), p);
  }

  /** Sets or removes one property of a relationship. */
  public void setProperty(RelRef r, String name, Object value) {
    Map<String, Object> p = new LinkedHashMap<>(props(r));
    putCounted(p, name, edgeValue(r.key().type(), name, value));
    writtenEdgeMap().put(r.key(), p);
  }

  /** Replaces or merges the properties of a relationship. */
  public void setProperties(RelRef r, Map<String, Object> values, boolean merge) {
    Map<String, Object> p = new LinkedHashMap<>(props(r));
    if (!merge) {
      for (String name : List.copyOf(p.keySet())) {
        if (!values.containsKey(name)) {
          p.remove(name);
          stats.propertiesSet++;
        }
      }
    }
    values.forEach((k, v) -> putCounted(p, k, edgeValue(r.key().type(), k, v)));
    writtenEdgeMap().put(r.key(), p);
  }

  private Object nodeValue(String label, String name, Object v) {
    LabelDef def = schema.labels().get(label);
    return Stored.of(v, def == null ? null : def.properties().get(name), name, "label=" + label);
  }

  private Object edgeValue(String type, String name, Object v) {
    var def = schema.edgeTypes().get(type);
    return Stored.of(v, def == null ? null : def.properties().get(name), name, "type=" + type);
  }

  private void putCounted(Map<String, Object> p, String name, Object value) {
    if (value == null) {
      if (p.remove(name) != null) {
        stats.propertiesSet++;
      }
    } else {
      p.put(name, value);
      stats.propertiesSet++;
    }
  }

  /** Creates a relationship; refuses a second one of the type between the same two nodes. */
  public RelRef createEdge(String type, NodeRef from, NodeRef to, Map<String, Object> props) {
    for (NodeRef end : List.of(from, to)) {
      if (isDeleted(end)) {
        throw deleted("node", end.key().toString());
      }
    }
    EdgeKey k = new EdgeKey(type, from.key(), to.key());
    if (edge(k) != null) {
      throw CypherException.unsupported(
          "two relationships of one type between the same two nodes",
          "NamiDB holds at most one edge of a type from one node to another. type="
              + type
              + " from="
              + from.key()
              + " to="
              + to.key());
    }
    Map<String, Object> p = new LinkedHashMap<>();
    props.forEach(
        (name, v) -> {
          if (v != null) {
            p.put(name, edgeValue(type, name, v));
          }
        });
    writtenEdgeMap().put(k, p);
    writing().createdEdges.add(k);
    stats.relationshipsCreated++;
    stats.propertiesSet += p.size();
    return new RelRef(k, p);
  }

  /** Deletes a relationship (no-op when already deleted). */
  public void deleteEdge(RelRef r) {
    if (isDeleted(r)) {
      return;
    }
    writtenEdgeMap().put(r.key(), null);
    stats.relationshipsDeleted++;
  }

  /**
   * Deletes a node; {@code detach} deletes its relationships too, otherwise the query must delete
   * them before it ends ({@link #batch} checks).
   */
  public void deleteNode(NodeRef n, boolean detach) {
    if (isDeleted(n)) {
      return;
    }
    if (detach) {
      for (Hop h : hops(n.key(), List.of(), Direction.BOTH)) {
        deleteEdge(h.rel());
      }
    } else {
      writing().deleteChecked.add(n.key());
    }
    writtenNodeMap().put(n.key(), null);
    stats.nodesDeleted++;
  }

  /**
   * The writes as one batch (node upserts, edge upserts, edge deletes, node deletes), after
   * checking that no deleted node keeps a relationship.
   */
  public WriteBatch batch() {
    if (writing == null) {
      return WriteBatch.builder().build();
    }
    for (NodeKey k : writing.deleteChecked) {
      if (nodes.get(k) == null && !hops(k, List.of(), Direction.BOTH).isEmpty()) {
        throw CypherException.runtime(
            "ConstraintVerificationFailed",
            "DeleteConnectedNode",
            "cannot delete a node that still has relationships; use DETACH DELETE. node=" + k);
      }
    }
    WriteBatch.Builder b = WriteBatch.builder();
    for (Map.Entry<NodeKey, Map<String, Object>> e : nodes.entrySet()) {
      if (e.getValue() != null) {
        b.node(new Node(e.getKey(), e.getValue()));
      } else if (!writing.createdNodes.contains(e.getKey())) {
        b.deleteNode(e.getKey());
      }
    }
    for (Map.Entry<EdgeKey, Map<String, Object>> e : edges.entrySet()) {
      if (e.getValue() != null) {
        b.edge(new Edge(e.getKey(), e.getValue()));
      } else if (!writing.createdEdges.contains(e.getKey()) && !deletedWithNode(e.getKey())) {
        b.deleteEdge(e.getKey());
      }
    }
    return b.build();
  }

  /** An edge whose end node is deleted goes with it (the engine cascades). */
  private boolean deletedWithNode(EdgeKey k) {
    return (nodes.containsKey(k.from()) && nodes.get(k.from()) == null)
        || (nodes.containsKey(k.to()) && nodes.get(k.to()) == null);
  }

  private static CypherException deleted(String what, String id) {
    return CypherException.runtime(
        "EntityNotFound",
        "DeletedEntityAccess",
        what + " was deleted by this query. " + what + "=" + id);
  }
}
