package io.namidb.query.graph;

import io.namidb.engine.model.EdgeKey;
import java.util.Map;

/** A relationship as a query value: its identity and the properties read with it. */
public final class RelRef {
  private final EdgeKey key;
  private final Map<String, Object> readProps;

  public RelRef(EdgeKey key, Map<String, Object> readProps) {
    this.key = key;
    this.readProps = readProps;
  }

  public EdgeKey key() {
    return key;
  }

  Map<String, Object> readProps() {
    return readProps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelRef other && key.equals(other.key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return "[" + key + "]";
  }
}
