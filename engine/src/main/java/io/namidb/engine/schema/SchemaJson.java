package io.namidb.engine.schema;

import static io.namidb.engine.schema.SchemaRules.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.NamiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The schema's JSON form (DESIGN §8):
 *
 * <pre>
 * {"labels":{"Person":{"key":"STRING","properties":{"age":"INT64","emb":"VECTOR(64)"},"indexes":["age"]}},
 *  "edgeTypes":{"KNOWS":{"from":"Person","to":"Person","properties":{"since":"INT64"}}}}
 * </pre>
 *
 * Parsing checks the JSON itself (object shapes, no unknown fields, type names, a key type on every
 * label); the rules across definitions are {@link SchemaRules}'. An optional field that is absent
 * or JSON null is empty. Output always writes every field, in the schema's order.
 */
final class SchemaJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> TOP_FIELDS = Set.of("labels", "edgeTypes", "mode");
  private static final Set<String> LABEL_FIELDS = Set.of("key", "properties", "indexes");
  private static final Set<String> EDGE_FIELDS = Set.of("from", "to", "properties");

  /** Parsed but not yet checked across definitions (a change may name only part of a label). */
  record Definitions(
      Map<String, LabelDef> labels, Map<String, EdgeTypeDef> edgeTypes, Schema.Mode mode) {}

  private SchemaJson() {}

  static Definitions parse(JsonNode json) {
    Map<String, LabelDef> labels = new LinkedHashMap<>();
    Map<String, EdgeTypeDef> edgeTypes = new LinkedHashMap<>();
    if (json == null || json.isMissingNode()) {
      return new Definitions(labels, edgeTypes, null);
    }
    requireObject("", "schema", json);
    checkFields("", json, TOP_FIELDS, "labels,edgeTypes,mode");
    Schema.Mode mode = parseMode(json.get("mode"));
    JsonNode labelsJson = json.get("labels");
    if (isPresent(labelsJson)) {
      requireObject("labels", "labels", labelsJson);
      for (Map.Entry<String, JsonNode> e : labelsJson.properties()) {
        labels.put(e.getKey(), parseLabel(e.getKey(), e.getValue()));
      }
    }
    JsonNode edgesJson = json.get("edgeTypes");
    if (isPresent(edgesJson)) {
      requireObject("edgeTypes", "edgeTypes", edgesJson);
      for (Map.Entry<String, JsonNode> e : edgesJson.properties()) {
        edgeTypes.put(e.getKey(), parseEdgeType(e.getKey(), e.getValue()));
      }
    }
    return new Definitions(labels, edgeTypes, mode);
  }

  /** {@code "strict"} or {@code "open"}; absent is null (no change, or strict for a new schema). */
  private static Schema.Mode parseMode(JsonNode json) {
    if (!isPresent(json)) {
      return null;
    }
    if (json.isTextual()) {
      for (Schema.Mode m : Schema.Mode.values()) {
        if (m.jsonName().equals(json.textValue())) {
          return m;
        }
      }
    }
    throw invalid("mode", "expected \"strict\" or \"open\". mode=" + json);
  }

  private static LabelDef parseLabel(String name, JsonNode json) {
    String path = "labels." + name;
    requireObject(path, "label", json);
    checkFields(path, json, LABEL_FIELDS, "key,properties,indexes");
    JsonNode key = json.get("key");
    if (!isPresent(key)) {
      throw invalid(path + ".key", "missing key type, must be STRING or INT64. label=" + name);
    }
    PropertyType keyType = parseType(path + ".key", key);
    Map<String, PropertyType> properties = parseProperties(path, json.get("properties"));
    List<String> indexes = new ArrayList<>();
    JsonNode indexesJson = json.get("indexes");
    if (isPresent(indexesJson)) {
      if (!indexesJson.isArray()) {
        throw invalid(
            path + ".indexes",
            "expected an array of property names, got JSON " + kind(indexesJson));
      }
      for (int i = 0; i < indexesJson.size(); i++) {
        JsonNode index = indexesJson.get(i);
        if (!index.isTextual()) {
          throw invalid(
              path + ".indexes[" + i + "]",
              "expected a property name string, got JSON " + kind(index));
        }
        indexes.add(index.textValue());
      }
    }
    return new LabelDef(keyType, properties, indexes);
  }

  private static EdgeTypeDef parseEdgeType(String name, JsonNode json) {
    String path = "edgeTypes." + name;
    requireObject(path, "edge type", json);
    checkFields(path, json, EDGE_FIELDS, "from,to,properties");
    String from = parseLabelRef(path + ".from", name, json.get("from"));
    String to = parseLabelRef(path + ".to", name, json.get("to"));
    return new EdgeTypeDef(from, to, parseProperties(path, json.get("properties")));
  }

  private static String parseLabelRef(String path, String edgeType, JsonNode json) {
    if (!isPresent(json)) {
      throw invalid(path, "missing label. edgeType=" + edgeType);
    }
    if (!json.isTextual()) {
      throw invalid(path, "expected a label name string, got JSON " + kind(json));
    }
    return json.textValue();
  }

  private static Map<String, PropertyType> parseProperties(String owner, JsonNode json) {
    Map<String, PropertyType> properties = new LinkedHashMap<>();
    if (!isPresent(json)) {
      return properties;
    }
    String path = owner + ".properties";
    requireObject(path, "properties", json);
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      properties.put(e.getKey(), parseType(path + "." + e.getKey(), e.getValue()));
    }
    return properties;
  }

  private static PropertyType parseType(String path, JsonNode json) {
    if (!json.isTextual()) {
      throw invalid(path, "expected a type name string, got JSON " + kind(json));
    }
    try {
      return PropertyType.parse(json.textValue());
    } catch (NamiException e) {
      throw invalid(path, e.getMessage());
    }
  }

  static ObjectNode write(Schema schema) {
    ObjectNode root = JSON.objectNode();
    if (schema.isOpen()) { // strict is the default and stays unwritten: older readers parse it
      root.put("mode", schema.mode().jsonName());
    }
    ObjectNode labels = root.putObject("labels");
    for (Map.Entry<String, LabelDef> e : schema.labels().entrySet()) {
      LabelDef def = e.getValue();
      ObjectNode label = labels.putObject(e.getKey());
      label.put("key", def.keyType().toString());
      writeProperties(label, def.properties());
      ArrayNode indexes = label.putArray("indexes");
      def.indexes().forEach(indexes::add);
    }
    ObjectNode edgeTypes = root.putObject("edgeTypes");
    for (Map.Entry<String, EdgeTypeDef> e : schema.edgeTypes().entrySet()) {
      EdgeTypeDef def = e.getValue();
      ObjectNode edge = edgeTypes.putObject(e.getKey());
      edge.put("from", def.from());
      edge.put("to", def.to());
      writeProperties(edge, def.properties());
    }
    return root;
  }

  private static void writeProperties(ObjectNode owner, Map<String, PropertyType> properties) {
    ObjectNode out = owner.putObject("properties");
    properties.forEach((name, type) -> out.put(name, type.toString()));
  }

  static boolean isPresent(JsonNode json) {
    return json != null && !json.isMissingNode() && !json.isNull();
  }

  static void requireObject(String path, String what, JsonNode json) {
    if (json == null || !json.isObject()) {
      throw invalid(path.isEmpty() ? what : path, "expected a JSON object, got JSON " + kind(json));
    }
  }

  static void checkFields(String path, JsonNode json, Set<String> allowed, String allowedText) {
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      String field = e.getKey();
      if (!allowed.contains(field)) {
        throw invalid(path, "unknown field. field=" + field + " allowed=" + allowedText);
      }
    }
  }

  /** The JSON kind of a node for messages: string, number, boolean, array, object, null. */
  static String kind(JsonNode json) {
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
}
