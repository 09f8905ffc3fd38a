package io.namidb.engine.model;

import io.namidb.engine.NamiException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Property maps: validation of value types, defensive copies and value equality. */
public final class Props {
  private Props() {}

  /**
   * An unmodifiable copy in insertion order without null values (null means absent); rejects
   * unsupported types.
   */
  static Map<String, Object> copyOf(Map<String, Object> props) {
    if (props == null || props.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : props.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        throw new NamiException(NamiException.Kind.INVALID_INPUT, "property name is empty");
      }
      Object value = checkValue(e.getKey(), e.getValue());
      if (value != null) { // null means absent: a property set to null is not stored
        copy.put(e.getKey(), value);
      }
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object checkValue(String name, Object v) {
    if (v == null
        || v instanceof Boolean
        || v instanceof Long
        || v instanceof Double
        || v instanceof String
        || v instanceof Instant) {
      return v;
    }
    if (v instanceof byte[] b) {
      return b.clone();
    }
    if (v instanceof float[] f) {
      return f.clone();
    }
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    throw new NamiException(
        NamiException.Kind.INVALID_INPUT,
        "unsupported property value type. property="
            + name
            + " type="
            + v.getClass().getSimpleName());
  }

  /** Equality that compares {@code byte[]} and {@code float[]} values by content. */
  public static boolean equal(Map<String, Object> a, Map<String, Object> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, Object> e : a.entrySet()) {
      if (!b.containsKey(e.getKey()) || !valueEquals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  public static boolean valueEquals(Object x, Object y) {
    if (x instanceof byte[] bx && y instanceof byte[] by) {
      return Arrays.equals(bx, by);
    }
    if (x instanceof float[] fx && y instanceof float[] fy) {
      return Arrays.equals(fx, fy);
    }
    return java.util.Objects.equals(x, y);
  }
}
