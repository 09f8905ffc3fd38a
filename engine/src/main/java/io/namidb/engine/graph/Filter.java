package io.namidb.engine.graph;

import io.namidb.engine.NamiException;
import io.namidb.engine.model.Props;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * A property predicate of a label scan: {@code property op value} with op one of {@code eq, lt, le,
 * gt, ge}. A missing (null) property never matches.
 */
public record Filter(String property, Op op, Object value) {
  /** Comparison operators. */
  public enum Op {
    EQ,
    LT,
    LE,
    GT,
    GE
  }

  public static Filter eq(String property, Object value) {
    return new Filter(property, Op.EQ, value);
  }

  public boolean test(Map<String, Object> props) {
    Object v = props.get(property);
    if (v == null || value == null) {
      return false;
    }
    if (op == Op.EQ) {
      return Props.valueEquals(v, value);
    }
    int c = compare(v, value);
    return switch (op) {
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
      default -> false;
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      if (a instanceof Long la && b instanceof Long lb) {
        return Long.compare(la, lb);
      }
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if ((a instanceof String && b instanceof String)
        || (a instanceof Instant && b instanceof Instant)
        || (a instanceof Boolean && b instanceof Boolean)) {
      return ((Comparable) a).compareTo(b);
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.compareUnsigned(x, y);
    }
    throw new NamiException(
        NamiException.Kind.INVALID_INPUT,
        "cannot compare property with the filter value. property="
            + property
            + " type="
            + a.getClass().getSimpleName()
            + " filterType="
            + b.getClass().getSimpleName());
  }
}
