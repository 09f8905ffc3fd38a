package io.namidb.engine.graph;

import io.namidb.engine.model.Direction;

/** One hop of a traversal: follow edges of {@code type} (null: any) in {@code direction}. */
public record Step(String type, Direction direction) {}
