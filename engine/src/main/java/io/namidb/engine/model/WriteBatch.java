package io.namidb.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One atomic group of mutations (the body of {@code POST /v1/write}, DESIGN §8): applied whole or
 * not at all, in this order: node upserts, edge upserts, edge deletes, node deletes.
 */
public record WriteBatch(
    List<Node> nodes, List<Edge> edges, List<NodeKey> deleteNodes, List<EdgeKey> deleteEdges) {

  public WriteBatch {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    deleteNodes = List.copyOf(deleteNodes);
    deleteEdges = List.copyOf(deleteEdges);
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean isEmpty() {
    return nodes.isEmpty() && edges.isEmpty() && deleteNodes.isEmpty() && deleteEdges.isEmpty();
  }

  public int size() {
    return nodes.size() + edges.size() + deleteNodes.size() + deleteEdges.size();
  }

  /** Collects mutations for a batch. */
  public static final class Builder {
    private final List<Node> nodes = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();
    private final List<NodeKey> deleteNodes = new ArrayList<>();
    private final List<EdgeKey> deleteEdges = new ArrayList<>();

    public Builder node(Node node) {
      nodes.add(node);
      return this;
    }

    public Builder edge(Edge edge) {
      edges.add(edge);
      return this;
    }

    public Builder deleteNode(NodeKey node) {
      deleteNodes.add(node);
      return this;
    }

    public Builder deleteEdge(EdgeKey edge) {
      deleteEdges.add(edge);
      return this;
    }

    public WriteBatch build() {
      return new WriteBatch(nodes, edges, deleteNodes, deleteEdges);
    }
  }
}
