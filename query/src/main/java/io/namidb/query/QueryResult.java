package io.namidb.query;

import java.util.List;
import java.util.Map;

/**
 * The answer to a query: column names, rows of rendered values, and what the query did. Values are
 * null, Boolean, Long, Double, String, List, Map, {@link Node}, {@link Relationship} and {@link
 * Path}; stored timestamps are ISO-8601 strings, bytes base64 strings, vectors lists of floats.
 *
 * @param stats counters of what was written ({@code nodesCreated}, ...), and {@code lsn} when the
 *     query committed a batch
 * @param plan the operator tree for EXPLAIN and PROFILE, else null
 */
public record QueryResult(
    List<String> columns, List<List<Object>> rows, Map<String, Object> stats, PlanNode plan) {

  /** A node: its label (null when it has none), key and properties (the key not among them). */
  public record Node(String label, Object key, Map<String, Object> props) {}

  /** A relationship: its type, the keys of its ends, and its properties. */
  public record Relationship(String type, NodeId from, NodeId to, Map<String, Object> props) {}

  /** A node's identity. */
  public record NodeId(String label, Object key) {}

  /** A path: node, relationship, node, ... */
  public record Path(List<Object> elements) {}

  /**
   * One operator of a plan: its description, and with PROFILE the rows it produced and the
   * object-store GETs it made itself.
   */
  public record PlanNode(String operator, Long rows, Long gets, List<PlanNode> children) {}
}
