package io.namidb.query.plan;

import io.namidb.query.CypherException;
import io.namidb.query.ast.Expr;
import io.namidb.query.eval.Compiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Walks and rewrites expression trees for the planner. */
final class Exprs {
  private Exprs() {}

  /** The AND-ed parts of a predicate. */
  static List<Expr> conjuncts(Expr e) {
    List<Expr> out = new ArrayList<>();
    if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
      out.addAll(conjuncts(b.left()));
      out.addAll(conjuncts(b.right()));
    } else {
      out.add(e);
    }
    return out;
  }

  static boolean containsAggregate(Expr e) {
    boolean[] found = {false};
    rewrite(
        e,
        x -> {
          if (Compiler.isAggregate(x)) {
            found[0] = true;
            return x;
          }
          return null;
        });
    return found[0];
  }

  /**
   * Refuses an aggregate evaluated per element of a list comprehension, quantifier, reduce or
   * pattern comprehension ({@code [x IN list | count(*)]}): it has no group to count. The list
   * itself may aggregate ({@code [x IN collect(n.a) | x * 2]}).
   */
  static void checkNoAggregateInScopes(Expr e) {
    rewrite(
        e,
        x -> {
          List<Expr> inner = new ArrayList<>();
          if (x instanceof Expr.ListComprehension lc) {
            inner.add(lc.where());
            inner.add(lc.projection());
          } else if (x instanceof Expr.Quantified q) {
            inner.add(q.where());
          } else if (x instanceof Expr.Reduce r) {
            inner.add(r.expression());
          } else if (x instanceof Expr.PatternComprehension pc) {
            inner.add(pc.where());
            inner.add(pc.projection());
          } else {
            return null;
          }
          for (Expr i : inner) {
            if (i != null && containsAggregate(i)) {
              throw CypherException.semantic(
                  "InvalidAggregation",
                  "aggregation is not allowed inside a list comprehension, quantifier, reduce or"
                      + " pattern comprehension");
            }
          }
          return null; // look further in: the list may hold another comprehension
        });
  }

  /**
   * Adds the variables {@code e} reads to {@code out}; false when it cannot tell (a pattern or a
   * scoped variable inside).
   */
  static boolean freeVariables(Expr e, Set<String> out) {
    boolean[] known = {true};
    rewrite(
        e,
        x -> {
          if (x instanceof Expr.Var v) {
            out.add(v.name());
            return x;
          }
          if (x instanceof Expr.ListComprehension
              || x instanceof Expr.Quantified
              || x instanceof Expr.Reduce
              || x instanceof Expr.PatternComprehension
              || x instanceof Expr.PatternPredicate
              || x instanceof Expr.MapProjection) {
            known[0] = false;
            return x;
          }
          return null;
        });
    return known[0];
  }

  /**
   * Rebuilds {@code e} bottom-up except where {@code f} gives a replacement (then its children are
   * not visited). Patterns are left as they are.
   */
  static Expr rewrite(Expr e, Function<Expr, Expr> f) {
    if (e == null) {
      return null;
    }
    Expr r = f.apply(e);
    if (r != null) {
      return r;
    }
    if (e instanceof Expr.Property p) {
      return new Expr.Property(rewrite(p.target(), f), p.key());
    }
    if (e instanceof Expr.Subscript s) {
      return new Expr.Subscript(rewrite(s.target(), f), rewrite(s.index(), f));
    }
    if (e instanceof Expr.Slice s) {
      return new Expr.Slice(rewrite(s.target(), f), rewrite(s.from(), f), rewrite(s.to(), f));
    }
    if (e instanceof Expr.ListLit l) {
      return new Expr.ListLit(all(l.items(), f));
    }
    if (e instanceof Expr.MapLit m) {
      return new Expr.MapLit(m.keys(), all(m.values(), f));
    }
    if (e instanceof Expr.Unary u) {
      return new Expr.Unary(u.op(), rewrite(u.operand(), f));
    }
    if (e instanceof Expr.Binary b) {
      return new Expr.Binary(b.op(), rewrite(b.left(), f), rewrite(b.right(), f));
    }
    if (e instanceof Expr.IsNull n) {
      return new Expr.IsNull(rewrite(n.operand(), f), n.negated());
    }
    if (e instanceof Expr.HasLabels h) {
      return new Expr.HasLabels(rewrite(h.target(), f), h.labels());
    }
    if (e instanceof Expr.Call c) {
      return new Expr.Call(c.name(), c.distinct(), all(c.args(), f));
    }
    if (e instanceof Expr.Case c) {
      return new Expr.Case(
          rewrite(c.test(), f), all(c.whens(), f), all(c.thens(), f), rewrite(c.otherwise(), f));
    }
    if (e instanceof Expr.ListComprehension lc) {
      return new Expr.ListComprehension(
          lc.variable(),
          rewrite(lc.list(), f),
          rewrite(lc.where(), f),
          rewrite(lc.projection(), f));
    }
    if (e instanceof Expr.Quantified q) {
      return new Expr.Quantified(
          q.quantifier(), q.variable(), rewrite(q.list(), f), rewrite(q.where(), f));
    }
    if (e instanceof Expr.Reduce r2) {
      return new Expr.Reduce(
          r2.accumulator(),
          rewrite(r2.init(), f),
          r2.variable(),
          rewrite(r2.list(), f),
          rewrite(r2.expression(), f));
    }
    if (e instanceof Expr.MapProjection mp) {
      List<Expr.MapProjectionItem> items = new ArrayList<>();
      for (Expr.MapProjectionItem i : mp.items()) {
        items.add(new Expr.MapProjectionItem(i.key(), rewrite(i.value(), f), i.allProperties()));
      }
      return new Expr.MapProjection(mp.variable(), items);
    }
    return e;
  }

  private static List<Expr> all(List<Expr> es, Function<Expr, Expr> f) {
    List<Expr> out = new ArrayList<>(es.size());
    for (Expr x : es) {
      out.add(rewrite(x, f));
    }
    return out;
  }
}
