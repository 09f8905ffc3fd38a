package io.namidb.engine.model;

import java.util.Objects;

/** Identity of an edge: between two nodes an edge type holds at most one edge (DESIGN §5). */
public record EdgeKey(String type, NodeKey from, NodeKey to) {
  public EdgeKey {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  @Override
  public String toString() {
    return from + "-[" + type + "]->" + to;
  }
}
