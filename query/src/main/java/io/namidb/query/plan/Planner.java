package io.namidb.query.plan;

import io.namidb.query.CypherException;
import io.namidb.query.ast.Clause;
import io.namidb.query.ast.Expr;
import io.namidb.query.ast.Pattern;
import io.namidb.query.ast.Statement;
import io.namidb.query.eval.Compiler;
import io.namidb.query.eval.Ev;
import io.namidb.query.eval.PatternMatcher;
import io.namidb.query.eval.Scope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a parsed {@link Statement} into a tree of {@link Op}s: clause by clause, each clause's
 * operator on top of the previous one. Reads are lazy (a LIMIT stops the scan below it), writes
 * materialise their input first so that no clause sees a later clause's writes. See {@link
 * PatternMatcher} for how MATCH picks its start nodes (point lookup by key, index seek, label scan)
 * and {@link Projections} for WITH and RETURN.
 */
public final class Planner {
  private final Compiler compiler = new Compiler();

  /** A planned statement. */
  public record Plan(Op root, List<String> columns, boolean readOnly, Statement.Mode mode) {}

  /** Plans a statement. */
  public static Plan plan(Statement statement) {
    return new Planner().planStatement(statement);
  }

  private Plan planStatement(Statement st) {
    boolean readOnly = true;
    for (List<Clause> q : st.queries()) {
      readOnly &= isReadOnly(q);
    }
    List<Op> roots = new ArrayList<>();
    List<String> columns = null;
    for (List<Clause> q : st.queries()) {
      SingleQuery sq = planQuery(q);
      if (columns != null && !columns.equals(sq.columns)) {
        throw CypherException.semantic(
            "DifferentColumnsInUnion",
            "all queries of a UNION must return the same columns. columns="
                + columns
                + " other="
                + sq.columns);
      }
      columns = sq.columns;
      roots.add(sq.root);
    }
    Op root = roots.get(0);
    if (roots.size() > 1) {
      Set<Boolean> kinds = new HashSet<>(st.all());
      if (kinds.size() > 1) {
        throw CypherException.semantic(
            "InvalidClauseComposition", "UNION and UNION ALL cannot be mixed in one query");
      }
      root = new Operators.Union(roots, !st.all().get(0));
    }
    return new Plan(root, columns, readOnly, st.mode());
  }

  /** Whether the clauses write nothing. */
  static boolean isReadOnly(List<Clause> clauses) {
    for (Clause c : clauses) {
      if (c instanceof Clause.Create
          || c instanceof Clause.Merge
          || c instanceof Clause.Set
          || c instanceof Clause.Remove
          || c instanceof Clause.Delete) {
        return false;
      }
    }
    return true;
  }

  private record SingleQuery(Op root, List<String> columns) {}

  private SingleQuery planQuery(List<Clause> clauses) {
    PathCount count = PathCount.plan(clauses, compiler);
    if (count != null) {
      return new SingleQuery(count, count.scope().names());
    }
    Op op = new Operators.Start(Scope.empty());
    Scope scope = Scope.empty();
    List<String> columns = List.of();
    boolean updating = !isReadOnly(clauses);
    Writes writes = new Writes(compiler);
    for (int i = 0; i < clauses.size(); i++) {
      Clause c = clauses.get(i);
      boolean last = i == clauses.size() - 1;
      if (c instanceof Clause.Unsupported u) {
        throw CypherException.unsupported(u.construct(), "");
      }
      if (c instanceof Clause.Return r) {
        if (!last) {
          throw CypherException.semantic(
              "InvalidClauseComposition", "RETURN can only be the last clause of a query");
        }
        Projections.Result res = new Projections(compiler).plan(op, scope, r.projection(), true);
        op = res.op();
        scope = res.op().scope();
        columns = res.columns();
        continue;
      }
      if (c instanceof Clause.With w) {
        // WHERE sees the projected names and, unless DISTINCT or aggregation drop them, the
        // variables the WITH does not carry on (WITH c WHERE r IS NULL)
        Projections.Result res =
            new Projections(compiler).plan(op, scope, w.projection(), false, w.where());
        op = res.op();
        scope = op.scope();
        continue;
      }
      if (c instanceof Clause.Match m) {
        if (m.where() != null) {
          checkNoAggregate(m.where(), "WHERE");
        }
        for (Pattern.Part part : m.patterns()) {
          checkPatternVariables(part, scope);
        }
        PatternMatcher matcher =
            PatternMatcher.compile(m.patterns(), scope, compiler, hints(m.where(), scope));
        Ev where = m.where() == null ? null : compiler.predicate(m.where(), matcher.scope());
        op = new Operators.Match(op, matcher, where, m.optional());
        scope = matcher.scope();
        continue;
      }
      if (c instanceof Clause.Unwind u) {
        checkNoAggregate(u.list(), "UNWIND");
        Ev list = compiler.compile(u.list(), scope);
        if (scope.visible().contains(u.variable())) {
          throw CypherException.semantic(
              "VariableAlreadyBound", "variable already bound. variable=" + u.variable());
        }
        scope = scope.with(u.variable());
        compiler.bind(u.variable(), Compiler.Kind.UNKNOWN);
        op = new Operators.Unwind(op, list, scope);
        continue;
      }
      if (c instanceof Clause.Call call) {
        Procedures.Planned p = Procedures.plan(call, op, scope, compiler, last);
        op = p.op();
        scope = op.scope();
        if (last) {
          columns = p.columns();
        }
        continue;
      }
      // writes
      op = writes.plan(c, op, scope);
      scope = op.scope();
    }
    Clause lastClause = clauses.get(clauses.size() - 1);
    boolean endsWell =
        lastClause instanceof Clause.Return
            || (updating && !(lastClause instanceof Clause.With))
            || (lastClause instanceof Clause.Call && clauses.size() == 1);
    if (!endsWell) {
      throw CypherException.semantic(
          "InvalidClauseComposition",
          "a query must end with RETURN, or with a writing clause. last="
              + lastClause.getClass().getSimpleName().toUpperCase(Locale.ROOT));
    }
    if (!(lastClause instanceof Clause.Return) && !(lastClause instanceof Clause.Call)) {
      // a writing query without RETURN: run it, return no rows
      op = new Drain(op);
    }
    return new SingleQuery(op, columns);
  }

  /** Consumes every row of a writing query without RETURN and yields none. */
  static final class Drain extends Op {
    private final Op input;

    Drain(Op input) {
      super(Scope.empty(), List.of(input));
      this.input = input;
    }

    @Override
    public String describe() {
      return "Discard";
    }

    @Override
    protected java.util.Iterator<Object[]> rows(io.namidb.query.eval.Ctx ctx) {
      java.util.Iterator<Object[]> in = child(input, ctx);
      while (in.hasNext()) {
        in.next();
      }
      return java.util.Collections.emptyIterator();
    }
  }

  private static void checkPatternVariables(Pattern.Part part, Scope scope) {
    for (Pattern.RelPat r : part.rels()) {
      if (r.variable() != null && r.varLength() && scope.visible().contains(r.variable())) {
        throw CypherException.semantic(
            "VariableAlreadyBound",
            "a variable-length relationship cannot reuse a variable. variable=" + r.variable());
      }
    }
  }

  static void checkNoAggregate(Expr e, String where) {
    if (Exprs.containsAggregate(e)) {
      throw CypherException.semantic(
          "InvalidAggregation", "aggregation is not allowed in " + where);
    }
  }

  /**
   * Equalities of WHERE ({@code n.p = expr}, conjuncts only) whose value needs nothing the MATCH
   * binds: they may pick a cheaper start node.
   */
  private List<PatternMatcher.Equality> hints(Expr where, Scope in) {
    List<PatternMatcher.Equality> out = new ArrayList<>();
    if (where == null) {
      return out;
    }
    for (Expr c : Exprs.conjuncts(where)) {
      if (c instanceof Expr.Binary b && b.op() == Expr.BinaryOp.EQ) {
        addHint(out, b.left(), b.right(), in);
        addHint(out, b.right(), b.left(), in);
      }
    }
    return out;
  }

  private void addHint(List<PatternMatcher.Equality> out, Expr prop, Expr value, Scope in) {
    if (!(prop instanceof Expr.Property p) || !(p.target() instanceof Expr.Var v)) {
      return;
    }
    Set<String> free = new LinkedHashSet<>();
    if (!Exprs.freeVariables(value, free)) {
      return;
    }
    for (String f : free) {
      if (!in.has(f)) {
        return;
      }
    }
    if (Exprs.containsAggregate(value)) {
      return;
    }
    out.add(new PatternMatcher.Equality(v.name(), p.key(), compiler.compile(value, in)));
  }
}
