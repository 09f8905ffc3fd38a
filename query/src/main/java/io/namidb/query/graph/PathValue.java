package io.namidb.query.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * A path: {@code nodes.size() == rels.size() + 1}; relationship i joins node i and node i+1 (in
 * either direction).
 */
public record PathValue(List<NodeRef> nodes, List<RelRef> rels) {
  public PathValue {
    nodes = List.copyOf(nodes);
    rels = List.copyOf(rels);
  }

  /** The path as an alternating list node, rel, node, ... */
  public List<Object> elements() {
    List<Object> out = new ArrayList<>(nodes.size() + rels.size());
    for (int i = 0; i < nodes.size(); i++) {
      out.add(nodes.get(i));
      if (i < rels.size()) {
        out.add(rels.get(i));
      }
    }
    return out;
  }
}
