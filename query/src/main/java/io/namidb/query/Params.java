package io.namidb.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parameters from callers (JSON, CLI) to query values: integers as Long, decimals as Double. */
final class Params {
  private Params() {}

  static Map<String, Object> fromUser(Map<String, Object> params) {
    if (params == null || params.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, value(v, k)));
    return out;
  }

  static Object value(Object v, String name) {
    if (v == null
        || v instanceof String
        || v instanceof Boolean
        || v instanceof Long
        || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      try {
        return b.longValueExact();
      } catch (ArithmeticException e) {
        throw CypherException.runtime(
            "ArgumentError", "InvalidArgumentValue", "parameter is too large. parameter=" + name);
      }
    }
    if (v instanceof Float || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(value(o, name));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), value(x, name)));
      return out;
    }
    throw CypherException.runtime(
        "ArgumentError",
        "InvalidArgumentValue",
        "unsupported parameter value. parameter=" + name + " type=" + v.getClass().getSimpleName());
  }
}
