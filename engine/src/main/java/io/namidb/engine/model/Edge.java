package io.namidb.engine.model;

import java.util.Map;
import java.util.Objects;

/** An edge with its properties (value types as {@link Node}). An upsert replaces its props. */
public record Edge(EdgeKey id, Map<String, Object> props) {
  public Edge {
    Objects.requireNonNull(id, "id");
    props = Props.copyOf(props);
  }

  public String type() {
    return id.type();
  }

  public NodeKey from() {
    return id.from();
  }

  public NodeKey to() {
    return id.to();
  }
}
