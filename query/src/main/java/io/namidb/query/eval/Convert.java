package io.namidb.query.eval;

import io.namidb.query.CypherException;
import java.util.List;
import java.util.Map;

/** The conversion functions toString, toInteger, toFloat and toBoolean. */
final class Convert {
  private Convert() {}

  static Object toStringValue(Object a, String f) {
    if (a instanceof String) {
      return a;
    }
    if (a instanceof Long || a instanceof Boolean) {
      return a.toString();
    }
    if (a instanceof Double d) {
      return formatFloat(d);
    }
    if (Temporals.isTemporal(a)) {
      return a.toString(); // ISO-8601, as Cypher writes it
    }
    throw Functions.argType(f, a);
  }

  /** A float as Cypher prints it: {@code 1.0}, {@code 1.5E10}, {@code NaN}, {@code Infinity}. */
  static String formatFloat(double d) {
    return Double.toString(d);
  }

  static Object toInteger(Object a, String f) {
    if (a instanceof Long) {
      return a;
    }
    if (a instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return null;
      }
      return (long) (double) d;
    }
    if (a instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (a instanceof String s) {
      String t = s.strip();
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        try {
          double d = Double.parseDouble(t);
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            return null;
          }
          return (long) d;
        } catch (NumberFormatException e2) {
          return null;
        }
      }
    }
    if (a instanceof List || a instanceof Map) {
      throw Functions.argType(f, a);
    }
    throw Functions.argType(f, a);
  }

  static Object toFloat(Object a, String f) {
    if (a instanceof Double) {
      return a;
    }
    if (a instanceof Long l) {
      return (double) l;
    }
    if (a instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    throw Functions.argType(f, a);
  }

  static Object toBoolean(Object a, String f) {
    if (a instanceof Boolean) {
      return a;
    }
    if (a instanceof String s) {
      String t = s.strip();
      if (t.equalsIgnoreCase("true")) {
        return true;
      }
      if (t.equalsIgnoreCase("false")) {
        return false;
      }
      return null;
    }
    if (a instanceof Long l) {
      return l != 0;
    }
    throw CypherException.typeError(
        f + "() cannot take a " + Values.typeName(a) + ". value=" + Values.render(a));
  }
}
