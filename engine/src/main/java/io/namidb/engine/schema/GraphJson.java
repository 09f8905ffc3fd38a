package io.namidb.engine.schema;

import static io.namidb.engine.schema.SchemaJson.checkFields;
import static io.namidb.engine.schema.SchemaJson.isPresent;
import static io.namidb.engine.schema.SchemaJson.kind;
import static io.namidb.engine.schema.SchemaJson.requireObject;
import static io.namidb.engine.schema.SchemaRules.invalid;
import static io.namidb.engine.schema.SchemaRules.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Nodes, edges, their keys and write batches to and from the JSON shapes of DESIGN §8, with values
 * converted by {@link JsonValues} per the schema's declared types. Unknown fields are refused.
 */
final class GraphJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> BATCH_FIELDS =
      Set.of("nodes", "edges", "deleteNodes", "deleteEdges");
  private static final Set<String> NODE_FIELDS = Set.of("label", "key", "props");
  private static final Set<String> NODE_REF_FIELDS = Set.of("label", "key");
  private static final Set<String> EDGE_FIELDS = Set.of("type", "from", "to", "props");
  private static final Set<String> EDGE_REF_FIELDS = Set.of("type", "from", "to");

  private GraphJson() {}

  static WriteBatch batch(Schema schema, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw invalid("", "write body must be a JSON object, got JSON " + kind(body));
    }
    checkFields("", body, BATCH_FIELDS, "nodes,edges,deleteNodes,deleteEdges");
    WriteBatch.Builder b = WriteBatch.builder();
    JsonNode nodes = array(body, "nodes");
    for (int i = 0; i < nodes.size(); i++) {
      b.node(node(schema, "nodes[" + i + "]", nodes.get(i)));
    }
    JsonNode edges = array(body, "edges");
    for (int i = 0; i < edges.size(); i++) {
      b.edge(edge(schema, "edges[" + i + "]", edges.get(i)));
    }
    JsonNode deleteNodes = array(body, "deleteNodes");
    for (int i = 0; i < deleteNodes.size(); i++) {
      b.deleteNode(nodeRef(schema, "deleteNodes[" + i + "]", deleteNodes.get(i)));
    }
    JsonNode deleteEdges = array(body, "deleteEdges");
    for (int i = 0; i < deleteEdges.size(); i++) {
      b.deleteEdge(edgeRef(schema, "deleteEdges[" + i + "]", deleteEdges.get(i)));
    }
    WriteBatch batch = b.build();
    BatchValidator.validate(schema, batch);
    return batch;
  }

  private static JsonNode array(JsonNode body, String field) {
    JsonNode json = body.get(field);
    if (!isPresent(json)) {
      return JSON.arrayNode();
    }
    if (!json.isArray()) {
      throw invalid(field, "expected an array, got JSON " + kind(json));
    }
    return json;
  }

  static Node node(Schema schema, String path, JsonNode item) {
    requireObject(path, "node", item);
    checkFields(path, item, NODE_FIELDS, "label,key,props");
    return node(
        schema, path, name(path + ".label", item.get("label")), item.get("key"), item.get("props"));
  }

  static Node node(Schema schema, String path, String label, JsonNode key, JsonNode props) {
    NodeKey id = nodeKey(schema, path, label, key);
    LabelDef def = schema.labels().get(label);
    return new Node(id, props(path, def.properties(), props, BatchValidator.context(id)));
  }

  static Edge edge(Schema schema, String path, JsonNode item) {
    requireObject(path, "edge", item);
    checkFields(path, item, EDGE_FIELDS, "type,from,to,props");
    return edge(
        schema,
        path,
        name(path + ".type", item.get("type")),
        item.get("from"),
        item.get("to"),
        item.get("props"));
  }

  static Edge edge(
      Schema schema, String path, String type, JsonNode from, JsonNode to, JsonNode props) {
    EdgeKey id = edgeKey(schema, path, type, from, to);
    EdgeTypeDef def = schema.edgeTypes().get(type);
    return new Edge(id, props(path, def.properties(), props, BatchValidator.context(id)));
  }

  /** A node reference {@code {"label","key"}}. */
  static NodeKey nodeRef(Schema schema, String path, JsonNode ref) {
    requireObject(path, "node reference", ref);
    checkFields(path, ref, NODE_REF_FIELDS, "label,key");
    return nodeKey(schema, path, name(path + ".label", ref.get("label")), ref.get("key"));
  }

  /** An edge reference {@code {"type","from","to"}}. */
  static EdgeKey edgeRef(Schema schema, String path, JsonNode ref) {
    requireObject(path, "edge reference", ref);
    checkFields(path, ref, EDGE_REF_FIELDS, "type,from,to");
    return edgeKey(
        schema, path, name(path + ".type", ref.get("type")), ref.get("from"), ref.get("to"));
  }

  static NodeKey nodeKey(Schema schema, String path, String label, JsonNode key) {
    LabelDef def = schema.labels().get(label);
    if (def == null) {
      throw invalid(path + ".label", message("unknown label", "label=" + label));
    }
    Object k = JsonValues.keyFromJson(key, def.keyType(), path + ".key", "label=" + label);
    return new NodeKey(label, k);
  }

  static NodeKey nodeKeyFromText(Schema schema, String label, String key) {
    LabelDef def = schema.labels().get(label);
    if (def == null) {
      throw invalid("label", message("unknown label", "label=" + label));
    }
    return new NodeKey(label, JsonValues.keyFromText(key, def.keyType(), "key"));
  }

  private static EdgeKey edgeKey(
      Schema schema, String path, String type, JsonNode from, JsonNode to) {
    EdgeTypeDef def = schema.edgeTypes().get(type);
    if (def == null) {
      throw invalid(path + ".type", message("unknown edge type", "type=" + type));
    }
    NodeKey f = endpoint(schema, path + ".from", type, def.from(), from);
    NodeKey t = endpoint(schema, path + ".to", type, def.to(), to);
    return new EdgeKey(type, f, t);
  }

  private static NodeKey endpoint(
      Schema schema, String path, String type, String allowed, JsonNode ref) {
    if (!isPresent(ref)) {
      throw invalid(path, message("node reference is required", "type=" + type));
    }
    requireObject(path, "node reference", ref);
    checkFields(path, ref, NODE_REF_FIELDS, "label,key");
    String label = name(path + ".label", ref.get("label"));
    BatchValidator.checkEndpointLabel(allowed, label, path, "type=" + type + " label=" + label);
    return nodeKey(schema, path, label, ref.get("key"));
  }

  private static Map<String, Object> props(
      String path, Map<String, PropertyType> declared, JsonNode json, String context) {
    Map<String, Object> props = new LinkedHashMap<>();
    if (!isPresent(json)) {
      return props;
    }
    requireObject(path + ".props", "props", json);
    for (Map.Entry<String, JsonNode> p : json.properties()) {
      String field = path + ".props." + p.getKey();
      PropertyType type = declared.get(p.getKey());
      if (type == null) {
        throw invalid(field, message("unknown property", context));
      }
      props.put(p.getKey(), JsonValues.fromJson(p.getValue(), type, field, context));
    }
    return props;
  }

  private static String name(String path, JsonNode json) {
    if (!isPresent(json)) {
      throw invalid(path, "field is required");
    }
    if (!json.isTextual()) {
      throw invalid(path, "expected a string, got JSON " + kind(json));
    }
    return json.textValue();
  }

  static ObjectNode toJson(NodeKey key) {
    ObjectNode out = JSON.objectNode();
    out.put("label", key.label());
    out.set("key", JsonValues.keyToJson(key.key()));
    return out;
  }

  static ObjectNode toJson(Schema schema, Node node) {
    ObjectNode out = toJson(node.id());
    LabelDef def = schema.labels().get(node.label());
    out.set("props", props(def == null ? Map.of() : def.properties(), node.props()));
    return out;
  }

  static ObjectNode toJson(Schema schema, Edge edge) {
    ObjectNode out = JSON.objectNode();
    out.put("type", edge.type());
    out.set("from", toJson(edge.from()));
    out.set("to", toJson(edge.to()));
    EdgeTypeDef def = schema.edgeTypes().get(edge.type());
    out.set("props", props(def == null ? Map.of() : def.properties(), edge.props()));
    return out;
  }

  private static ObjectNode props(Map<String, PropertyType> declared, Map<String, Object> props) {
    ObjectNode out = JSON.objectNode();
    for (Map.Entry<String, Object> p : props.entrySet()) {
      PropertyType type = declared.get(p.getKey());
      out.set(
          p.getKey(),
          type == null ? JsonValues.toJson(p.getValue()) : JsonValues.toJson(p.getValue(), type));
    }
    return out;
  }
}
