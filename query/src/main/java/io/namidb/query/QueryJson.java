package io.namidb.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of query answers and parameters (DESIGN §8): {@code {"columns","rows","stats"}}
 * (and {@code "plan"} for EXPLAIN and PROFILE). Nodes are {@code {"label","key","props"}},
 * relationships {@code {"type","from":{"label","key"},"to":{…},"props"}}, paths alternating lists
 * of them, non-finite floats the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
public final class QueryJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private QueryJson() {}

  public static ObjectNode toJson(QueryResult r) {
    ObjectNode out = JSON.objectNode();
    ArrayNode columns = out.putArray("columns");
    r.columns().forEach(columns::add);
    ArrayNode rows = out.putArray("rows");
    for (List<Object> row : r.rows()) {
      ArrayNode a = rows.addArray();
      for (Object v : row) {
        a.add(value(v));
      }
    }
    ObjectNode stats = out.putObject("stats");
    r.stats().forEach((k, v) -> stats.set(k, value(v)));
    if (r.plan() != null) {
      out.set("plan", plan(r.plan()));
    }
    return out;
  }

  static ObjectNode plan(QueryResult.PlanNode p) {
    ObjectNode out = JSON.objectNode();
    out.put("operator", p.operator());
    if (p.rows() != null) {
      out.put("rows", p.rows());
      out.put("gets", p.gets());
    }
    ArrayNode children = out.putArray("children");
    p.children().forEach(c -> children.add(plan(c)));
    return out;
  }

  /** One value of a result. */
  public static JsonNode value(Object v) {
    if (v == null) {
      return JSON.nullNode();
    }
    if (v instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    if (v instanceof Long l) {
      return JSON.numberNode(l);
    }
    if (v instanceof Double d) {
      if (d.isNaN()) {
        return JSON.textNode("NaN");
      }
      if (d.isInfinite()) {
        return JSON.textNode(d > 0 ? "Infinity" : "-Infinity");
      }
      return JSON.numberNode(d);
    }
    if (v instanceof String s) {
      return JSON.textNode(s);
    }
    if (v instanceof QueryResult.Node n) {
      ObjectNode out = JSON.objectNode();
      out.set("label", n.label() == null ? JSON.nullNode() : JSON.textNode(n.label()));
      out.set("key", value(n.key()));
      out.set("props", value(n.props()));
      return out;
    }
    if (v instanceof QueryResult.Relationship r) {
      ObjectNode out = JSON.objectNode();
      out.put("type", r.type());
      out.set("from", id(r.from()));
      out.set("to", id(r.to()));
      out.set("props", value(r.props()));
      return out;
    }
    if (v instanceof QueryResult.Path p) {
      return value(p.elements());
    }
    if (v instanceof List<?> l) {
      ArrayNode a = JSON.arrayNode();
      l.forEach(x -> a.add(value(x)));
      return a;
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = JSON.objectNode();
      m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
      return o;
    }
    return JSON.textNode(String.valueOf(v));
  }

  private static ObjectNode id(QueryResult.NodeId id) {
    ObjectNode out = JSON.objectNode();
    out.set("label", id.label() == null ? JSON.nullNode() : JSON.textNode(id.label()));
    out.set("key", value(id.key()));
    return out;
  }

  /**
   * Query parameters from JSON: integers as Long (beyond 64 bits refused), other numbers as Double,
   * arrays as lists, objects as maps.
   */
  public static Object parameter(JsonNode json, String path) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return null;
    }
    if (json.isBoolean()) {
      return json.booleanValue();
    }
    if (json.isIntegralNumber()) {
      BigInteger b = json.bigIntegerValue();
      if (b.bitLength() > 63) {
        throw invalid("parameter is out of the 64-bit integer range. parameter=" + path);
      }
      return b.longValue();
    }
    if (json.isNumber()) {
      return json.doubleValue();
    }
    if (json.isTextual()) {
      return json.textValue();
    }
    if (json.isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < json.size(); i++) {
        out.add(parameter(json.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    if (json.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = json.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), parameter(e.getValue(), path + "." + e.getKey()));
      }
      return out;
    }
    throw invalid("unsupported parameter value. parameter=" + path);
  }

  private static io.namidb.engine.NamiException invalid(String message) {
    return new io.namidb.engine.NamiException(
        io.namidb.engine.NamiException.Kind.INVALID_INPUT, message);
  }

  /** The parameters object of a request ({@code null} or absent: none). */
  public static Map<String, Object> parameters(JsonNode json) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (json == null || json.isNull() || json.isMissingNode()) {
      return out;
    }
    if (!json.isObject()) {
      throw invalid("parameters: expected a JSON object");
    }
    Iterator<Map.Entry<String, JsonNode>> it = json.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), parameter(e.getValue(), e.getKey()));
    }
    return out;
  }
}
