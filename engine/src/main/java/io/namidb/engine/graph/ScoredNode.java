package io.namidb.engine.graph;

import io.namidb.engine.model.Node;

/** A vector search hit: the node and its distance to the query (smaller is nearer). */
public record ScoredNode(Node node, double distance) {}
