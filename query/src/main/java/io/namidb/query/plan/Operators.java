package io.namidb.query.plan;

import io.namidb.query.CypherException;
import io.namidb.query.eval.Aggregator;
import io.namidb.query.eval.Ctx;
import io.namidb.query.eval.Ev;
import io.namidb.query.eval.PatternMatcher;
import io.namidb.query.eval.Scope;
import io.namidb.query.eval.Values;
import io.namidb.query.graph.PathValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/** The physical operators. Each is small; the planner composes them. */
final class Operators {
  private Operators() {}

  /** An iterator built from a "next or null" function. */
  abstract static class Gen implements Iterator<Object[]> {
    private Object[] next;
    private boolean done;

    protected abstract Object[] compute();

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        next = compute();
        done = next == null;
      }
      return next != null;
    }

    @Override
    public Object[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Object[] r = next;
      next = null;
      return r;
    }
  }

  /** One row with no columns (or the given row): where every query starts. */
  static final class Start extends Op {
    Start(Scope scope) {
      super(scope, List.of());
    }

    @Override
    public String describe() {
      return "Start";
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      List<Object[]> one = new ArrayList<>();
      one.add(new Object[scope().size()]);
      return one.iterator();
    }
  }

  /** MATCH / OPTIONAL MATCH: the pattern's matches per input row, filtered by WHERE. */
  static final class Match extends Op {
    private final Op input;
    private final PatternMatcher matcher;
    private final Ev where;
    private final boolean optional;

    Match(Op input, PatternMatcher matcher, Ev where, boolean optional) {
      super(matcher.scope(), List.of(input));
      this.input = input;
      this.matcher = matcher;
      this.where = where;
      this.optional = optional;
    }

    @Override
    public String describe() {
      return (optional ? "OptionalMatch " : "Match ")
          + String.join(", ", matcher.describe())
          + (where == null ? "" : " +filter");
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      int width = scope().size();
      return new Gen() {
        Iterator<Object[]> current = Collections.emptyIterator();
        Object[] inputRow;
        boolean matched;

        @Override
        protected Object[] compute() {
          while (true) {
            while (current.hasNext()) {
              Object[] r = current.next();
              ctx.tick();
              if (where == null || Boolean.TRUE.equals(where.eval(r, ctx))) {
                matched = true;
                return r;
              }
            }
            if (inputRow != null && optional && !matched) {
              Object[] r = Scope.widen(inputRow, width);
              inputRow = null;
              return r;
            }
            if (!in.hasNext()) {
              return null;
            }
            inputRow = in.next();
            matched = false;
            current = matcher.match(inputRow, ctx);
          }
        }
      };
    }
  }

  /** Rows for which the predicate is TRUE. */
  static final class Filter extends Op {
    private final Op input;
    private final Ev predicate;

    Filter(Op input, Ev predicate) {
      super(input.scope(), List.of(input));
      this.input = input;
      this.predicate = predicate;
    }

    @Override
    public String describe() {
      return "Filter";
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      return new Gen() {
        @Override
        protected Object[] compute() {
          while (in.hasNext()) {
            Object[] r = in.next();
            ctx.tick();
            if (Boolean.TRUE.equals(predicate.eval(r, ctx))) {
              return r;
            }
          }
          return null;
        }
      };
    }
  }

  /** UNWIND: one row per element (a non-list value is one element, null none). */
  static final class Unwind extends Op {
    private final Op input;
    private final Ev list;

    Unwind(Op input, Ev list, Scope scope) {
      super(scope, List.of(input));
      this.input = input;
      this.list = list;
    }

    @Override
    public String describe() {
      return "Unwind";
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      int width = scope().size();
      return new Gen() {
        Object[] row;
        Iterator<?> items = Collections.emptyIterator();

        @Override
        protected Object[] compute() {
          while (!items.hasNext()) {
            if (!in.hasNext()) {
              return null;
            }
            row = in.next();
            Object v = list.eval(row, ctx);
            if (v == null) {
              items = Collections.emptyIterator();
            } else if (v instanceof List<?> l) {
              items = l.iterator();
            } else if (v instanceof PathValue p) {
              items = p.elements().iterator();
            } else {
              items = List.of(v).iterator();
            }
          }
          ctx.tick();
          Object[] r = Scope.widen(row, width);
          r[width - 1] = items.next();
          return r;
        }
      };
    }
  }

  /** Computes new columns from each row. */
  static final class Project extends Op {
    private final Op input;
    private final List<Ev> items;
    private final String text;

    Project(Op input, List<Ev> items, Scope scope, String text) {
      super(scope, List.of(input));
      this.input = input;
      this.items = items;
      this.text = text;
    }

    @Override
    public String describe() {
      return "Project " + text;
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      int n = items.size();
      return new Gen() {
        @Override
        protected Object[] compute() {
          if (!in.hasNext()) {
            return null;
          }
          Object[] r = in.next();
          Object[] out = new Object[n];
          for (int i = 0; i < n; i++) {
            out[i] = items.get(i).eval(r, ctx);
          }
          return out;
        }
      };
    }
  }

  /** One aggregate column: the function, its argument (null for count(*)), DISTINCT. */
  record AggSpec(String function, Ev argument, Ev extra, boolean distinct) {}

  /**
   * Groups rows by the key columns and computes the aggregates per group: output rows are the keys
   * then the aggregates. Without keys there is exactly one row, also for no input. Counting rows
   * holds one counter per group, never the rows.
   */
  static final class Aggregate extends Op {
    private final Op input;
    private final List<Ev> keys;
    private final List<AggSpec> aggs;

    Aggregate(Op input, List<Ev> keys, List<AggSpec> aggs, Scope scope) {
      super(scope, List.of(input));
      this.input = input;
      this.keys = keys;
      this.aggs = aggs;
    }

    @Override
    public String describe() {
      List<String> fs = new ArrayList<>();
      for (AggSpec a : aggs) {
        fs.add(a.function + (a.argument == null ? "(*)" : "()"));
      }
      return "Aggregate keys=" + keys.size() + " " + String.join(", ", fs);
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      Map<List<Object>, Object[]> groups = new LinkedHashMap<>();
      Map<List<Object>, Aggregator[]> states = new LinkedHashMap<>();
      int nk = keys.size();
      Aggregator[] single = null; // without grouping keys: the one group, not looked up per row
      while (in.hasNext()) {
        Object[] r = in.next();
        ctx.tick();
        Object[] k = new Object[nk];
        for (int i = 0; i < nk; i++) {
          k[i] = keys.get(i).eval(r, ctx);
        }
        List<Object> gk = nk == 0 ? List.of() : Values.groupKey(k);
        Aggregator[] state = nk == 0 ? single : states.get(gk);
        if (state == null) {
          ctx.hold(1);
          state = new Aggregator[aggs.size()];
          for (int i = 0; i < aggs.size(); i++) {
            AggSpec a = aggs.get(i);
            state[i] =
                a.argument == null
                    ? Aggregator.countStar()
                    : Aggregator.create(a.function, a.distinct);
          }
          states.put(gk, state);
          groups.put(gk, k);
          single = state;
        }
        for (int i = 0; i < aggs.size(); i++) {
          AggSpec a = aggs.get(i);
          if (a.argument == null) {
            state[i].add(Boolean.TRUE, null);
          } else {
            state[i].add(a.argument.eval(r, ctx), a.extra == null ? null : a.extra.eval(r, ctx));
          }
        }
      }
      if (groups.isEmpty() && nk == 0) {
        Aggregator[] state = new Aggregator[aggs.size()];
        for (int i = 0; i < aggs.size(); i++) {
          AggSpec a = aggs.get(i);
          state[i] =
              a.argument == null ? Aggregator.countStar() : Aggregator.create(a.function, false);
        }
        states.put(List.of(), state);
        groups.put(List.of(), new Object[0]);
      }
      List<Object[]> out = new ArrayList<>(groups.size());
      for (Map.Entry<List<Object>, Object[]> g : groups.entrySet()) {
        Object[] row = new Object[nk + aggs.size()];
        System.arraycopy(g.getValue(), 0, row, 0, nk);
        Aggregator[] state = states.get(g.getKey());
        for (int i = 0; i < aggs.size(); i++) {
          row[nk + i] = state[i].result();
        }
        out.add(row);
      }
      ctx.release(groups.size());
      return out.iterator();
    }
  }

  /** Drops rows equivalent to an earlier one in {@code width} columns from {@code from}. */
  static final class Distinct extends Op {
    private final Op input;
    private final int from;
    private final int width;

    Distinct(Op input, int width) {
      this(input, 0, width);
    }

    Distinct(Op input, int from, int width) {
      super(input.scope(), List.of(input));
      this.input = input;
      this.from = from;
      this.width = width;
    }

    @Override
    public String describe() {
      return "Distinct";
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      Set<List<Object>> seen = new HashSet<>();
      return new Gen() {
        @Override
        protected Object[] compute() {
          while (in.hasNext()) {
            Object[] r = in.next();
            ctx.tick();
            Object[] k = new Object[width];
            System.arraycopy(r, from, k, 0, width);
            if (seen.add(Values.groupKey(k))) {
              ctx.hold(1);
              return r;
            }
          }
          return null;
        }
      };
    }
  }

  /** ORDER BY: sorts all rows (held in memory, counted against the query's bound). */
  static final class Sort extends Op {
    private final Op input;
    private final List<Ev> keys;
    private final List<Boolean> descending;
    private final Integer topN;

    Sort(Op input, List<Ev> keys, List<Boolean> descending, Integer topN) {
      super(input.scope(), List.of(input));
      this.input = input;
      this.keys = keys;
      this.descending = descending;
      this.topN = topN;
    }

    @Override
    public String describe() {
      return "Sort keys=" + keys.size() + (topN == null ? "" : " top=" + topN);
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      List<Object[]> all = new ArrayList<>();
      List<Object[]> sortKeys = new ArrayList<>();
      while (in.hasNext()) {
        Object[] r = in.next();
        ctx.tick();
        ctx.hold(1);
        Object[] k = new Object[keys.size()];
        for (int i = 0; i < k.length; i++) {
          k[i] = keys.get(i).eval(r, ctx);
        }
        all.add(r);
        sortKeys.add(k);
      }
      List<Integer> order = new ArrayList<>(all.size());
      for (int i = 0; i < all.size(); i++) {
        order.add(i);
      }
      Comparator<Integer> cmp =
          (a, b) -> {
            Object[] x = sortKeys.get(a);
            Object[] y = sortKeys.get(b);
            for (int i = 0; i < x.length; i++) {
              int c = Values.ORDER.compare(x[i], y[i]);
              if (c != 0) {
                return descending.get(i) ? -c : c;
              }
            }
            return 0;
          };
      order.sort(cmp);
      List<Object[]> out = new ArrayList<>(all.size());
      for (int i : order) {
        out.add(all.get(i));
      }
      ctx.release(all.size());
      return out.iterator();
    }
  }

  /** SKIP and LIMIT, evaluated once; LIMIT stops pulling from below. */
  static final class Slice extends Op {
    private final Op input;
    private final Ev skip;
    private final Ev limit;

    Slice(Op input, Ev skip, Ev limit) {
      super(input.scope(), List.of(input));
      this.input = input;
      this.skip = skip;
      this.limit = limit;
    }

    @Override
    public String describe() {
      return (skip == null ? "" : "Skip ") + (limit == null ? "" : "Limit");
    }

    static long count(Ev e, Ctx ctx, String what) {
      Object v = e.eval(new Object[0], ctx);
      if (v instanceof Double d && d == Math.rint(d)) {
        throw CypherException.runtime(
            "SyntaxError", "InvalidArgumentType", what + " must be an integer. value=" + v);
      }
      if (!(v instanceof Long l)) {
        throw CypherException.runtime(
            "SyntaxError",
            "InvalidArgumentType",
            what + " must be an integer. value=" + Values.render(v));
      }
      if (l < 0) {
        throw CypherException.runtime(
            "SyntaxError", "NegativeIntegerArgument", what + " must not be negative. value=" + l);
      }
      return l;
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      long s = skip == null ? 0 : count(skip, ctx, "SKIP");
      long l = limit == null ? Long.MAX_VALUE : count(limit, ctx, "LIMIT");
      // opened even for LIMIT 0: writing clauses below do their work when opened
      Iterator<Object[]> in = child(input, ctx);
      if (l == 0) {
        return Collections.emptyIterator();
      }
      return new Gen() {
        long skipped;
        long emitted;

        @Override
        protected Object[] compute() {
          while (skipped < s && in.hasNext()) {
            in.next();
            skipped++;
          }
          if (emitted >= l || !in.hasNext()) {
            return null;
          }
          emitted++;
          return in.next();
        }
      };
    }
  }

  /** Materialises its input before passing it on (write queries see clause by clause). */
  static final class Eager extends Op {
    private final Op input;

    Eager(Op input) {
      super(input.scope(), List.of(input));
      this.input = input;
    }

    @Override
    public String describe() {
      return "Eager";
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      List<Object[]> all = new ArrayList<>();
      while (in.hasNext()) {
        ctx.hold(1);
        all.add(in.next());
      }
      ctx.release(all.size());
      return all.iterator();
    }
  }

  /** What a row becomes: zero or more rows, with access to the running query. */
  interface RowsFor {
    List<Object[]> apply(Object[] row, Ctx ctx);
  }

  /** Applies a write to every row (all input read first), passing rows on as it changes them. */
  static final class Update extends Op {
    private final Op input;
    private final RowsFor action;
    private final String text;

    Update(Op input, Scope scope, String text, RowsFor action) {
      super(scope, List.of(input));
      this.input = input;
      this.action = action;
      this.text = text;
    }

    @Override
    public String describe() {
      return text;
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      List<Object[]> all = new ArrayList<>();
      while (in.hasNext()) {
        ctx.hold(1);
        all.add(in.next());
      }
      List<Object[]> out = new ArrayList<>(all.size());
      for (Object[] r : all) {
        ctx.tick();
        out.addAll(action.apply(r, ctx));
      }
      ctx.release(all.size());
      return out.iterator();
    }
  }

  /** UNION [ALL] of queries with the same columns. */
  static final class Union extends Op {
    private final boolean distinct;

    Union(List<Op> inputs, boolean distinct) {
      super(inputs.get(0).scope(), inputs);
      this.distinct = distinct;
    }

    @Override
    public String describe() {
      return distinct ? "Union" : "UnionAll";
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      List<Op> inputs = children();
      Set<List<Object>> seen = new HashSet<>();
      return new Gen() {
        int at;
        Iterator<Object[]> current = Collections.emptyIterator();

        @Override
        protected Object[] compute() {
          while (true) {
            while (current.hasNext()) {
              Object[] r = current.next();
              if (!distinct || seen.add(Values.groupKey(r))) {
                return r;
              }
            }
            if (at >= inputs.size()) {
              return null;
            }
            current = child(inputs.get(at++), ctx);
          }
        }
      };
    }
  }

  /** A generated list of rows per input row, lazily (procedure calls). */
  static final class FlatMap extends Op {
    private final Op input;
    private final RowsFor rowsFor;
    private final String text;

    FlatMap(Op input, Scope scope, String text, RowsFor rowsFor) {
      super(scope, List.of(input));
      this.input = input;
      this.rowsFor = rowsFor;
      this.text = text;
    }

    @Override
    public String describe() {
      return text;
    }

    @Override
    protected Iterator<Object[]> rows(Ctx ctx) {
      Iterator<Object[]> in = child(input, ctx);
      return new Gen() {
        Iterator<Object[]> current = Collections.emptyIterator();

        @Override
        protected Object[] compute() {
          while (!current.hasNext()) {
            if (!in.hasNext()) {
              return null;
            }
            current = rowsFor.apply(in.next(), ctx).iterator();
          }
          return current.next();
        }
      };
    }
  }
}
