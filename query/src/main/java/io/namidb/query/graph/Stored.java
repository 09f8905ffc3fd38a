package io.namidb.query.graph;

import io.namidb.engine.schema.PropertyType;
import io.namidb.query.CypherException;
import io.namidb.query.eval.Values;
import java.util.List;
import java.util.Map;

/**
 * Query values to stored property values. Integers, floats, strings and booleans are stored as they
 * are; an integer written to a DOUBLE property becomes a float; a list of numbers written to a
 * VECTOR property becomes a vector, an ISO-8601 date-time string written to a TIMESTAMP property an
 * instant. Other lists are not storable (NamiDB has no list properties), maps and graph elements
 * never are (a {@code TypeError}, as in Cypher).
 */
public final class Stored {
  private Stored() {}

  /**
   * @param declared the property's declared type, or null when undeclared
   * @param owner for messages, e.g. {@code label=Person}
   */
  public static Object of(Object v, PropertyType declared, String name, String owner) {
    if (v instanceof String s && PropertyType.TIMESTAMP.equals(declared)) {
      return timestamp(s, "property=" + name + " " + owner);
    }
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof byte[]) {
      return v;
    }
    if (v instanceof Long l) {
      return PropertyType.DOUBLE.equals(declared) ? (Object) (double) l : v;
    }
    if (v instanceof Double || v instanceof java.time.Instant) {
      return v;
    }
    if (v instanceof java.time.ZonedDateTime z) {
      return z.toInstant(); // a TIMESTAMP is an instant: the zone is not kept
    }
    if (v instanceof java.time.temporal.TemporalAccessor
        || v instanceof io.namidb.query.eval.DurationValue) {
      throw CypherException.unsupported(
          "storing a " + Values.typeName(v) + " property",
          "NamiDB stores a date-time as a TIMESTAMP, an instant: store a datetime(), or a string."
              + " property="
              + name
              + " "
              + owner);
    }
    if (v instanceof List<?> list) {
      if (declared != null && declared.isVector()) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
          Object x = list.get(i);
          if (!(x instanceof Number n)) {
            throw CypherException.typeError(
                "a vector holds numbers only. property=" + name + " " + owner);
          }
          f[i] = n.floatValue();
        }
        return f;
      }
      for (Object x : list) {
        if (x instanceof Map || x instanceof List || x instanceof NodeRef || x instanceof RelRef) {
          throw CypherException.runtime(
              "TypeError",
              "InvalidPropertyType",
              "a property value cannot be a list of "
                  + Values.typeName(x)
                  + ". property="
                  + name
                  + " "
                  + owner);
        }
      }
      throw CypherException.unsupported(
          "list property values",
          "NamiDB stores BOOL, INT64, DOUBLE, STRING, TIMESTAMP, BYTES and VECTOR properties. property="
              + name
              + " "
              + owner);
    }
    throw CypherException.runtime(
        "TypeError",
        "InvalidPropertyType",
        "a property value cannot be a " + Values.typeName(v) + ". property=" + name + " " + owner);
  }

  /**
   * An ISO-8601 date-time with an offset ({@code 2024-05-01T10:00:00Z}, {@code
   * 2024-05-01T12:00:00.5+02:00}) as the instant a TIMESTAMP holds.
   *
   * @param where for the message, e.g. {@code property=born label=Person}
   */
  public static java.time.Instant timestamp(String s, String where) {
    try {
      return java.time.OffsetDateTime.parse(s).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw CypherException.runtime(
          "TypeError",
          "InvalidArgumentValue",
          "a TIMESTAMP is an ISO-8601 date-time with an offset, e.g. 2024-05-01T10:00:00Z. value="
              + s
              + " "
              + where);
    }
  }
}
