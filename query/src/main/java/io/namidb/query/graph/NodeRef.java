package io.namidb.query.graph;

import io.namidb.engine.model.NodeKey;
import java.util.Map;

/**
 * A node as a query value: its identity, and the properties it had when it was read (a cache; the
 * transaction's own writes take precedence, see {@link Tx#props(NodeRef)}). Equal by identity.
 */
public final class NodeRef {
  private final NodeKey key;
  private final Map<String, Object> readProps;

  public NodeRef(NodeKey key, Map<String, Object> readProps) {
    this.key = key;
    this.readProps = readProps;
  }

  public NodeKey key() {
    return key;
  }

  /** Properties as read, or null when not read yet. */
  Map<String, Object> readProps() {
    return readProps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeRef other && key.equals(other.key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return "(" + key + ")";
  }
}
