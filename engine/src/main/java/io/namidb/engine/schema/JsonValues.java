package io.namidb.engine.schema;

import static io.namidb.engine.schema.SchemaJson.isPresent;
import static io.namidb.engine.schema.SchemaJson.kind;
import static io.namidb.engine.schema.SchemaRules.invalid;
import static io.namidb.engine.schema.SchemaRules.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.namidb.engine.NamiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * JSON encoding of property values and keys, per declared type (DESIGN §8 bodies):
 *
 * <table>
 *   <caption>JSON form of each type</caption>
 *   <tr><th>type</th><th>accepted</th><th>written</th></tr>
 *   <tr><td>BOOL</td><td>{@code true}/{@code false} only</td><td>same</td></tr>
 *   <tr><td>INT64</td><td>a number without fraction or exponent, within int64</td>
 *       <td>a number</td></tr>
 *   <tr><td>DOUBLE</td><td>any number whose double is finite</td><td>a number</td></tr>
 *   <tr><td>STRING</td><td>a string</td><td>same</td></tr>
 *   <tr><td>TIMESTAMP</td><td>an ISO-8601 string with a zone offset ({@code Z} or {@code +02:00}),
 *       up to nanoseconds; no epoch numbers (their unit would be a guess)</td>
 *       <td>ISO-8601 UTC, {@code 2026-11-24T07:00:00.123Z}</td></tr>
 *   <tr><td>BYTES</td><td>base64, standard alphabet (RFC 4648 §4), padding optional</td>
 *       <td>base64 with padding</td></tr>
 *   <tr><td>VECTOR(dim)</td><td>an array of exactly dim numbers, each finite as float32</td>
 *       <td>an array of numbers (shortest float32 text)</td></tr>
 * </table>
 *
 * JSON {@code null} (or an absent value) is a null property for every type, which {@code
 * graph.Props} keeps as absent; responses omit absent properties. Nothing else is converted: no
 * strings for numbers or booleans, no numbers for strings. Values produced here also pass the
 * checks of {@link Schema#validate}. Messages start with the field path given by the caller, e.g.
 * {@code nodes[3].props.age: expected INT64, got JSON string. label=Person key=bob}.
 */
public final class JsonValues {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private JsonValues() {}

  /**
   * Converts a JSON value to the Java value of {@code type}; JSON null or a missing node gives
   * null.
   *
   * @param path the field path used in messages, e.g. {@code nodes[3].props.age}
   * @throws NamiException INVALID_INPUT naming the path
   */
  public static Object fromJson(JsonNode json, PropertyType type, String path) {
    return fromJson(json, type, path, "");
  }

  static Object fromJson(JsonNode json, PropertyType type, String path, String context) {
    if (!isPresent(json)) {
      return null;
    }
    Object value =
        switch (type.kind()) {
          case BOOL -> {
            if (!json.isBoolean()) {
              throw mismatch(json, "BOOL", path, context);
            }
            yield json.booleanValue();
          }
          case INT64 -> int64(json, path, context);
          case DOUBLE -> {
            if (!json.isNumber()) {
              throw mismatch(json, "DOUBLE", path, context);
            }
            double d = json.doubleValue();
            if (!Double.isFinite(d)) {
              throw invalid(
                  path, message("number out of DOUBLE range", "value=" + json.asText(), context));
            }
            yield d;
          }
          case STRING -> {
            if (!json.isTextual()) {
              throw mismatch(json, "STRING", path, context);
            }
            yield json.textValue();
          }
          case TIMESTAMP -> timestamp(json, path, context);
          case BYTES -> bytes(json, path, context);
          case VECTOR -> vector(json, type, path, context);
        };
    Values.checkValue(value, type, path, context);
    return value;
  }

  /**
   * Converts a JSON node key to a {@link String} or {@link Long} per the label's key type. Keys are
   * required: JSON null or a missing node is refused, and so is an empty STRING key.
   */
  public static Object keyFromJson(JsonNode json, PropertyType keyType, String path) {
    return keyFromJson(json, keyType, path, "");
  }

  static Object keyFromJson(JsonNode json, PropertyType keyType, String path, String context) {
    if (!isPresent(json)) {
      throw invalid(path, message("key is required", context));
    }
    Object key =
        switch (keyType.kind()) {
          case INT64 -> int64(json, path, context);
          case STRING -> {
            if (!json.isTextual()) {
              throw mismatch(json, "STRING", path, context);
            }
            yield json.textValue();
          }
          default -> throw new IllegalArgumentException("not a key type: " + keyType);
        };
    Values.checkKey(key, keyType, path, context);
    return key;
  }

  /**
   * Converts a key given as text (a URL path segment) per the label's key type: INT64 keys are
   * decimal integers.
   */
  public static Object keyFromText(String text, PropertyType keyType, String path) {
    Object key;
    if (keyType.kind() == PropertyType.Kind.INT64) {
      try {
        key = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw invalid(path, message("expected an INT64 key", "value=" + text));
      }
    } else {
      key = text;
    }
    Values.checkKey(key, keyType, path, "");
    return key;
  }

  /**
   * The JSON form of a value of {@code type}; null gives JSON null.
   *
   * @throws NamiException INTERNAL when the value is not of the type (stored data never is)
   */
  public static JsonNode toJson(Object value, PropertyType type) {
    if (value == null) {
      return JSON.nullNode();
    }
    if (!Values.hasType(value, type)) {
      throw new NamiException(
          NamiException.Kind.INTERNAL,
          message(
              "value does not match its declared type",
              "type=" + type + " got=" + Values.describe(value)));
    }
    return toJson(value);
  }

  /** The JSON form of a key ({@link String} or {@link Long}). */
  public static JsonNode keyToJson(Object key) {
    return toJson(key);
  }

  /** The JSON form of a value by its Java type (see the table above). */
  static JsonNode toJson(Object value) {
    if (value == null) {
      return JSON.nullNode();
    }
    if (value instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    if (value instanceof Long l) {
      return JSON.numberNode(l);
    }
    if (value instanceof Double d) {
      return JSON.numberNode(d);
    }
    if (value instanceof String s) {
      return JSON.textNode(s);
    }
    if (value instanceof Instant t) {
      return JSON.textNode(DateTimeFormatter.ISO_INSTANT.format(t));
    }
    if (value instanceof byte[] b) {
      return JSON.textNode(Base64.getEncoder().encodeToString(b));
    }
    if (value instanceof float[] f) {
      ArrayNode array = JSON.arrayNode(f.length);
      for (float x : f) {
        array.add(x);
      }
      return array;
    }
    throw new NamiException(
        NamiException.Kind.INTERNAL,
        message("unsupported value type", "type=" + value.getClass().getName()));
  }

  private static long int64(JsonNode json, String path, String context) {
    if (!json.isNumber()) {
      throw mismatch(json, "INT64", path, context);
    }
    if (!json.isIntegralNumber()) {
      throw invalid(
          path,
          message(
              "expected INT64, got a number with a fraction or exponent",
              "value=" + json.asText(),
              context));
    }
    if (!json.canConvertToLong()) {
      throw invalid(path, message("INT64 out of range", "value=" + json.asText(), context));
    }
    return json.longValue();
  }

  private static Instant timestamp(JsonNode json, String path, String context) {
    if (!json.isTextual()) {
      throw invalid(
          path,
          message("expected TIMESTAMP as an ISO-8601 string, got JSON " + kind(json), context));
    }
    String text = json.textValue();
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid(
          path,
          message(
              "bad TIMESTAMP, expected ISO-8601 with a zone offset, e.g. 2026-11-24T07:00:00Z",
              "value=" + abbreviate(text),
              context));
    }
  }

  private static byte[] bytes(JsonNode json, String path, String context) {
    if (!json.isTextual()) {
      throw invalid(
          path, message("expected BYTES as a base64 string, got JSON " + kind(json), context));
    }
    try {
      return Base64.getDecoder().decode(json.textValue());
    } catch (IllegalArgumentException e) {
      throw invalid(
          path, message("bad BYTES, expected base64 (RFC 4648): " + e.getMessage(), context));
    }
  }

  private static float[] vector(JsonNode json, PropertyType type, String path, String context) {
    if (!json.isArray()) {
      throw invalid(
          path,
          message("expected " + type + " as an array of numbers, got JSON " + kind(json), context));
    }
    if (json.size() != type.dim()) {
      throw invalid(
          path,
          message("expected " + type + ", got an array of " + json.size() + " elements", context));
    }
    float[] f = new float[json.size()];
    for (int i = 0; i < f.length; i++) {
      JsonNode x = json.get(i);
      if (!x.isNumber()) {
        throw invalid(
            path + "[" + i + "]", message("expected a number, got JSON " + kind(x), context));
      }
      f[i] = (float) x.doubleValue();
      if (!Float.isFinite(f[i])) {
        throw invalid(
            path + "[" + i + "]",
            message("number out of float32 range", "value=" + x.asText(), context));
      }
    }
    return f;
  }

  private static NamiException mismatch(JsonNode json, String expected, String path, String ctx) {
    return invalid(path, message("expected " + expected + ", got JSON " + kind(json), ctx));
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
