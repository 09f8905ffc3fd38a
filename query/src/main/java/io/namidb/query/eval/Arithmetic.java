package io.namidb.query.eval;

import io.namidb.query.CypherException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cypher arithmetic: integers stay integers (overflow is an error, division truncates, division by
 * zero is an error), a float operand makes a float, {@code +} also joins strings and lists, a
 * duration adds to a temporal value or another duration ({@link Temporals}), and null in, null out.
 */
final class Arithmetic {
  private Arithmetic() {}

  static Object add(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Long x && b instanceof Long y) {
      try {
        return Math.addExact(x, y);
      } catch (ArithmeticException e) {
        throw overflow("+", a, b);
      }
    }
    if (Values.isNumber(a) && Values.isNumber(b)) {
      return ((Number) a).doubleValue() + ((Number) b).doubleValue();
    }
    if (a instanceof List<?> x) {
      List<Object> out = new ArrayList<>(x);
      if (b instanceof List<?> y) {
        out.addAll(y);
      } else {
        out.add(b);
      }
      return out;
    }
    if (b instanceof List<?> y) {
      List<Object> out = new ArrayList<>();
      out.add(a);
      out.addAll(y);
      return out;
    }
    if (a instanceof String x && (b instanceof String || Values.isNumber(b))) {
      return x + str(b);
    }
    if (b instanceof String y && Values.isNumber(a)) {
      return str(a) + y;
    }
    Object temporal = Temporals.add(a, b);
    if (temporal != null) {
      return temporal;
    }
    throw types("+", a, b);
  }

  private static String str(Object v) {
    return v instanceof Double d ? Convert.formatFloat(d) : v.toString();
  }

  static Object sub(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Long x && b instanceof Long y) {
      try {
        return Math.subtractExact(x, y);
      } catch (ArithmeticException e) {
        throw overflow("-", a, b);
      }
    }
    if (Values.isNumber(a) && Values.isNumber(b)) {
      return ((Number) a).doubleValue() - ((Number) b).doubleValue();
    }
    Object temporal = Temporals.subtract(a, b);
    if (temporal != null) {
      return temporal;
    }
    throw types("-", a, b);
  }

  static Object mul(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Long x && b instanceof Long y) {
      try {
        return Math.multiplyExact(x, y);
      } catch (ArithmeticException e) {
        throw overflow("*", a, b);
      }
    }
    if (Values.isNumber(a) && Values.isNumber(b)) {
      return ((Number) a).doubleValue() * ((Number) b).doubleValue();
    }
    Object temporal = Temporals.multiply(a, b);
    if (temporal != null) {
      return temporal;
    }
    throw types("*", a, b);
  }

  static Object div(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Long x && b instanceof Long y) {
      if (y == 0) {
        throw CypherException.runtime("ArithmeticError", "DivisionByZero", "division by zero");
      }
      if (x == Long.MIN_VALUE && y == -1) {
        throw overflow("/", a, b);
      }
      return x / y;
    }
    if (Values.isNumber(a) && Values.isNumber(b)) {
      return ((Number) a).doubleValue() / ((Number) b).doubleValue();
    }
    Object temporal = Temporals.divide(a, b);
    if (temporal != null) {
      return temporal;
    }
    throw types("/", a, b);
  }

  static Object mod(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Long x && b instanceof Long y) {
      if (y == 0) {
        throw CypherException.runtime("ArithmeticError", "DivisionByZero", "modulo by zero");
      }
      return x % y;
    }
    if (Values.isNumber(a) && Values.isNumber(b)) {
      return ((Number) a).doubleValue() % ((Number) b).doubleValue();
    }
    throw types("%", a, b);
  }

  static Object pow(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (Values.isNumber(a) && Values.isNumber(b)) {
      return Math.pow(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }
    throw types("^", a, b);
  }

  static Object negate(Object a) {
    if (a == null) {
      return null;
    }
    if (a instanceof Long x) {
      try {
        return Math.negateExact(x);
      } catch (ArithmeticException e) {
        throw overflow("-", a, null);
      }
    }
    if (a instanceof Double d) {
      return -d;
    }
    if (a instanceof DurationValue d) {
      return d.negate();
    }
    throw CypherException.typeError("unary minus needs a number, got " + Values.typeName(a));
  }

  static Object plus(Object a) {
    if (a == null || Values.isNumber(a)) {
      return a;
    }
    throw CypherException.typeError("unary plus needs a number, got " + Values.typeName(a));
  }

  private static CypherException overflow(String op, Object a, Object b) {
    return CypherException.runtime(
        "ArithmeticError", "IntegerOverflow", "integer overflow. operator=" + op + " left=" + a);
  }

  private static CypherException types(String op, Object a, Object b) {
    return CypherException.typeError(
        "cannot apply "
            + op
            + " to "
            + Values.typeName(a)
            + " and "
            + Values.typeName(b)
            + ". left="
            + Values.render(a)
            + " right="
            + Values.render(b));
  }
}
