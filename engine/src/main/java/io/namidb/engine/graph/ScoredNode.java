package io.namidb.engine.graph;

/** A vector search hit: the node and its distance to the query (smaller is nearer). */
public record ScoredNode(Node node, double distance) {}
