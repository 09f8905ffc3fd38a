package io.namidb.query.graph;

import io.namidb.engine.model.Edge;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.EdgeTypeDef;
import io.namidb.engine.schema.LabelDef;
import io.namidb.engine.schema.PropertyType;
import io.namidb.engine.schema.Schema;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For a namespace in open schema mode: what a batch adds to the schema. A new label gets the key
 * type of its first node's key; a new property the type of its values (INT64 and DOUBLE values of
 * one new property make it DOUBLE, and the batch's integers are converted); a new edge type may
 * connect any labels ({@link EdgeTypeDef#ANY}). Values of a type that conflicts with a declared one
 * are left for {@link Schema#validate} to refuse.
 */
public final class SchemaInference {
  private SchemaInference() {}

  /** The additions (null when there are none) and the batch with converted values. */
  public record Result(Schema additions, WriteBatch batch) {}

  public static Result infer(Schema schema, WriteBatch batch) {
    Map<String, Map<String, PropertyType>> labelProps = new LinkedHashMap<>();
    Map<String, PropertyType> keyTypes = new LinkedHashMap<>();
    Map<String, Map<String, PropertyType>> edgeProps = new LinkedHashMap<>();
    for (Node n : batch.nodes()) {
      LabelDef def = schema.labels().get(n.label());
      if (def == null) {
        keyTypes.putIfAbsent(
            n.label(), n.key() instanceof Long ? PropertyType.INT64 : PropertyType.STRING);
      }
      Map<String, PropertyType> declared = def == null ? Map.of() : def.properties();
      collect(
          n.props(), declared, labelProps.computeIfAbsent(n.label(), l -> new LinkedHashMap<>()));
    }
    for (Edge e : batch.edges()) {
      EdgeTypeDef def = schema.edgeTypes().get(e.type());
      Map<String, PropertyType> declared = def == null ? Map.of() : def.properties();
      collect(e.props(), declared, edgeProps.computeIfAbsent(e.type(), t -> new LinkedHashMap<>()));
    }
    Map<String, LabelDef> labels = new LinkedHashMap<>();
    labelProps.forEach(
        (label, props) -> {
          LabelDef def = schema.labels().get(label);
          if (def == null || !props.isEmpty()) {
            PropertyType key = def == null ? keyTypes.get(label) : def.keyType();
            labels.put(label, new LabelDef(key, props, List.of()));
          }
        });
    Map<String, EdgeTypeDef> edges = new LinkedHashMap<>();
    edgeProps.forEach(
        (type, props) -> {
          EdgeTypeDef def = schema.edgeTypes().get(type);
          if (def == null || !props.isEmpty()) {
            edges.put(
                type,
                def == null
                    ? new EdgeTypeDef(EdgeTypeDef.ANY, EdgeTypeDef.ANY, props)
                    : new EdgeTypeDef(def.from(), def.to(), props));
          }
        });
    Schema additions = labels.isEmpty() && edges.isEmpty() ? null : new Schema(labels, edges);
    return new Result(additions, widen(batch, labelProps, edgeProps));
  }

  private static void collect(
      Map<String, Object> props,
      Map<String, PropertyType> declared,
      Map<String, PropertyType> out) {
    for (Map.Entry<String, Object> p : props.entrySet()) {
      if (declared.containsKey(p.getKey())) {
        continue;
      }
      PropertyType t = typeOf(p.getValue());
      if (t == null) {
        continue;
      }
      PropertyType old = out.get(p.getKey());
      if (old == null) {
        out.put(p.getKey(), t);
      } else if (isNumber(old) && isNumber(t) && !old.equals(t)) {
        out.put(p.getKey(), PropertyType.DOUBLE);
      }
    }
  }

  private static boolean isNumber(PropertyType t) {
    return t.equals(PropertyType.INT64) || t.equals(PropertyType.DOUBLE);
  }

  static PropertyType typeOf(Object v) {
    if (v instanceof Long) {
      return PropertyType.INT64;
    }
    if (v instanceof Double) {
      return PropertyType.DOUBLE;
    }
    if (v instanceof String) {
      return PropertyType.STRING;
    }
    if (v instanceof Boolean) {
      return PropertyType.BOOL;
    }
    if (v instanceof Instant) {
      return PropertyType.TIMESTAMP;
    }
    if (v instanceof byte[]) {
      return PropertyType.BYTES;
    }
    if (v instanceof float[] f && f.length > 0) {
      return PropertyType.vector(f.length);
    }
    return null;
  }

  /** Integers of properties that became DOUBLE are written as floats. */
  private static WriteBatch widen(
      WriteBatch batch,
      Map<String, Map<String, PropertyType>> labelProps,
      Map<String, Map<String, PropertyType>> edgeProps) {
    WriteBatch.Builder b = WriteBatch.builder();
    for (Node n : batch.nodes()) {
      b.node(new Node(n.id(), widen(n.props(), labelProps.get(n.label()))));
    }
    for (Edge e : batch.edges()) {
      b.edge(new Edge(e.id(), widen(e.props(), edgeProps.get(e.type()))));
    }
    batch.deleteNodes().forEach(b::deleteNode);
    batch.deleteEdges().forEach(b::deleteEdge);
    return b.build();
  }

  private static Map<String, Object> widen(
      Map<String, Object> props, Map<String, PropertyType> types) {
    if (types == null || types.isEmpty()) {
      return props;
    }
    Map<String, Object> out = new LinkedHashMap<>(props);
    types.forEach(
        (name, t) -> {
          if (t.equals(PropertyType.DOUBLE) && out.get(name) instanceof Long l) {
            out.put(name, (double) l);
          }
        });
    return out;
  }
}
