package io.namidb.engine.model;

import java.util.Map;
import java.util.Objects;

/**
 * A node with its properties. Property values are {@code null}, {@link Boolean}, {@link Long},
 * {@link Double}, {@link String}, {@link java.time.Instant} (TIMESTAMP), {@code byte[]} (BYTES) or
 * {@code float[]} (VECTOR). An upsert replaces the node's whole property map.
 */
public record Node(NodeKey id, Map<String, Object> props) {
  public Node {
    Objects.requireNonNull(id, "id");
    props = Props.copyOf(props);
  }

  public String label() {
    return id.label();
  }

  public Object key() {
    return id.key();
  }
}
