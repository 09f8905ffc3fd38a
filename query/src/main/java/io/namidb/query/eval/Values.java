package io.namidb.query.eval;

import io.namidb.engine.model.NodeKey;
import io.namidb.query.CypherException;
import io.namidb.query.graph.NodeRef;
import io.namidb.query.graph.PathValue;
import io.namidb.query.graph.RelRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cypher values and their rules. Values are {@code null}, {@link Boolean}, {@link Long}, {@link
 * Double}, {@link String}, {@link List}, {@link Map} (string keys), {@link NodeRef}, {@link
 * RelRef}, {@link PathValue}, the temporal values of {@link Temporals} and {@link DurationValue},
 * and from stored properties {@link Instant} and {@code byte[]}.
 *
 * <ul>
 *   <li>{@link #equal}: Cypher's {@code =}, ternary (null when an operand is or holds null),
 *       numbers compared by value ({@code 1 = 1.0}), NaN unequal to itself.
 *   <li>{@link #compare}: Cypher's {@code <}: numbers, strings, booleans, lists; null when the
 *       types are not comparable.
 *   <li>{@link #ORDER}: the total order of ORDER BY (maps, nodes, relationships, lists, paths,
 *       strings, booleans, numbers, null last).
 *   <li>{@link #groupKey}: equivalence of DISTINCT and grouping (null equals null, NaN equals NaN).
 * </ul>
 */
public final class Values {
  private Values() {}

  /** Storage values to query values: vectors become lists of floats. */
  public static Object fromStored(Object v) {
    if (v instanceof float[] f) {
      List<Object> out = new ArrayList<>(f.length);
      for (float x : f) {
        out.add(
            Double.parseDouble(Float.toString(x))); // 0.9f reads as 0.9, as the JSON API shows it
      }
      return out;
    }
    return v;
  }

  /** The Cypher type name of a value, for messages. */
  public static String typeName(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Boolean) {
      return "BOOLEAN";
    }
    if (v instanceof Long) {
      return "INTEGER";
    }
    if (v instanceof Double) {
      return "FLOAT";
    }
    if (v instanceof String) {
      return "STRING";
    }
    if (v instanceof List) {
      return "LIST";
    }
    if (v instanceof Map) {
      return "MAP";
    }
    if (v instanceof NodeRef) {
      return "NODE";
    }
    if (v instanceof RelRef) {
      return "RELATIONSHIP";
    }
    if (v instanceof PathValue) {
      return "PATH";
    }
    if (v instanceof Instant) {
      return "TIMESTAMP";
    }
    if (v instanceof byte[]) {
      return "BYTES";
    }
    String temporal = Temporals.typeName(v);
    return temporal != null ? temporal : v.getClass().getSimpleName();
  }

  public static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double;
  }

  // ---- equality

  /** Cypher {@code =}: TRUE, FALSE or null (unknown). */
  public static Boolean equal(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Long x && b instanceof Long y) {
        return x.longValue() == y.longValue();
      }
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      if (a instanceof Long la && !Double.isNaN(y) && y == Math.rint(y)) {
        return Double.isInfinite(y) ? false : la.longValue() == (long) y && (double) la == y;
      }
      if (b instanceof Long lb && !Double.isNaN(x) && x == Math.rint(x)) {
        return Double.isInfinite(x) ? false : lb.longValue() == (long) x && (double) lb == x;
      }
      return x == y;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) {
        return false;
      }
      boolean unknown = false;
      for (int i = 0; i < la.size(); i++) {
        Boolean e = equal(la.get(i), lb.get(i));
        if (e == null) {
          unknown = true;
        } else if (!e) {
          return false;
        }
      }
      return unknown ? null : true;
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (!ma.keySet().equals(mb.keySet())) {
        return false;
      }
      boolean unknown = false;
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        Boolean eq = equal(e.getValue(), mb.get(e.getKey()));
        if (eq == null) {
          unknown = true;
        } else if (!eq) {
          return false;
        }
      }
      return unknown ? null : true;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    if (Temporals.isTemporal(a) && Temporals.isTemporal(b)) {
      return Temporals.equal(a, b);
    }
    if (a.getClass() != b.getClass()) {
      return false;
    }
    return a.equals(b);
  }

  // ---- comparison

  /**
   * Cypher {@code <}/{@code >}: negative, zero or positive, or null when the values are not
   * comparable (different types, null, NaN involved).
   */
  public static Integer compare(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (isNumber(a) && isNumber(b)) {
      if (a instanceof Long x && b instanceof Long y) {
        return Long.compare(x, y);
      }
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return null;
      }
      return compareNumbers((Number) a, (Number) b);
    }
    if (a instanceof String x && b instanceof String y) {
      return Integer.signum(x.compareTo(y));
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    if (Temporals.isTemporal(a) && Temporals.isTemporal(b)) {
      return Temporals.compare(a, b);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      int n = Math.min(x.size(), y.size());
      for (int i = 0; i < n; i++) {
        Object ex = x.get(i);
        Object ey = y.get(i);
        if (ex == null || ey == null) {
          return null;
        }
        Integer c = compare(ex, ey);
        if (c == null) {
          return null;
        }
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    return null;
  }

  private static int compareNumbers(Number a, Number b) {
    if (a instanceof Long x && b instanceof Double y) {
      return -compareDoubleLong(y, x);
    }
    if (a instanceof Double x && b instanceof Long y) {
      return compareDoubleLong(x, y);
    }
    return Double.compare(a.doubleValue(), b.doubleValue());
  }

  private static int compareDoubleLong(double d, long l) {
    if (d < -9.223372036854776E18) {
      return -1;
    }
    if (d >= 9.223372036854776E18) {
      return 1;
    }
    long dl = (long) d;
    if (dl != l) {
      return Long.compare(dl, l);
    }
    return Double.compare(d - dl, 0.0);
  }

  // ---- order

  /** The total order of ORDER BY, ascending; null sorts last. */
  public static final Comparator<Object> ORDER = Values::orderCompare;

  private static int rank(Object v) {
    if (v instanceof Map) {
      return 0;
    }
    if (v instanceof NodeRef) {
      return 1;
    }
    if (v instanceof RelRef) {
      return 2;
    }
    if (v instanceof List) {
      return 3;
    }
    if (v instanceof PathValue) {
      return 4;
    }
    if (Temporals.isTemporal(v)) {
      return 5;
    }
    if (v instanceof String) {
      return 6;
    }
    if (v instanceof Boolean) {
      return 7;
    }
    if (v instanceof Long || v instanceof Double) {
      return 8;
    }
    if (v instanceof byte[]) {
      return 9;
    }
    return v == null ? 11 : 10;
  }

  @SuppressWarnings("unchecked")
  static int orderCompare(Object a, Object b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    switch (ra) {
      case 0:
        {
          Map<String, Object> x = (Map<String, Object>) a;
          Map<String, Object> y = (Map<String, Object>) b;
          List<String> kx = new ArrayList<>(x.keySet());
          List<String> ky = new ArrayList<>(y.keySet());
          kx.sort(null);
          ky.sort(null);
          int c = orderCompare(new ArrayList<Object>(kx), new ArrayList<Object>(ky));
          if (c != 0) {
            return c;
          }
          for (String k : kx) {
            c = orderCompare(x.get(k), y.get(k));
            if (c != 0) {
              return c;
            }
          }
          return 0;
        }
      case 1:
        return ((NodeRef) a).key().compareTo(((NodeRef) b).key());
      case 2:
        {
          var x = ((RelRef) a).key();
          var y = ((RelRef) b).key();
          int c = x.type().compareTo(y.type());
          if (c == 0) {
            c = x.from().compareTo(y.from());
          }
          return c != 0 ? c : x.to().compareTo(y.to());
        }
      case 3:
        {
          Iterator<?> x = ((List<?>) a).iterator();
          Iterator<?> y = ((List<?>) b).iterator();
          while (x.hasNext() && y.hasNext()) {
            int c = orderCompare(x.next(), y.next());
            if (c != 0) {
              return c;
            }
          }
          return Boolean.compare(x.hasNext(), y.hasNext());
        }
      case 4:
        return orderCompare(((PathValue) a).elements(), ((PathValue) b).elements());
      case 5:
        return Temporals.orderCompare(a, b);
      case 6:
        return ((String) a).compareTo((String) b);
      case 7:
        return Boolean.compare((Boolean) a, (Boolean) b);
      case 8:
        {
          boolean na = a instanceof Double d && d.isNaN();
          boolean nb = b instanceof Double d && d.isNaN();
          if (na || nb) {
            return Boolean.compare(na, nb);
          }
          return compareNumbers((Number) a, (Number) b);
        }
      case 9:
        return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
      default:
        return 0;
    }
  }

  // ---- equivalence (DISTINCT, grouping)

  /**
   * A key whose {@code equals}/{@code hashCode} follow Cypher equivalence: numbers by value (an
   * integral float equals the integer), NaN equals NaN, null equals null, lists and maps by
   * element.
   */
  public static Object groupKey(Object v) {
    if (v instanceof Double d) {
      if (d.isNaN()) {
        return NaN.INSTANCE;
      }
      if (d == Math.rint(d) && Math.abs(d) < 9.0E15) {
        return (long) (double) d;
      }
      return d;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(groupKey(o));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(e.getKey(), groupKey(e.getValue()));
      }
      return new java.util.HashMap<>(out);
    }
    if (v instanceof byte[] b) {
      return new Bytes(b);
    }
    // temporal values equal by instant (as = says) group together
    if (v instanceof java.time.ZonedDateTime z) {
      return z.toInstant();
    }
    if (v instanceof java.time.OffsetTime t) {
      return t.withOffsetSameInstant(java.time.ZoneOffset.UTC);
    }
    if (v instanceof PathValue p) {
      return groupKey(p.elements());
    }
    return v;
  }

  /** A key for a whole row of values. */
  public static List<Object> groupKey(Object[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (Object v : values) {
      out.add(groupKey(v));
    }
    return out;
  }

  private enum NaN {
    INSTANCE
  }

  private record Bytes(byte[] b) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes other && Arrays.equals(b, other.b);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(b);
    }
  }

  // ---- truth

  /** A predicate's value: TRUE, FALSE or null; anything else is a type error. */
  public static Boolean truth(Object v, String what) {
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw CypherException.typeError(
        what + " expects a boolean, got " + typeName(v) + ". value=" + render(v));
  }

  /** A short text form for messages. */
  public static String render(Object v) {
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    if (v instanceof NodeRef n) {
      NodeKey k = n.key();
      return "(" + k.label() + " " + k.key() + ")";
    }
    return Objects.toString(v);
  }
}
