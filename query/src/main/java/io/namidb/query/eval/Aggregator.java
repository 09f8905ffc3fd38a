package io.namidb.query.eval;

import io.namidb.query.CypherException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One running aggregate of one group. Nulls are skipped by every aggregate but {@code count(*)};
 * DISTINCT keeps the first of equivalent values.
 */
public abstract class Aggregator {
  private final Set<Object> seen;

  protected Aggregator(boolean distinct) {
    this.seen = distinct ? new HashSet<>() : null;
  }

  /** Adds one row's value ({@code extra}: the second argument, e.g. a percentile). */
  public final void add(Object value, Object extra) {
    if (value == null) {
      return;
    }
    if (seen != null && !seen.add(Values.groupKey(value))) {
      return;
    }
    accept(value, extra);
  }

  protected abstract void accept(Object value, Object extra);

  public abstract Object result();

  /** A fresh aggregator for {@code name} (lower case). */
  public static Aggregator create(String name, boolean distinct) {
    String f = name.toLowerCase(Locale.ROOT);
    return switch (f) {
      case "count" ->
          new Aggregator(distinct) {
            long n;

            @Override
            protected void accept(Object v, Object extra) {
              n++;
            }

            @Override
            public Object result() {
              return n;
            }
          };
      case "sum" ->
          new Aggregator(distinct) {
            long longSum;
            double doubleSum;
            boolean isFloat;

            @Override
            protected void accept(Object v, Object extra) {
              if (v instanceof Long l) {
                try {
                  longSum = Math.addExact(longSum, l);
                } catch (ArithmeticException e) {
                  throw CypherException.runtime(
                      "ArithmeticError", "IntegerOverflow", "sum() overflowed an integer");
                }
              } else if (v instanceof Double d) {
                isFloat = true;
                doubleSum += d;
              } else {
                throw Functions.argType("sum", v);
              }
            }

            @Override
            public Object result() {
              return isFloat ? (Object) (doubleSum + longSum) : (Object) longSum;
            }
          };
      case "avg" ->
          new Aggregator(distinct) {
            double sum;
            long n;

            @Override
            protected void accept(Object v, Object extra) {
              sum += Functions.num("avg", v);
              n++;
            }

            @Override
            public Object result() {
              return n == 0 ? null : sum / n;
            }
          };
      case "min", "max" ->
          new Aggregator(distinct) {
            Object best;

            @Override
            protected void accept(Object v, Object extra) {
              if (best == null) {
                best = v;
                return;
              }
              int c = Values.ORDER.compare(v, best);
              if (f.equals("min") ? c < 0 : c > 0) {
                best = v;
              }
            }

            @Override
            public Object result() {
              return best;
            }
          };
      case "collect" ->
          new Aggregator(distinct) {
            final List<Object> items = new ArrayList<>();

            @Override
            protected void accept(Object v, Object extra) {
              items.add(v);
            }

            @Override
            public Object result() {
              return new ArrayList<>(items);
            }
          };
      case "stdev", "stdevp" ->
          new Aggregator(distinct) {
            final List<Double> xs = new ArrayList<>();

            @Override
            protected void accept(Object v, Object extra) {
              xs.add(Functions.num(f, v));
            }

            @Override
            public Object result() {
              int n = xs.size();
              int d = f.equals("stdev") ? n - 1 : n;
              if (n == 0 || d <= 0) {
                return 0.0;
              }
              double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
              double ss = 0;
              for (double x : xs) {
                ss += (x - mean) * (x - mean);
              }
              return Math.sqrt(ss / d);
            }
          };
      case "percentilecont", "percentiledisc" ->
          new Aggregator(distinct) {
            final List<Double> xs = new ArrayList<>();
            final List<Object> raw = new ArrayList<>();
            double p = -1;

            @Override
            protected void accept(Object v, Object extra) {
              xs.add(Functions.num(f, v));
              raw.add(v);
              if (extra == null || !Values.isNumber(extra)) {
                throw CypherException.runtime(
                    "ArgumentError",
                    "InvalidArgumentValue",
                    f + ": the percentile must be a number");
              }
              p = ((Number) extra).doubleValue();
              if (p < 0 || p > 1) {
                throw CypherException.runtime(
                    "ArgumentError",
                    "NumberOutOfRange",
                    f + ": the percentile must be between 0.0 and 1.0. percentile=" + p);
              }
            }

            @Override
            public Object result() {
              if (xs.isEmpty()) {
                return null;
              }
              List<Integer> order = new ArrayList<>();
              for (int i = 0; i < xs.size(); i++) {
                order.add(i);
              }
              order.sort((a, b) -> Double.compare(xs.get(a), xs.get(b)));
              int n = xs.size();
              if (f.equals("percentiledisc")) {
                int idx = p == 0 ? 0 : (int) Math.ceil(p * n) - 1;
                return raw.get(order.get(Math.max(0, Math.min(n - 1, idx))));
              }
              double pos = p * (n - 1);
              int lo = (int) Math.floor(pos);
              int hi = (int) Math.ceil(pos);
              double a = xs.get(order.get(lo));
              double b = xs.get(order.get(hi));
              return a + (b - a) * (pos - lo);
            }
          };
      default ->
          throw CypherException.semantic(
              "UnknownFunction", "unknown aggregate function. function=" + name);
    };
  }

  /** {@code count(*)}: counts rows, nulls included. */
  public static Aggregator countStar() {
    return new Aggregator(false) {
      long n;

      @Override
      protected void accept(Object v, Object extra) {
        n++;
      }

      @Override
      public Object result() {
        return n;
      }
    };
  }
}
