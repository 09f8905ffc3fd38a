package io.namidb.engine.schema;

import static io.namidb.engine.schema.SchemaRules.invalid;
import static io.namidb.engine.schema.SchemaRules.message;

import java.time.Instant;

/**
 * Checks of one Java value against its declared {@link PropertyType}, shared by batch validation
 * and JSON coercion. Besides the Java type and the vector dimension:
 *
 * <ul>
 *   <li>DOUBLE values and VECTOR elements must be finite: NaN and ±Infinity have no JSON form, and
 *       they break ordering, range filters and distances;
 *   <li>TIMESTAMP values must fit int64 nanoseconds since the epoch ({@link #MIN_TIMESTAMP} ..
 *       {@link #MAX_TIMESTAMP}), the node SSTs' column type;
 *   <li>strings (values and keys) must be valid UTF-16 (no unpaired surrogate), or they would not
 *       survive the UTF-8 encoding of the WAL and SSTs unchanged;
 *   <li>STRING keys must not be empty: {@code GET /v1/nodes/{label}/{key}} could not address them.
 * </ul>
 */
final class Values {
  static final Instant MIN_TIMESTAMP =
      Instant.ofEpochSecond(
          Math.floorDiv(Long.MIN_VALUE, 1_000_000_000L),
          Math.floorMod(Long.MIN_VALUE, 1_000_000_000L));
  static final Instant MAX_TIMESTAMP =
      Instant.ofEpochSecond(
          Math.floorDiv(Long.MAX_VALUE, 1_000_000_000L),
          Math.floorMod(Long.MAX_VALUE, 1_000_000_000L));

  private Values() {}

  /** The schema type name of a Java value: {@code INT64}, {@code VECTOR(3)}, ... */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Boolean) {
      return "BOOL";
    }
    if (value instanceof Long) {
      return "INT64";
    }
    if (value instanceof Double) {
      return "DOUBLE";
    }
    if (value instanceof String) {
      return "STRING";
    }
    if (value instanceof Instant) {
      return "TIMESTAMP";
    }
    if (value instanceof byte[]) {
      return "BYTES";
    }
    if (value instanceof float[] f) {
      return "VECTOR(" + f.length + ")";
    }
    return value.getClass().getSimpleName();
  }

  /** Whether {@code value} (not null) has the Java type and dimension of {@code type}. */
  static boolean hasType(Object value, PropertyType type) {
    return switch (type.kind()) {
      case BOOL -> value instanceof Boolean;
      case INT64 -> value instanceof Long;
      case DOUBLE -> value instanceof Double;
      case STRING -> value instanceof String;
      case TIMESTAMP -> value instanceof Instant;
      case BYTES -> value instanceof byte[];
      case VECTOR -> value instanceof float[] f && f.length == type.dim();
    };
  }

  /**
   * Whether {@link #checkValue} would accept {@code value}, without building a message: the fast
   * path of validation, for a value that is almost always valid.
   */
  static boolean valid(Object value, PropertyType type) {
    if (value == null) {
      return true;
    }
    if (!hasType(value, type)) {
      return false;
    }
    return switch (type.kind()) {
      case DOUBLE -> Double.isFinite((Double) value);
      case VECTOR -> allFinite((float[]) value);
      case TIMESTAMP -> {
        Instant t = (Instant) value;
        yield !t.isBefore(MIN_TIMESTAMP) && !t.isAfter(MAX_TIMESTAMP);
      }
      case STRING -> validUtf16((String) value);
      default -> true;
    };
  }

  /** Whether {@link #checkKey} would accept {@code key}, without building a message. */
  static boolean validKey(Object key, PropertyType keyType) {
    return hasType(key, keyType) && (!(key instanceof String s) || (!s.isEmpty() && validUtf16(s)));
  }

  private static boolean allFinite(float[] f) {
    for (float x : f) {
      if (!Float.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  private static boolean validUtf16(String s) {
    return unpairedSurrogate(s) < 0;
  }

  /** The index of the first unpaired surrogate of {@code s}, or -1 if it is valid UTF-16. */
  private static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Checks a property value; null is always valid.
   *
   * @param path the value's field path, e.g. {@code nodes[3].props.age}
   * @param context {@code key=value} pairs naming the item, e.g. {@code label=Person key=bob}
   */
  static void checkValue(Object value, PropertyType type, String path, String context) {
    if (value == null) {
      return;
    }
    if (!hasType(value, type)) {
      throw invalid(path, message("expected " + type + ", got " + describe(value), context));
    }
    switch (type.kind()) {
      case DOUBLE -> {
        double d = (Double) value;
        if (!Double.isFinite(d)) {
          throw invalid(path, message("DOUBLE must be finite", "value=" + d, context));
        }
      }
      case VECTOR -> {
        float[] f = (float[]) value;
        for (int i = 0; i < f.length; i++) {
          if (!Float.isFinite(f[i])) {
            throw invalid(
                path + "[" + i + "]",
                message("VECTOR element must be finite", "value=" + f[i], context));
          }
        }
      }
      case TIMESTAMP -> checkTimestamp((Instant) value, path, context);
      case STRING -> checkString((String) value, path, context);
      default -> {}
    }
  }

  /** Checks a node key against its label's key type. */
  static void checkKey(Object key, PropertyType keyType, String path, String context) {
    if (!hasType(key, keyType)) {
      throw invalid(path, message("expected " + keyType + ", got " + describe(key), context));
    }
    if (key instanceof String s) {
      if (s.isEmpty()) {
        throw invalid(path, message("STRING key must not be empty", context));
      }
      checkString(s, path, context);
    }
  }

  static void checkTimestamp(Instant t, String path, String context) {
    if (t.isBefore(MIN_TIMESTAMP) || t.isAfter(MAX_TIMESTAMP)) {
      throw invalid(
          path,
          message(
              "TIMESTAMP out of range, must be within " + MIN_TIMESTAMP + ".." + MAX_TIMESTAMP,
              "value=" + t,
              context));
    }
  }

  static void checkString(String s, String path, String context) {
    int at = unpairedSurrogate(s);
    if (at >= 0) {
      throw invalid(path, message("string has an unpaired surrogate", "index=" + at, context));
    }
  }
}
