package io.namidb.query.plan;

import io.namidb.query.CypherException;
import io.namidb.query.ast.Clause;
import io.namidb.query.ast.Expr;
import io.namidb.query.eval.Compiler;
import io.namidb.query.eval.Ev;
import io.namidb.query.eval.Scope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Plans the body of WITH and RETURN: items, DISTINCT, aggregation, ORDER BY, SKIP, LIMIT.
 *
 * <ul>
 *   <li>Without aggregation, items are computed next to the input's variables, so ORDER BY may use
 *       both (an alias wins), then only the items are kept.
 *   <li>With aggregation, the items without aggregates are the grouping keys; each aggregate call
 *       becomes a hidden column of an {@link Operators.Aggregate}, and an item or ORDER BY key that
 *       repeats a grouping item's expression reads that item. {@code count(*)} and the other
 *       aggregates keep one running value per group, never the group's rows.
 *   <li>SKIP and LIMIT are constant expressions (parameters allowed), applied lazily.
 * </ul>
 */
final class Projections {
  private final Compiler compiler;

  Projections(Compiler compiler) {
    this.compiler = compiler;
  }

  record Result(Op op, List<String> columns) {}

  Result plan(Op input, Scope in, Clause.Projection p, boolean isReturn) {
    return plan(input, in, p, isReturn, null);
  }

  /**
   * With {@code where} (WITH ... WHERE): the filter runs after ORDER BY, SKIP and LIMIT, and sees
   * the projected names and, when neither DISTINCT nor aggregation drop them, the input's variables
   * too.
   */
  Result plan(Op input, Scope in, Clause.Projection p, boolean isReturn, Expr where) {
    List<Clause.ReturnItem> items = new ArrayList<>();
    if (p.star()) {
      List<String> vars = new ArrayList<>(in.visible());
      vars = new ArrayList<>(new java.util.LinkedHashSet<>(vars));
      if (isReturn) {
        vars.sort(null);
      }
      // WITH * of no variables passes its rows on (MATCH () CREATE () WITH * CREATE ()); a
      // RETURN of nothing would be a result without columns
      if (isReturn && vars.isEmpty() && p.items().isEmpty()) {
        throw CypherException.semantic("NoVariablesInScope", "RETURN * needs variables in scope");
      }
      for (String v : vars) {
        items.add(new Clause.ReturnItem(new Expr.Var(v), v, v));
      }
    }
    items.addAll(p.items());
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Clause.ReturnItem i : items) {
      String name = i.alias();
      if (name == null) {
        if (!isReturn && !(i.expression() instanceof Expr.Var)) {
          throw CypherException.semantic(
              "NoExpressionAlias", "an expression in WITH needs an alias. expression=" + i.text());
        }
        name = i.expression() instanceof Expr.Var v && !isReturn ? v.name() : i.text();
      }
      if (!seen.add(name)) {
        throw CypherException.semantic(
            "ColumnNameConflict", "two columns have the same name. column=" + name);
      }
      names.add(name);
    }
    for (Clause.SortItem s : p.orderBy()) {
      if (s.expression() instanceof Expr.Unsupported u) {
        throw CypherException.unsupported(u.construct(), "");
      }
    }
    Ev skip = constant(p.skip(), "SKIP");
    Ev limit = constant(p.limit(), "LIMIT");
    boolean aggregating = false;
    for (Clause.ReturnItem i : items) {
      Exprs.checkNoAggregateInScopes(i.expression());
      aggregating |= Exprs.containsAggregate(i.expression());
    }
    for (Clause.SortItem s : p.orderBy()) {
      Exprs.checkNoAggregateInScopes(s.expression());
    }
    if (!aggregating && p.distinct()) {
      for (Clause.SortItem s : p.orderBy()) {
        aggregating |= Exprs.containsAggregate(s.expression());
      }
      if (aggregating) {
        throw CypherException.semantic(
            "InvalidAggregation", "ORDER BY after DISTINCT cannot aggregate");
      }
    }
    Op op =
        aggregating
            ? aggregate(input, in, items, names, p)
            : plain(input, in, items, names, p, where != null);
    if (skip != null || limit != null) {
      op = new Operators.Slice(op, skip, limit);
    }
    if (where != null) {
      Planner.checkNoAggregate(where, "WHERE");
      op = new Operators.Filter(op, compiler.predicate(byItem(where, items, names), op.scope()));
    }
    List<Compiler.Kind> kinds = new ArrayList<>();
    for (Clause.ReturnItem i : items) {
      kinds.add(
          Exprs.containsAggregate(i.expression())
              ? Compiler.Kind.UNKNOWN
              : compiler.kindOf(i.expression()));
    }
    for (int i = 0; i < names.size(); i++) {
      compiler.bind(names.get(i), kinds.get(i));
    }
    Scope out = new Scope(names);
    if (op.scope().size() != names.size()) {
      List<Ev> keep = new ArrayList<>();
      int base = op.scope().size() - names.size();
      for (int i = 0; i < names.size(); i++) {
        int slot = base + i;
        keep.add((row, ctx) -> row[slot]);
      }
      op = new Operators.Project(op, keep, out, String.join(", ", names));
    }
    return new Result(op, names);
  }

  private Op plain(
      Op input,
      Scope in,
      List<Clause.ReturnItem> items,
      List<String> names,
      Clause.Projection p,
      boolean filtered) {
    List<Ev> evs = new ArrayList<>();
    for (Clause.ReturnItem i : items) {
      evs.add(compiler.compile(i.expression(), in));
    }
    if (p.orderBy().isEmpty() && (!filtered || p.distinct())) {
      Op op = new Operators.Project(input, evs, new Scope(names), String.join(", ", names));
      return p.distinct() ? new Operators.Distinct(op, names.size()) : op;
    }
    if (p.distinct()) {
      Scope out = new Scope(names);
      Op op = new Operators.Project(input, evs, out, String.join(", ", names));
      op = new Operators.Distinct(op, names.size());
      return sort(op, out, items, names, p.orderBy());
    }
    // the input's variables, then the items (an alias shadows a variable of the same name)
    List<String> ext = new ArrayList<>(in.names());
    ext.addAll(names);
    List<Ev> all = new ArrayList<>();
    for (int s = 0; s < in.size(); s++) {
      int slot = s;
      all.add((row, ctx) -> row[slot]);
    }
    all.addAll(evs);
    Scope extScope = new Scope(ext);
    Op op = new Operators.Project(input, all, extScope, String.join(", ", names));
    return p.orderBy().isEmpty() ? op : sort(op, extScope, items, names, p.orderBy());
  }

  private Op sort(
      Op op,
      Scope scope,
      List<Clause.ReturnItem> items,
      List<String> names,
      List<Clause.SortItem> order) {
    List<Ev> keys = new ArrayList<>();
    List<Boolean> desc = new ArrayList<>();
    for (Clause.SortItem s : order) {
      Expr e = byItem(s.expression(), items, names);
      keys.add(compiler.compile(e, scope));
      desc.add(s.descending());
    }
    return new Operators.Sort(op, keys, desc, null);
  }

  /** Replaces sub-expressions equal to an item's expression by the item's name. */
  private static Expr byItem(Expr e, List<Clause.ReturnItem> items, List<String> names) {
    return Exprs.rewrite(
        e,
        x -> {
          for (int i = 0; i < items.size(); i++) {
            if (items.get(i).expression().equals(x) && !(x instanceof Expr.Literal)) {
              return new Expr.Var(names.get(i));
            }
          }
          return null;
        });
  }

  private Op aggregate(
      Op input, Scope in, List<Clause.ReturnItem> items, List<String> names, Clause.Projection p) {
    List<Ev> keyEvs = new ArrayList<>();
    List<String> groupNames = new ArrayList<>();
    List<Clause.ReturnItem> groupItems = new ArrayList<>();
    List<String> groupItemNames = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Clause.ReturnItem item = items.get(i);
      if (!Exprs.containsAggregate(item.expression())) {
        keyEvs.add(compiler.compile(item.expression(), in));
        String hidden = compiler.fresh("g");
        groupNames.add(hidden);
        groupItems.add(item);
        groupItemNames.add(hidden);
      }
    }
    List<Operators.AggSpec> specs = new ArrayList<>();
    List<String> aggNames = new ArrayList<>();
    List<Expr> aggExprs = new ArrayList<>();
    List<Expr> rewrittenItems = new ArrayList<>();
    for (Clause.ReturnItem item : items) {
      rewrittenItems.add(
          extract(item.expression(), in, groupItems, groupItemNames, specs, aggNames, aggExprs));
    }
    List<Expr> rewrittenOrder = new ArrayList<>();
    for (Clause.SortItem s : p.orderBy()) {
      Expr e = byItem(s.expression(), items, names);
      rewrittenOrder.add(e);
    }
    List<String> g = new ArrayList<>(groupNames);
    g.addAll(aggNames);
    Scope gScope = new Scope(g);
    Op op = new Operators.Aggregate(input, keyEvs, specs, gScope);
    List<Ev> itemEvs = new ArrayList<>();
    for (Expr e : rewrittenItems) {
      itemEvs.add(compileAggregated(e, gScope));
    }
    List<String> ext = new ArrayList<>(g);
    ext.addAll(names);
    List<Ev> all = new ArrayList<>();
    for (int s = 0; s < g.size(); s++) {
      int slot = s;
      all.add((row, ctx) -> row[slot]);
    }
    all.addAll(itemEvs);
    Scope extScope = new Scope(ext);
    op = new Operators.Project(op, all, extScope, String.join(", ", names));
    if (p.distinct()) {
      op = new Operators.Distinct(op, g.size(), names.size());
    }
    if (!rewrittenOrder.isEmpty()) {
      List<Ev> keys = new ArrayList<>();
      List<Boolean> desc = new ArrayList<>();
      for (int i = 0; i < rewrittenOrder.size(); i++) {
        Expr e = rewrittenOrder.get(i);
        if (Exprs.containsAggregate(e)) {
          e = extractOrderAggregate(e, aggExprs, aggNames);
        }
        keys.add(compileAggregated(e, extScope));
        desc.add(p.orderBy().get(i).descending());
      }
      op = new Operators.Sort(op, keys, desc, null);
    }
    return op;
  }

  /** ORDER BY aggregates must repeat one of the projection's aggregates. */
  private static Expr extractOrderAggregate(Expr e, List<Expr> aggExprs, List<String> aggNames) {
    return Exprs.rewrite(
        e,
        x -> {
          if (Compiler.isAggregate(x)) {
            int at = aggExprs.indexOf(x);
            if (at < 0) {
              throw CypherException.semantic(
                  "InvalidAggregation",
                  "ORDER BY can only use aggregates that the projection returns");
            }
            return new Expr.Var(aggNames.get(at));
          }
          return null;
        });
  }

  private Ev compileAggregated(Expr e, Scope scope) {
    try {
      return compiler.compile(e, scope);
    } catch (CypherException ex) {
      if ("UndefinedVariable".equals(ex.detail())) {
        throw CypherException.semantic(
            "AmbiguousAggregationExpression",
            "an expression mixing aggregates and other values may only use grouping keys. "
                + ex.getMessage());
      }
      throw ex;
    }
  }

  /**
   * Replaces each aggregate call in {@code e} by a hidden column (adding its spec), and each
   * sub-expression equal to a grouping item by that item's column.
   */
  private Expr extract(
      Expr e,
      Scope in,
      List<Clause.ReturnItem> groupItems,
      List<String> groupNames,
      List<Operators.AggSpec> specs,
      List<String> aggNames,
      List<Expr> aggExprs) {
    return Exprs.rewrite(
        e,
        x -> {
          for (int i = 0; i < groupItems.size(); i++) {
            if (groupItems.get(i).expression().equals(x)) {
              return new Expr.Var(groupNames.get(i));
            }
          }
          if (x instanceof Expr.CountStar) {
            return aggColumn(
                x, new Operators.AggSpec("count", null, null, false), specs, aggNames, aggExprs);
          }
          if (Compiler.isAggregate(x)) {
            Expr.Call c = (Expr.Call) x;
            String f = c.name().toLowerCase(Locale.ROOT);
            int want = f.startsWith("percentile") ? 2 : 1;
            if (c.args().size() != want) {
              throw CypherException.semantic(
                  "InvalidNumberOfArguments",
                  "wrong number of arguments. function="
                      + c.name()
                      + " arguments="
                      + c.args().size());
            }
            for (Expr a : c.args()) {
              if (Exprs.containsAggregate(a)) {
                throw CypherException.semantic(
                    "NestedAggregation", "an aggregate cannot contain another aggregate");
              }
            }
            Ev arg = compiler.compile(c.args().get(0), in);
            Ev extra = want == 2 ? compiler.compile(c.args().get(1), in) : null;
            return aggColumn(
                x, new Operators.AggSpec(f, arg, extra, c.distinct()), specs, aggNames, aggExprs);
          }
          return null;
        });
  }

  private Expr aggColumn(
      Expr x,
      Operators.AggSpec spec,
      List<Operators.AggSpec> specs,
      List<String> aggNames,
      List<Expr> aggExprs) {
    int at = aggExprs.indexOf(x);
    if (at >= 0) {
      return new Expr.Var(aggNames.get(at));
    }
    String name = compiler.fresh("agg");
    specs.add(spec);
    aggNames.add(name);
    aggExprs.add(x);
    return new Expr.Var(name);
  }

  /** SKIP/LIMIT: constant (no variables); literals are checked now. */
  private Ev constant(Expr e, String what) {
    if (e == null) {
      return null;
    }
    Set<String> free = new HashSet<>();
    if (!Exprs.freeVariables(e, free) || !free.isEmpty()) {
      throw CypherException.semantic("NonConstantExpression", what + " must not use variables");
    }
    if (e instanceof Expr.Literal l) {
      Object v = l.value();
      if (!(v instanceof Long)) {
        throw CypherException.semantic(
            "InvalidArgumentType", what + " must be an integer. value=" + v);
      }
      if ((Long) v < 0) {
        throw CypherException.semantic(
            "NegativeIntegerArgument", what + " must not be negative. value=" + v);
      }
    }
    return compiler.compile(e, Scope.empty());
  }
}
