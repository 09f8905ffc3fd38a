package io.namidb.engine.schema;

import static io.namidb.engine.schema.SchemaRules.invalid;
import static io.namidb.engine.schema.SchemaRules.message;

import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import java.util.Map;

/**
 * Checks a {@link WriteBatch} against a {@link Schema}, item by item in the order nodes, edges,
 * deleteNodes, deleteEdges, and stops at the first problem. Field paths follow the JSON body of
 * {@code POST /v1/write}: {@code nodes[3].props.age}, {@code edges[0].from.label}, ...
 */
final class BatchValidator {
  private BatchValidator() {}

  static void validate(Schema schema, WriteBatch batch) {
    if (valid(schema, batch)) {
      return;
    }
    // something is wrong: find the first problem and name it (building each path and context)
    for (int i = 0; i < batch.nodes().size(); i++) {
      Node node = batch.nodes().get(i);
      String path = "nodes[" + i + "]";
      String context = context(node.id());
      LabelDef label = label(schema, node.id(), path, context);
      Values.checkKey(node.key(), label.keyType(), path + ".key", context);
      checkProps(node.props(), label.properties(), path, context);
    }
    for (int i = 0; i < batch.edges().size(); i++) {
      Edge edge = batch.edges().get(i);
      String path = "edges[" + i + "]";
      String context = context(edge.id());
      EdgeTypeDef def = checkEdgeKey(schema, edge.id(), path, context);
      checkProps(edge.props(), def.properties(), path, context);
    }
    for (int i = 0; i < batch.deleteNodes().size(); i++) {
      NodeKey key = batch.deleteNodes().get(i);
      String path = "deleteNodes[" + i + "]";
      String context = context(key);
      LabelDef label = label(schema, key, path, context);
      Values.checkKey(key.key(), label.keyType(), path + ".key", context);
    }
    for (int i = 0; i < batch.deleteEdges().size(); i++) {
      EdgeKey key = batch.deleteEdges().get(i);
      checkEdgeKey(schema, key, "deleteEdges[" + i + "]", context(key));
    }
  }

  /**
   * Whether {@link #validate} would accept the batch, decided without building any message: the
   * same checks, answering only yes or no (most batches are valid, and a bulk load checks millions
   * of items).
   */
  private static boolean valid(Schema schema, WriteBatch batch) {
    for (Node node : batch.nodes()) {
      LabelDef label = schema.labels().get(node.label());
      if (label == null
          || !Values.validKey(node.key(), label.keyType())
          || !validProps(node.props(), label.properties())) {
        return false;
      }
    }
    for (Edge edge : batch.edges()) {
      EdgeTypeDef def = validEdgeKey(schema, edge.id());
      if (def == null || !validProps(edge.props(), def.properties())) {
        return false;
      }
    }
    for (NodeKey key : batch.deleteNodes()) {
      LabelDef label = schema.labels().get(key.label());
      if (label == null || !Values.validKey(key.key(), label.keyType())) {
        return false;
      }
    }
    for (EdgeKey key : batch.deleteEdges()) {
      if (validEdgeKey(schema, key) == null) {
        return false;
      }
    }
    return true;
  }

  /** The edge key's type if {@link #checkEdgeKey} would accept the key, else null. */
  private static EdgeTypeDef validEdgeKey(Schema schema, EdgeKey key) {
    EdgeTypeDef def = schema.edgeTypes().get(key.type());
    return def != null
            && validEndpoint(schema, def.from(), key.from())
            && validEndpoint(schema, def.to(), key.to())
        ? def
        : null;
  }

  private static boolean validEndpoint(Schema schema, String allowed, NodeKey node) {
    if (!allowed.equals(node.label()) && !EdgeTypeDef.ANY.equals(allowed)) {
      return false;
    }
    LabelDef label = schema.labels().get(node.label());
    return label != null && Values.validKey(node.key(), label.keyType());
  }

  private static boolean validProps(Map<String, Object> props, Map<String, PropertyType> declared) {
    for (Map.Entry<String, Object> p : props.entrySet()) {
      PropertyType type = declared.get(p.getKey());
      if (type == null || !Values.valid(p.getValue(), type)) {
        return false;
      }
    }
    return true;
  }

  private static LabelDef label(Schema schema, NodeKey key, String path, String context) {
    LabelDef label = schema.labels().get(key.label());
    if (label == null) {
      throw invalid(path + ".label", message("unknown label", context));
    }
    return label;
  }

  static EdgeTypeDef checkEdgeKey(Schema schema, EdgeKey key, String path, String context) {
    EdgeTypeDef def = schema.edgeTypes().get(key.type());
    if (def == null) {
      throw invalid(path + ".type", message("unknown edge type", context));
    }
    checkEndpoint(schema, def.from(), key.from(), path + ".from", context);
    checkEndpoint(schema, def.to(), key.to(), path + ".to", context);
    return def;
  }

  private static void checkEndpoint(
      Schema schema, String allowed, NodeKey node, String path, String context) {
    checkEndpointLabel(allowed, node.label(), path, context);
    LabelDef label = schema.labels().get(node.label());
    if (label == null) {
      throw invalid(path + ".label", message("unknown label", context));
    }
    PropertyType keyType = label.keyType();
    Values.checkKey(node.key(), keyType, path + ".key", context);
  }

  static void checkEndpointLabel(String allowed, String label, String path, String context) {
    if (!allowed.equals(label) && !EdgeTypeDef.ANY.equals(allowed)) {
      throw invalid(
          path + ".label",
          message("label not allowed by the edge type", "allowed=" + allowed, context));
    }
  }

  private static void checkProps(
      Map<String, Object> props, Map<String, PropertyType> declared, String path, String context) {
    for (Map.Entry<String, Object> p : props.entrySet()) {
      String field = path + ".props." + p.getKey();
      PropertyType type = declared.get(p.getKey());
      if (type == null) {
        throw invalid(field, message("unknown property", context));
      }
      Values.checkValue(p.getValue(), type, field, context);
    }
  }

  static String context(NodeKey key) {
    return "label=" + key.label() + " key=" + key.key();
  }

  static String context(EdgeKey key) {
    return "type=" + key.type() + " from=" + key.from() + " to=" + key.to();
  }
}
