package io.namidb.query;

import io.namidb.query.eval.DurationValue;
import io.namidb.query.graph.NodeRef;
import io.namidb.query.graph.PathValue;
import io.namidb.query.graph.RelRef;
import io.namidb.query.graph.Tx;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query values to the values of a {@link QueryResult} (read while the query's view is open). */
final class Render {
  private Render() {}

  static List<Object> row(Object[] row, Tx tx) {
    List<Object> out = new ArrayList<>(row.length);
    for (Object v : row) {
      out.add(value(v, tx));
    }
    return out;
  }

  static Object value(Object v, Tx tx) {
    if (v == null || v instanceof Long || v instanceof String || v instanceof Boolean) {
      return v; // the common answers, as they are
    }
    if (v instanceof NodeRef n) {
      String label = n.key().label();
      return new QueryResult.Node(
          Tx.UNLABELED.equals(label) ? null : label,
          n.key().key(),
          tx.isDeleted(n) ? Map.of() : props(tx.props(n)));
    }
    if (v instanceof RelRef r) {
      return new QueryResult.Relationship(
          r.key().type(),
          id(r.key().from()),
          id(r.key().to()),
          tx.isDeleted(r) ? Map.of() : props(tx.props(r)));
    }
    if (v instanceof PathValue p) {
      List<Object> out = new ArrayList<>();
      for (Object e : p.elements()) {
        out.add(value(e, tx));
      }
      return new QueryResult.Path(out);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(value(o, tx));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, value(x, tx)));
      return out;
    }
    return scalar(v);
  }

  private static QueryResult.NodeId id(io.namidb.engine.model.NodeKey k) {
    return new QueryResult.NodeId(Tx.UNLABELED.equals(k.label()) ? null : k.label(), k.key());
  }

  private static Map<String, Object> props(Map<String, Object> props) {
    Map<String, Object> out = new LinkedHashMap<>();
    props.forEach((k, x) -> out.put(k, scalar(x)));
    return out;
  }

  private static Object scalar(Object v) {
    if (v instanceof float[] f) {
      List<Object> out = new ArrayList<>(f.length);
      for (float x : f) {
        out.add(
            Double.parseDouble(Float.toString(x))); // 0.9f reads as 0.9, as the JSON API shows it
      }
      return out;
    }
    if (v instanceof TemporalAccessor || v instanceof DurationValue) {
      return v.toString(); // ISO-8601
    }
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    return v;
  }
}
