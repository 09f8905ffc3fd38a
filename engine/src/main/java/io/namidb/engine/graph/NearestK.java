package io.namidb.engine.graph;

import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The {@code k} nodes of one label nearest to a query vector among those offered, each offered node
 * checked against the filters: what exact and approximate vector search both collect into.
 */
final class NearestK {
  private record Hit(Object key, Map<String, Object> props, double distance) {}

  private final String label;
  private final String property;
  private final float[] query;
  private final int k;
  private final List<Filter> filters;
  private final GraphView.Metric metric;

  /** Nearest first, ties by key: the order of the answer, and of which tie stays in it. */
  private static final Comparator<Hit> NEAREST_FIRST =
      Comparator.comparingDouble(Hit::distance)
          .thenComparing((a, b) -> NodeKey.compareKeys(a.key(), b.key()));

  /** The worst kept at the root. */
  private final PriorityQueue<Hit> heap = new PriorityQueue<>(NEAREST_FIRST.reversed());

  NearestK(
      String label,
      String property,
      float[] query,
      int k,
      List<Filter> filters,
      GraphView.Metric metric) {
    this.label = label;
    this.property = property;
    this.query = query;
    this.k = k;
    this.filters = filters;
    this.metric = metric;
  }

  /**
   * Offers a live node's properties (null: deleted, skipped). True when it qualifies (holds the
   * vector at the query's dimension and passes every filter), whether or not it is among the
   * nearest so far.
   */
  boolean offer(Object key, Map<String, Object> props) {
    if (!qualifies(props)) {
      return false;
    }
    float[] v = (float[]) props.get(property);
    double d = metric == GraphView.Metric.L2 ? GraphView.l2(query, v) : GraphView.cosine(query, v);
    Hit hit = new Hit(key, props, d);
    if (heap.size() < k) {
      heap.add(hit);
    } else if (NEAREST_FIRST.compare(hit, heap.peek()) < 0) {
      heap.poll();
      heap.add(hit);
    }
    return true;
  }

  /** Whether a node's properties hold the vector at the query's dimension and pass the filters. */
  boolean qualifies(Map<String, Object> props) {
    if (props == null || !(props.get(property) instanceof float[] v) || v.length != query.length) {
      return false;
    }
    for (Filter f : filters) {
      if (!f.test(props)) {
        return false;
      }
    }
    return true;
  }

  /** The nearest offered, nearest first (ties by node id). */
  List<ScoredNode> result() {
    List<ScoredNode> result = new ArrayList<>(heap.size());
    for (Hit h : heap) {
      result.add(new ScoredNode(new Node(new NodeKey(label, h.key()), h.props()), h.distance()));
    }
    result.sort(Comparator.comparingDouble(ScoredNode::distance).thenComparing(s -> s.node().id()));
    return result;
  }
}
