package io.namidb.writer.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.engine.NamiException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict reading of request bodies: one JSON value, no duplicate keys, nothing after it; fields
 * checked by name and JSON type. Every refusal is {@code INVALID_INPUT} whose message starts with
 * the field path, e.g. {@code steps[1].direction: expected a string, got JSON number}.
 */
public final class RequestJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private RequestJson() {}

  /** Parses a request body. */
  public static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw invalid("", "request body is empty; expected a JSON object");
    }
    try {
      JsonNode json = MAPPER.readTree(body);
      if (json == null || json.isMissingNode()) {
        throw invalid("", "request body is empty; expected a JSON object");
      }
      return json;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new NamiException(
          NamiException.Kind.INVALID_INPUT,
          "malformed JSON: "
              + firstLine(e.getOriginalMessage())
              + (at == null ? "" : ". line=" + at.getLineNr() + " column=" + at.getColumnNr()),
          e);
    } catch (IOException e) {
      throw new NamiException(
          NamiException.Kind.INVALID_INPUT, "request body unreadable: " + e.getMessage(), e);
    }
  }

  /** {@code json} as an object whose fields are all in {@code allowed}. */
  public static JsonNode object(JsonNode json, String path, Set<String> allowed) {
    if (json == null || !json.isObject()) {
      throw invalid(path, "expected a JSON object, got JSON " + kind(json));
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw invalid(
            path,
            "unknown field. field="
                + name
                + " allowed="
                + String.join(",", allowed.stream().sorted().toList()));
      }
    }
    return json;
  }

  /** A string field; null when absent or JSON null and not {@code required}. */
  public static String string(JsonNode object, String field, String path, boolean required) {
    JsonNode v = object.get(field);
    if (!present(v)) {
      if (required) {
        throw invalid(path, "field is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(path, "expected a string, got JSON " + kind(v));
    }
    return v.textValue();
  }

  /** A boolean field, {@code fallback} when absent or JSON null. */
  public static boolean bool(JsonNode object, String field, String path, boolean fallback) {
    JsonNode v = object.get(field);
    if (!present(v)) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw invalid(path, "expected a boolean, got JSON " + kind(v));
    }
    return v.booleanValue();
  }

  /** An integer field in {@code [1, max]}, {@code fallback} when absent or JSON null. */
  public static int count(JsonNode object, String field, String path, int fallback, int max) {
    JsonNode v = object.get(field);
    if (!present(v)) {
      return fallback;
    }
    if (!v.isIntegralNumber()) {
      throw invalid(path, "expected an integer, got JSON " + kind(v));
    }
    return checkCount(path, v.canConvertToInt() ? v.intValue() : Integer.MAX_VALUE, v, max);
  }

  /** A query parameter integer in {@code [1, max]}, {@code fallback} when absent or empty. */
  public static int count(String text, String path, int fallback, int max) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw invalid(path, "expected an integer. value=" + text);
    }
    return checkCount(path, value, text, max);
  }

  private static int checkCount(String path, int value, Object shown, int max) {
    if (value < 1 || value > max) {
      throw invalid(path, "must be between 1 and " + max + ". value=" + shown);
    }
    return value;
  }

  public static boolean present(JsonNode v) {
    return v != null && !v.isMissingNode() && !v.isNull();
  }

  /** The JSON kind of a value for messages. */
  public static String kind(JsonNode json) {
    if (json == null || json.isMissingNode()) {
      return "missing";
    }
    return switch (json.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case ARRAY -> "array";
      case OBJECT, POJO -> "object";
      case NULL -> "null";
      case BINARY -> "binary";
      case MISSING -> "missing";
    };
  }

  public static NamiException invalid(String path, String message) {
    return new NamiException(
        NamiException.Kind.INVALID_INPUT, path.isEmpty() ? message : path + ": " + message);
  }

  /** Jackson's message without its source excerpt and location (given as line/column). */
  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String m = s;
    for (String cut : new String[] {"\n", " (start marker at", " (for ", " at [Source"}) {
      int i = m.indexOf(cut);
      if (i >= 0) {
        m = m.substring(0, i);
      }
    }
    return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }
}
