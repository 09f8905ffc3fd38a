package io.namidb.engine.model;

import io.namidb.engine.NamiException;
import java.util.Objects;

/**
 * Identity of a node: its label and its key, unique within the label. The key is a {@link String}
 * or a {@link Long} (schema key types {@code STRING} / {@code INT64}).
 */
public record NodeKey(String label, Object key) implements Comparable<NodeKey> {

  public NodeKey {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(key, "key");
    if (!(key instanceof String) && !(key instanceof Long)) {
      throw new NamiException(
          NamiException.Kind.INVALID_INPUT,
          "node key must be a string or an int64. label="
              + label
              + " key="
              + key
              + " type="
              + key.getClass().getSimpleName());
    }
  }

  public static NodeKey of(String label, String key) {
    return new NodeKey(label, key);
  }

  public static NodeKey of(String label, long key) {
    return new NodeKey(label, key);
  }

  /** Orders by label, then int keys before string keys, then the key's natural order. */
  @Override
  public int compareTo(NodeKey other) {
    int c = label.compareTo(other.label);
    if (c != 0) {
      return c;
    }
    return compareKeys(key, other.key);
  }

  /** Orders two keys of one label: numbers numerically, strings lexicographically, INT64 first. */
  public static int compareKeys(Object a, Object b) {
    if (a instanceof Long la && b instanceof Long lb) {
      return Long.compare(la, lb);
    }
    if (a instanceof String sa && b instanceof String sb) {
      return sa.compareTo(sb);
    }
    return a instanceof Long ? -1 : 1;
  }

  @Override
  public String toString() {
    return label + ":" + key;
  }
}
