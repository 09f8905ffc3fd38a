package io.namidb.query.eval;

import io.namidb.query.CypherException;
import io.namidb.query.graph.NodeRef;
import io.namidb.query.graph.PathValue;
import io.namidb.query.graph.RelRef;
import io.namidb.query.graph.Tx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Scalar functions, by lower-case name, with their arity. */
public final class Functions {
  private Functions() {}

  /** Arity bounds of each scalar function: {min, max}. */
  private static final Map<String, int[]> ARITY = new LinkedHashMap<>();

  static {
    for (String f :
        List.of(
            "id",
            "labels",
            "type",
            "keys",
            "properties",
            "length",
            "size",
            "nodes",
            "relationships",
            "startnode",
            "endnode",
            "head",
            "last",
            "tail",
            "reverse",
            "tostring",
            "tointeger",
            "tofloat",
            "toboolean",
            "tostringornull",
            "tointegerornull",
            "tofloatornull",
            "tobooleanornull",
            "abs",
            "ceil",
            "floor",
            "sign",
            "sqrt",
            "exp",
            "log",
            "log10",
            "sin",
            "cos",
            "tan",
            "asin",
            "acos",
            "atan",
            "cot",
            "degrees",
            "radians",
            "toupper",
            "tolower",
            "trim",
            "ltrim",
            "rtrim",
            "isempty",
            "valuetype",
            "haversin",
            "exists",
            "char_length",
            "character_length")) {
      ARITY.put(f, new int[] {1, 1});
    }
    ARITY.put("coalesce", new int[] {1, Integer.MAX_VALUE});
    ARITY.put("range", new int[] {2, 3});
    ARITY.put("round", new int[] {1, 3});
    ARITY.put("atan2", new int[] {2, 2});
    ARITY.put("pi", new int[] {0, 0});
    ARITY.put("e", new int[] {0, 0});
    ARITY.put("rand", new int[] {0, 0});
    ARITY.put("timestamp", new int[] {0, 0});
    ARITY.put("replace", new int[] {3, 3});
    ARITY.put("substring", new int[] {2, 3});
    ARITY.put("left", new int[] {2, 2});
    ARITY.put("right", new int[] {2, 2});
    ARITY.put("split", new int[] {2, 2});
  }

  /** Whether a scalar function of this name exists. */
  public static boolean exists(String name) {
    String f = name.toLowerCase(Locale.ROOT);
    return ARITY.containsKey(f) || Temporals.exists(f);
  }

  /** Checks the argument count at compile time. */
  public static void checkArity(String name, int args) {
    String f = name.toLowerCase(Locale.ROOT);
    int[] a = Temporals.exists(f) ? Temporals.arity(f) : ARITY.get(f);
    if (a == null) {
      throw CypherException.semantic("UnknownFunction", "unknown function. function=" + name);
    }
    if (args < a[0] || args > a[1]) {
      throw CypherException.semantic(
          "InvalidNumberOfArguments",
          "wrong number of arguments. function=" + name + " arguments=" + args);
    }
  }

  /** Calls a scalar function on evaluated arguments. */
  public static Object call(String name, List<Object> args, Ctx ctx) {
    String f = name.toLowerCase(Locale.ROOT);
    Object a = args.isEmpty() ? null : args.get(0);
    if (Temporals.exists(f)) {
      return Temporals.call(f, args, ctx.now());
    }
    switch (f) {
      case "coalesce":
        for (Object v : args) {
          if (v != null) {
            return v;
          }
        }
        return null;
      case "pi":
        return Math.PI;
      case "e":
        return Math.E;
      case "rand":
        return ThreadLocalRandom.current().nextDouble();
      case "timestamp":
        return ctx.now().toEpochMilli(); // the query's clock, as datetime()'s
      case "range":
        return range(args);
      case "tostringornull":
      case "tointegerornull":
      case "tofloatornull":
      case "tobooleanornull":
        try {
          return call(f.substring(0, f.length() - "ornull".length()), args, ctx);
        } catch (CypherException e) {
          return null;
        }
      case "valuetype":
        return Values.typeName(a) + (a == null ? "" : " NOT NULL");
      default:
        break;
    }
    if (a == null) {
      return null;
    }
    Tx tx = ctx.tx();
    switch (f) {
      case "id":
        if (a instanceof NodeRef n) {
          return n.key().key() instanceof Long l ? l : (long) n.key().hashCode();
        }
        if (a instanceof RelRef r) {
          return (long) r.key().hashCode();
        }
        throw argType(f, a);
      case "labels":
        if (a instanceof NodeRef n) {
          return new ArrayList<Object>(Tx.labels(n));
        }
        throw argType(f, a);
      case "type":
        if (a instanceof RelRef r) {
          return r.key().type();
        }
        throw argType(f, a);
      case "keys":
        if (a instanceof NodeRef n) {
          List<Object> keys = new ArrayList<>();
          keys.add(Tx.KEY);
          keys.addAll(tx.props(n).keySet());
          return keys;
        }
        if (a instanceof RelRef r) {
          return new ArrayList<Object>(tx.props(r).keySet());
        }
        if (a instanceof Map<?, ?> m) {
          return new ArrayList<Object>(m.keySet());
        }
        throw argType(f, a);
      case "properties":
        if (a instanceof NodeRef n) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put(Tx.KEY, n.key().key());
          tx.props(n).forEach((k, v) -> m.put(k, Values.fromStored(v)));
          return m;
        }
        if (a instanceof RelRef r) {
          Map<String, Object> m = new LinkedHashMap<>();
          tx.props(r).forEach((k, v) -> m.put(k, Values.fromStored(v)));
          return m;
        }
        if (a instanceof Map<?, ?> m) {
          return m;
        }
        throw argType(f, a);
      case "length":
        if (a instanceof PathValue p) {
          return (long) p.rels().size();
        }
        throw argType(f, a);
      case "size":
        if (a instanceof List<?> l) {
          return (long) l.size();
        }
        if (a instanceof String s) {
          return (long) s.codePointCount(0, s.length());
        }
        throw argType(f, a);
      case "char_length":
      case "character_length":
        if (a instanceof String s) {
          return (long) s.codePointCount(0, s.length());
        }
        throw argType(f, a);
      case "isempty":
        if (a instanceof List<?> l) {
          return l.isEmpty();
        }
        if (a instanceof String s) {
          return s.isEmpty();
        }
        if (a instanceof Map<?, ?> m) {
          return m.isEmpty();
        }
        throw argType(f, a);
      case "nodes":
        if (a instanceof PathValue p) {
          return new ArrayList<Object>(p.nodes());
        }
        throw argType(f, a);
      case "relationships":
        if (a instanceof PathValue p) {
          return new ArrayList<Object>(p.rels());
        }
        throw argType(f, a);
      case "startnode":
        if (a instanceof RelRef r) {
          return tx.node(r.key().from());
        }
        throw argType(f, a);
      case "endnode":
        if (a instanceof RelRef r) {
          return tx.node(r.key().to());
        }
        throw argType(f, a);
      case "head":
        if (a instanceof List<?> l) {
          return l.isEmpty() ? null : l.get(0);
        }
        throw argType(f, a);
      case "last":
        if (a instanceof List<?> l) {
          return l.isEmpty() ? null : l.get(l.size() - 1);
        }
        throw argType(f, a);
      case "tail":
        if (a instanceof List<?> l) {
          return l.isEmpty() ? new ArrayList<>() : new ArrayList<Object>(l.subList(1, l.size()));
        }
        throw argType(f, a);
      case "reverse":
        if (a instanceof List<?> l) {
          List<Object> r = new ArrayList<>(l);
          Collections.reverse(r);
          return r;
        }
        if (a instanceof String s) {
          return new StringBuilder(s).reverse().toString();
        }
        throw argType(f, a);
      case "exists":
        return a != null;
      case "tostring":
        return Convert.toStringValue(a, f);
      case "tointeger":
        return Convert.toInteger(a, f);
      case "tofloat":
        return Convert.toFloat(a, f);
      case "toboolean":
        return Convert.toBoolean(a, f);
      case "toupper":
        return str(f, a).toUpperCase(Locale.ROOT);
      case "tolower":
        return str(f, a).toLowerCase(Locale.ROOT);
      case "trim":
        return str(f, a).strip();
      case "ltrim":
        return str(f, a).stripLeading();
      case "rtrim":
        return str(f, a).stripTrailing();
      case "replace":
        {
          Object search = args.get(1);
          Object repl = args.get(2);
          if (search == null || repl == null) {
            return null;
          }
          return str(f, a).replace(str(f, search), str(f, repl));
        }
      case "substring":
        {
          String s = str(f, a);
          Object startV = args.get(1);
          if (startV == null) {
            return null;
          }
          long start = integer(f, startV);
          Long len = null;
          if (args.size() > 2) {
            if (args.get(2) == null) {
              return null;
            }
            len = integer(f, args.get(2));
          }
          if (start < 0 || (len != null && len < 0)) {
            throw CypherException.runtime(
                "ArgumentError", "NegativeIntegerArgument", "substring: negative argument");
          }
          int from = (int) Math.min(start, s.length());
          int to = len == null ? s.length() : (int) Math.min(s.length(), from + len);
          return s.substring(from, to);
        }
      case "left":
      case "right":
        {
          String s = str(f, a);
          Object n = args.get(1);
          if (n == null) {
            throw CypherException.runtime(
                "ArgumentError", "InvalidArgumentValue", f + ": length must not be null");
          }
          long len = integer(f, n);
          if (len < 0) {
            throw CypherException.runtime(
                "ArgumentError", "NegativeIntegerArgument", f + ": negative length");
          }
          int l = (int) Math.min(len, s.length());
          return f.equals("left") ? s.substring(0, l) : s.substring(s.length() - l);
        }
      case "split":
        {
          Object sep = args.get(1);
          if (sep == null) {
            return null;
          }
          String s = str(f, a);
          String d = str(f, sep);
          List<Object> parts = new ArrayList<>();
          if (d.isEmpty()) {
            s.codePoints().forEach(cp -> parts.add(new String(Character.toChars(cp))));
            return parts;
          }
          int i = 0;
          while (true) {
            int j = s.indexOf(d, i);
            if (j < 0) {
              parts.add(s.substring(i));
              return parts;
            }
            parts.add(s.substring(i, j));
            i = j + d.length();
          }
        }
      case "abs":
        if (a instanceof Long l) {
          return Math.abs(l);
        }
        return Math.abs(num(f, a));
      case "ceil":
        return Math.ceil(num(f, a));
      case "floor":
        return Math.floor(num(f, a));
      case "round":
        return round(args, f);
      case "sign":
        if (a instanceof Long l) {
          return (long) Long.signum(l);
        }
        return (long) Math.signum(num(f, a));
      case "sqrt":
        return Math.sqrt(num(f, a));
      case "exp":
        return Math.exp(num(f, a));
      case "log":
        return Math.log(num(f, a));
      case "log10":
        return Math.log10(num(f, a));
      case "sin":
        return Math.sin(num(f, a));
      case "cos":
        return Math.cos(num(f, a));
      case "tan":
        return Math.tan(num(f, a));
      case "cot":
        return 1.0 / Math.tan(num(f, a));
      case "asin":
        return Math.asin(num(f, a));
      case "acos":
        return Math.acos(num(f, a));
      case "atan":
        return Math.atan(num(f, a));
      case "atan2":
        return args.get(1) == null ? null : Math.atan2(num(f, a), num(f, args.get(1)));
      case "degrees":
        return Math.toDegrees(num(f, a));
      case "radians":
        return Math.toRadians(num(f, a));
      case "haversin":
        return (1 - Math.cos(num(f, a))) / 2;
      default:
        throw CypherException.semantic("UnknownFunction", "unknown function. function=" + name);
    }
  }

  private static Object round(List<Object> args, String f) {
    Object a = args.get(0);
    double v = num(f, a);
    if (args.size() == 1) {
      return Double.isNaN(v) || Double.isInfinite(v) ? v : (double) Math.round(v);
    }
    Object p = args.get(1);
    if (p == null) {
      return null;
    }
    int precision = (int) integer(f, p);
    java.math.RoundingMode mode = java.math.RoundingMode.HALF_UP;
    if (args.size() == 3) {
      Object m = args.get(2);
      if (m == null) {
        return null;
      }
      try {
        mode = java.math.RoundingMode.valueOf(str(f, m).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw CypherException.runtime(
            "ArgumentError", "InvalidArgumentValue", "round: unknown rounding mode. mode=" + m);
      }
    }
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    return new java.math.BigDecimal(v).setScale(precision, mode).doubleValue();
  }

  private static List<Object> range(List<Object> args) {
    for (Object o : args) {
      if (o == null) {
        throw CypherException.runtime(
            "ArgumentError", "InvalidArgumentValue", "range: arguments must not be null");
      }
      if (!(o instanceof Long)) {
        throw CypherException.runtime(
            "ArgumentError",
            "InvalidArgumentType",
            "range() takes integers, got " + Values.typeName(o) + ". value=" + Values.render(o));
      }
    }
    long from = (Long) args.get(0);
    long to = (Long) args.get(1);
    long step = args.size() > 2 ? (Long) args.get(2) : 1;
    if (step == 0) {
      throw CypherException.runtime(
          "ArgumentError", "NumberOutOfRange", "range: step must not be zero");
    }
    List<Object> out = new ArrayList<>();
    for (long i = from; step > 0 ? i <= to : i >= to; i += step) {
      out.add(i);
      if (out.size() > 10_000_000) {
        throw CypherException.tooLarge("range: too many elements");
      }
    }
    return out;
  }

  static String str(String f, Object v) {
    if (v instanceof String s) {
      return s;
    }
    throw argType(f, v);
  }

  static double num(String f, Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d) {
      return d;
    }
    throw argType(f, v);
  }

  static long integer(String f, Object v) {
    if (v instanceof Long l) {
      return l;
    }
    throw argType(f, v);
  }

  static CypherException argType(String f, Object v) {
    return CypherException.typeError(
        f + "() cannot take a " + Values.typeName(v) + ". value=" + Values.render(v));
  }
}
