package io.namidb.query.eval;

import io.namidb.query.CypherException;
import io.namidb.query.ast.Expr;
import io.namidb.query.graph.NodeRef;
import io.namidb.query.graph.PathValue;
import io.namidb.query.graph.RelRef;
import io.namidb.query.graph.Tx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles expressions against a {@link Scope} into {@link Ev}s. Aggregate calls are not
 * expressions here: the planner replaces them by variables first, and one left over is an error
 * ({@code InvalidAggregation}).
 */
public final class Compiler {
  /** Aggregate function names (lower case). */
  public static final Set<String> AGGREGATES =
      Set.of(
          "count",
          "sum",
          "avg",
          "min",
          "max",
          "collect",
          "stdev",
          "stdevp",
          "percentilecont",
          "percentiledisc");

  private int fresh;

  /**
   * What a variable is known to hold, for compile-time conflicts ({@code VariableTypeConflict}).
   */
  public enum Kind {
    NODE,
    RELATIONSHIP,
    RELATIONSHIP_LIST,
    PATH,
    VALUE,
    UNKNOWN
  }

  private final java.util.Map<String, Kind> kinds = new java.util.HashMap<>();

  /** Records what a variable holds from here on. */
  public void bind(String variable, Kind kind) {
    kinds.put(variable, kind);
  }

  /** What a variable holds, as far as the planner knows. */
  public Kind kind(String variable) {
    return kinds.getOrDefault(variable, Kind.UNKNOWN);
  }

  /** What an expression yields, as far as the planner knows. */
  public Kind kindOf(Expr e) {
    if (e instanceof Expr.Var v) {
      return kind(v.name());
    }
    if ((e instanceof Expr.Literal l && l.value() != null)
        || e instanceof Expr.ListLit
        || e instanceof Expr.MapLit
        || e instanceof Expr.Binary
        || e instanceof Expr.Unary
        || e instanceof Expr.IsNull
        || e instanceof Expr.HasLabels) {
      return Kind.VALUE;
    }
    return Kind.UNKNOWN;
  }

  /** Refuses a variable bound to something else than {@code wanted} (unknown is allowed). */
  public void expectKind(String variable, Kind wanted) {
    Kind k = kind(variable);
    if (k != Kind.UNKNOWN && k != wanted) {
      throw CypherException.semantic(
          "VariableTypeConflict",
          "variable is a "
              + k.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
              + ", used as a "
              + wanted.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
              + ". variable="
              + variable);
    }
  }

  /** A hidden variable name, unique within this compiler. */
  public String fresh(String prefix) {
    return " " + prefix + fresh++;
  }

  /** Whether {@code e} is an aggregate call. */
  public static boolean isAggregate(Expr e) {
    return e instanceof Expr.CountStar
        || (e instanceof Expr.Call c && AGGREGATES.contains(c.name().toLowerCase(Locale.ROOT)));
  }

  public Ev compile(Expr e, Scope scope) {
    if (e instanceof Expr.Literal l) {
      Object v = l.value();
      return (row, ctx) -> v;
    }
    if (e instanceof Expr.Param p) {
      String name = p.name();
      return (row, ctx) -> ctx.param(name);
    }
    if (e instanceof Expr.Var v) {
      int slot = scope.slot(v.name());
      return (row, ctx) -> row[slot];
    }
    if (e instanceof Expr.Property p) {
      Ev target = compile(p.target(), scope);
      String key = p.key();
      return (row, ctx) -> property(target.eval(row, ctx), key, ctx);
    }
    if (e instanceof Expr.Subscript s) {
      Ev target = compile(s.target(), scope);
      Ev index = compile(s.index(), scope);
      return (row, ctx) -> subscript(target.eval(row, ctx), index.eval(row, ctx), ctx);
    }
    if (e instanceof Expr.Slice s) {
      Ev target = compile(s.target(), scope);
      Ev from = s.from() == null ? null : compile(s.from(), scope);
      Ev to = s.to() == null ? null : compile(s.to(), scope);
      return (row, ctx) -> slice(target.eval(row, ctx), from, to, row, ctx);
    }
    if (e instanceof Expr.ListLit l) {
      List<Ev> items = compileAll(l.items(), scope);
      return (row, ctx) -> {
        List<Object> out = new ArrayList<>(items.size());
        for (Ev i : items) {
          out.add(i.eval(row, ctx));
        }
        return out;
      };
    }
    if (e instanceof Expr.MapLit m) {
      List<String> keys = m.keys();
      List<Ev> values = compileAll(m.values(), scope);
      return (row, ctx) -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
          out.put(keys.get(i), values.get(i).eval(row, ctx));
        }
        return out;
      };
    }
    if (e instanceof Expr.Unary u) {
      if (u.op() == Expr.UnaryOp.NOT) {
        checkBoolean(u.operand(), "NOT");
      }
      Ev operand = compile(u.operand(), scope);
      return switch (u.op()) {
        case NOT ->
            (row, ctx) -> {
              Boolean b = Values.truth(operand.eval(row, ctx), "NOT");
              return b == null ? null : !b;
            };
        case MINUS -> (row, ctx) -> Arithmetic.negate(operand.eval(row, ctx));
        case PLUS -> (row, ctx) -> Arithmetic.plus(operand.eval(row, ctx));
      };
    }
    if (e instanceof Expr.Binary b) {
      return binary(b, scope);
    }
    if (e instanceof Expr.IsNull n) {
      Ev operand = compile(n.operand(), scope);
      boolean negated = n.negated();
      return (row, ctx) -> (operand.eval(row, ctx) == null) != negated;
    }
    if (e instanceof Expr.HasLabels h) {
      Ev target = compile(h.target(), scope);
      List<String> labels = h.labels();
      return (row, ctx) -> {
        Object t = target.eval(row, ctx);
        if (t == null) {
          return null;
        }
        if (t instanceof NodeRef n) {
          return Tx.labels(n).containsAll(labels);
        }
        if (t instanceof RelRef r) {
          return labels.size() == 1 && labels.get(0).equals(r.key().type());
        }
        throw CypherException.typeError("a label check needs a node, got " + Values.typeName(t));
      };
    }
    if (e instanceof Expr.CountStar || isAggregate(e)) {
      throw CypherException.semantic(
          "InvalidAggregation", "aggregation is not allowed here. expression=" + describe(e));
    }
    if (e instanceof Expr.Call c) {
      return call(c, scope);
    }
    if (e instanceof Expr.Case c) {
      return caseExpr(c, scope);
    }
    if (e instanceof Expr.ListComprehension lc) {
      return comprehension(lc, scope);
    }
    if (e instanceof Expr.Quantified q) {
      return quantified(q, scope);
    }
    if (e instanceof Expr.Reduce r) {
      return reduce(r, scope);
    }
    if (e instanceof Expr.MapProjection mp) {
      return mapProjection(mp, scope);
    }
    if (e instanceof Expr.PatternPredicate pp) {
      checkNoNewVariables(pp.pattern(), scope);
      PatternMatcher m = PatternMatcher.compile(List.of(pp.pattern()), scope, this, List.of());
      return (row, ctx) -> m.exists(row, ctx);
    }
    if (e instanceof Expr.PatternComprehension pc) {
      return patternComprehension(pc, scope);
    }
    if (e instanceof Expr.Unsupported u) {
      throw CypherException.unsupported(u.construct(), "");
    }
    throw CypherException.unsupported(e.getClass().getSimpleName(), "");
  }

  /**
   * A pattern used as a predicate only asks whether its bound variables are connected: a name it
   * would introduce could never be used, so it is refused, as in Neo4j.
   */
  private static void checkNoNewVariables(io.namidb.query.ast.Pattern.Part pattern, Scope scope) {
    List<String> named = new ArrayList<>();
    pattern.nodes().forEach(n -> named.add(n.variable()));
    pattern.rels().forEach(r -> named.add(r.variable()));
    for (String v : named) {
      if (v != null && !scope.has(v)) {
        throw CypherException.semantic(
            "UndefinedVariable",
            "a pattern used as a predicate cannot introduce a variable; bind it in MATCH, or leave"
                + " it unnamed. variable="
                + v);
      }
    }
  }

  public List<Ev> compileAll(List<Expr> es, Scope scope) {
    List<Ev> out = new ArrayList<>(es.size());
    for (Expr x : es) {
      out.add(compile(x, scope));
    }
    return out;
  }

  /** A predicate: TRUE keeps the row, FALSE and null drop it. */
  public Ev predicate(Expr e, Scope scope) {
    checkBoolean(e, "WHERE");
    Ev ev = compile(e, scope);
    return (row, ctx) -> Values.truth(ev.eval(row, ctx), "WHERE");
  }

  // ---- operators

  /**
   * A literal operand that cannot be a boolean is refused before the query runs, as openCypher asks
   * ({@code SyntaxError: InvalidArgumentType}); other operands are checked at run time.
   */
  static void checkBoolean(Expr operand, String operator) {
    boolean wrong =
        (operand instanceof Expr.Literal l && l.value() != null && !(l.value() instanceof Boolean))
            || operand instanceof Expr.ListLit
            || operand instanceof Expr.MapLit;
    if (wrong) {
      throw CypherException.semantic(
          "InvalidArgumentType",
          operator + " expects a boolean operand, got a literal of another type");
    }
  }

  private Ev binary(Expr.Binary b, Scope scope) {
    switch (b.op()) {
      case AND, OR, XOR -> {
        checkBoolean(b.left(), b.op().name());
        checkBoolean(b.right(), b.op().name());
      }
      default -> {}
    }
    Ev l = compile(b.left(), scope);
    Ev r = compile(b.right(), scope);
    switch (b.op()) {
      case AND:
        return (row, ctx) -> {
          Boolean x = Values.truth(l.eval(row, ctx), "AND");
          if (Boolean.FALSE.equals(x)) {
            Values.truth(r.eval(row, ctx), "AND");
            return false;
          }
          Boolean y = Values.truth(r.eval(row, ctx), "AND");
          if (Boolean.FALSE.equals(y)) {
            return false;
          }
          return x == null || y == null ? null : true;
        };
      case OR:
        return (row, ctx) -> {
          Boolean x = Values.truth(l.eval(row, ctx), "OR");
          Boolean y = Values.truth(r.eval(row, ctx), "OR");
          if (Boolean.TRUE.equals(x) || Boolean.TRUE.equals(y)) {
            return true;
          }
          return x == null || y == null ? null : false;
        };
      case XOR:
        return (row, ctx) -> {
          Boolean x = Values.truth(l.eval(row, ctx), "XOR");
          Boolean y = Values.truth(r.eval(row, ctx), "XOR");
          return x == null || y == null ? null : x ^ y;
        };
      case EQ:
        return (row, ctx) -> Values.equal(l.eval(row, ctx), r.eval(row, ctx));
      case NEQ:
        return (row, ctx) -> {
          Boolean eq = Values.equal(l.eval(row, ctx), r.eval(row, ctx));
          return eq == null ? null : !eq;
        };
      case LT:
        return (row, ctx) -> cmp(l.eval(row, ctx), r.eval(row, ctx), c -> c < 0);
      case GT:
        return (row, ctx) -> cmp(l.eval(row, ctx), r.eval(row, ctx), c -> c > 0);
      case LE:
        return (row, ctx) -> cmp(l.eval(row, ctx), r.eval(row, ctx), c -> c <= 0);
      case GE:
        return (row, ctx) -> cmp(l.eval(row, ctx), r.eval(row, ctx), c -> c >= 0);
      case ADD:
        return (row, ctx) -> Arithmetic.add(l.eval(row, ctx), r.eval(row, ctx));
      case SUB:
        return (row, ctx) -> Arithmetic.sub(l.eval(row, ctx), r.eval(row, ctx));
      case MUL:
        return (row, ctx) -> Arithmetic.mul(l.eval(row, ctx), r.eval(row, ctx));
      case DIV:
        return (row, ctx) -> Arithmetic.div(l.eval(row, ctx), r.eval(row, ctx));
      case MOD:
        return (row, ctx) -> Arithmetic.mod(l.eval(row, ctx), r.eval(row, ctx));
      case POW:
        return (row, ctx) -> Arithmetic.pow(l.eval(row, ctx), r.eval(row, ctx));
      case IN:
        return (row, ctx) -> in(l.eval(row, ctx), r.eval(row, ctx));
      case STARTS_WITH:
        return (row, ctx) -> strings(l.eval(row, ctx), r.eval(row, ctx), (x, y) -> x.startsWith(y));
      case ENDS_WITH:
        return (row, ctx) -> strings(l.eval(row, ctx), r.eval(row, ctx), (x, y) -> x.endsWith(y));
      case CONTAINS:
        return (row, ctx) -> strings(l.eval(row, ctx), r.eval(row, ctx), (x, y) -> x.contains(y));
      case REGEX:
        {
          Pattern constant =
              b.right() instanceof Expr.Literal lit && lit.value() instanceof String s
                  ? regex(s)
                  : null;
          return (row, ctx) -> {
            Object x = l.eval(row, ctx);
            Object y = r.eval(row, ctx);
            if (!(x instanceof String xs) || !(y instanceof String ys)) {
              return null;
            }
            return (constant != null ? constant : regex(ys)).matcher(xs).matches();
          };
        }
      default:
        throw CypherException.unsupported(b.op().name(), "");
    }
  }

  private static Pattern regex(String s) {
    try {
      return Pattern.compile(s);
    } catch (PatternSyntaxException ex) {
      throw CypherException.runtime(
          "ArgumentError", "InvalidArgumentValue", "invalid regular expression. regex=" + s);
    }
  }

  private static Boolean cmp(Object a, Object b, java.util.function.IntPredicate test) {
    if ((a instanceof Double x && x.isNaN() && Values.isNumber(b))
        || (b instanceof Double y && y.isNaN() && Values.isNumber(a))) {
      return false; // NaN is neither smaller nor larger than any number
    }
    Integer c = Values.compare(a, b);
    return c == null ? null : test.test(c);
  }

  private static Boolean strings(
      Object a, Object b, java.util.function.BiPredicate<String, String> test) {
    if (a instanceof String x && b instanceof String y) {
      return test.test(x, y);
    }
    return null;
  }

  static Boolean in(Object v, Object list) {
    if (list == null) {
      return null;
    }
    if (!(list instanceof List<?> l)) {
      throw CypherException.typeError("IN expects a list, got " + Values.typeName(list));
    }
    boolean unknown = false;
    for (Object o : l) {
      Boolean eq = Values.equal(v, o);
      if (Boolean.TRUE.equals(eq)) {
        return true;
      }
      if (eq == null) {
        unknown = true;
      }
    }
    return unknown ? null : false;
  }

  // ---- access

  static Object property(Object target, String key, Ctx ctx) {
    if (target == null) {
      return null;
    }
    if (target instanceof NodeRef n) {
      return Values.fromStored(PatternMatcher.Access_.prop(n, key, ctx));
    }
    if (target instanceof RelRef r) {
      return Values.fromStored(ctx.tx().props(r).get(key));
    }
    if (target instanceof Map<?, ?> m) {
      return m.get(key);
    }
    if (Temporals.isTemporal(target)) {
      return Temporals.component(target, key);
    }
    throw CypherException.runtime(
        "TypeError",
        "PropertyAccessOnNonMap",
        "property access needs a node, relationship or map, got "
            + Values.typeName(target)
            + ". property="
            + key);
  }

  static Object subscript(Object target, Object index, Ctx ctx) {
    if (target == null || index == null) {
      return null;
    }
    if (target instanceof List<?> l) {
      if (!(index instanceof Long i)) {
        throw CypherException.runtime(
            "TypeError",
            "ListElementAccessByNonInteger",
            "a list index must be an integer, got " + Values.typeName(index));
      }
      long at = i < 0 ? l.size() + i : i;
      return at < 0 || at >= l.size() ? null : l.get((int) at);
    }
    if (target instanceof Map<?, ?> || target instanceof NodeRef || target instanceof RelRef) {
      if (!(index instanceof String k)) {
        throw CypherException.runtime(
            "TypeError",
            "MapElementAccessByNonString",
            "a map key must be a string, got " + Values.typeName(index));
      }
      return property(target, k, ctx);
    }
    throw CypherException.runtime(
        "TypeError",
        "InvalidElementAccess",
        "subscript needs a list or map, got " + Values.typeName(target));
  }

  private static Object slice(Object target, Ev from, Ev to, Object[] row, Ctx ctx) {
    if (target == null) {
      return null;
    }
    if (!(target instanceof List<?> l)) {
      throw CypherException.typeError("a slice needs a list, got " + Values.typeName(target));
    }
    Object f = from == null ? 0L : from.eval(row, ctx);
    Object t = to == null ? (long) l.size() : to.eval(row, ctx);
    if (f == null || t == null) {
      return null;
    }
    if (!(f instanceof Long fl) || !(t instanceof Long tl)) {
      throw CypherException.typeError("slice bounds must be integers");
    }
    int n = l.size();
    long a = fl < 0 ? Math.max(0, n + fl) : Math.min(n, fl);
    long b = tl < 0 ? Math.max(0, n + tl) : Math.min(n, tl);
    if (b <= a) {
      return new ArrayList<>();
    }
    return new ArrayList<Object>(l.subList((int) a, (int) b));
  }

  // ---- calls and special forms

  private Ev call(Expr.Call c, Scope scope) {
    String name = c.name().toLowerCase(Locale.ROOT);
    Functions.checkArity(name, c.args().size());
    List<Ev> args = compileAll(c.args(), scope);
    if (name.equals("exists")) {
      Expr arg = c.args().get(0);
      if (!(arg instanceof Expr.Property) && !(arg instanceof Expr.PatternPredicate)) {
        throw CypherException.semantic(
            "InvalidArgumentExpression", "exists() needs a property or a pattern");
      }
    }
    return (row, ctx) -> {
      List<Object> values = new ArrayList<>(args.size());
      for (Ev a : args) {
        values.add(a.eval(row, ctx));
      }
      return Functions.call(name, values, ctx);
    };
  }

  private Ev caseExpr(Expr.Case c, Scope scope) {
    Ev test = c.test() == null ? null : compile(c.test(), scope);
    List<Ev> whens = compileAll(c.whens(), scope);
    List<Ev> thens = compileAll(c.thens(), scope);
    Ev otherwise = c.otherwise() == null ? null : compile(c.otherwise(), scope);
    return (row, ctx) -> {
      Object t = test == null ? null : test.eval(row, ctx);
      for (int i = 0; i < whens.size(); i++) {
        Object w = whens.get(i).eval(row, ctx);
        boolean hit =
            test == null
                ? Boolean.TRUE.equals(Values.truth(w, "CASE WHEN"))
                : Boolean.TRUE.equals(Values.equal(t, w));
        if (hit) {
          return thens.get(i).eval(row, ctx);
        }
      }
      return otherwise == null ? null : otherwise.eval(row, ctx);
    };
  }

  private Ev comprehension(Expr.ListComprehension lc, Scope scope) {
    Ev list = compile(lc.list(), scope);
    Scope inner = scope.with(lc.variable());
    int slot = inner.size() - 1;
    Ev where = lc.where() == null ? null : predicate(lc.where(), inner);
    Ev projection = lc.projection() == null ? null : compile(lc.projection(), inner);
    int size = inner.size();
    return (row, ctx) -> {
      List<?> l = asList(list.eval(row, ctx), "list comprehension");
      if (l == null) {
        return null;
      }
      List<Object> out = new ArrayList<>();
      Object[] r = Scope.widen(row, size);
      for (Object x : l) {
        ctx.tick();
        r[slot] = x;
        if (where != null && !Boolean.TRUE.equals(where.eval(r, ctx))) {
          continue;
        }
        out.add(projection == null ? x : projection.eval(r, ctx));
      }
      return out;
    };
  }

  private Ev quantified(Expr.Quantified q, Scope scope) {
    Ev list = compile(q.list(), scope);
    Scope inner = scope.with(q.variable());
    int slot = inner.size() - 1;
    Ev where = q.where() == null ? (row, ctx) -> row[slot] : predicate(q.where(), inner);
    int size = inner.size();
    Expr.Quantifier kind = q.quantifier();
    return (row, ctx) -> {
      List<?> l = asList(list.eval(row, ctx), kind.name().toLowerCase(Locale.ROOT) + "()");
      if (l == null) {
        return null;
      }
      Object[] r = Scope.widen(row, size);
      int trues = 0;
      int nulls = 0;
      for (Object x : l) {
        r[slot] = x;
        Boolean b = Values.truth(where.eval(r, ctx), "WHERE");
        if (b == null) {
          nulls++;
        } else if (b) {
          trues++;
        }
      }
      int falses = l.size() - trues - nulls;
      return switch (kind) {
        case ALL -> falses > 0 ? Boolean.FALSE : nulls > 0 ? null : Boolean.TRUE;
        case ANY -> trues > 0 ? Boolean.TRUE : nulls > 0 ? null : Boolean.FALSE;
        case NONE -> trues > 0 ? Boolean.FALSE : nulls > 0 ? null : Boolean.TRUE;
        case SINGLE -> trues > 1 ? Boolean.FALSE : nulls > 0 ? null : (Boolean) (trues == 1);
      };
    };
  }

  private Ev reduce(Expr.Reduce r, Scope scope) {
    Ev init = compile(r.init(), scope);
    Ev list = compile(r.list(), scope);
    Scope inner = scope.with(r.accumulator()).with(r.variable());
    int acc = inner.size() - 2;
    int var = inner.size() - 1;
    Ev body = compile(r.expression(), inner);
    int size = inner.size();
    return (row, ctx) -> {
      List<?> l = asList(list.eval(row, ctx), "reduce()");
      if (l == null) {
        return null;
      }
      Object[] x = Scope.widen(row, size);
      x[acc] = init.eval(row, ctx);
      for (Object v : l) {
        x[var] = v;
        x[acc] = body.eval(x, ctx);
      }
      return x[acc];
    };
  }

  private Ev mapProjection(Expr.MapProjection mp, Scope scope) {
    int slot = scope.slot(mp.variable());
    List<Expr.MapProjectionItem> items = mp.items();
    List<Ev> values = new ArrayList<>();
    for (Expr.MapProjectionItem i : items) {
      values.add(i.value() == null ? null : compile(i.value(), scope));
    }
    return (row, ctx) -> {
      Object target = row[slot];
      if (target == null) {
        return null;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < items.size(); i++) {
        Expr.MapProjectionItem item = items.get(i);
        if (item.allProperties()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> all =
              (Map<String, Object>) Functions.call("properties", List.of(target), ctx);
          out.putAll(all);
        } else if (values.get(i) == null) {
          out.put(item.key(), property(target, item.key(), ctx));
        } else {
          out.put(item.key(), values.get(i).eval(row, ctx));
        }
      }
      return out;
    };
  }

  private Ev patternComprehension(Expr.PatternComprehension pc, Scope scope) {
    Expr.PatternComprehension c = pc;
    var part =
        c.pathVariable() == null
            ? c.pattern()
            : new io.namidb.query.ast.Pattern.Part(
                c.pathVariable(), c.pattern().nodes(), c.pattern().rels(), null);
    PatternMatcher m = PatternMatcher.compile(List.of(part), scope, this, List.of());
    Ev where = c.where() == null ? null : predicate(c.where(), m.scope());
    Ev projection = compile(c.projection(), m.scope());
    return (row, ctx) -> {
      List<Object> out = new ArrayList<>();
      var it = m.match(row, ctx);
      while (it.hasNext()) {
        Object[] r = it.next();
        if (where != null && !Boolean.TRUE.equals(where.eval(r, ctx))) {
          continue;
        }
        out.add(projection.eval(r, ctx));
      }
      return out;
    };
  }

  private static List<?> asList(Object v, String what) {
    if (v == null) {
      return null;
    }
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof PathValue p) {
      return p.elements();
    }
    throw CypherException.typeError(what + " expects a list, got " + Values.typeName(v));
  }

  /** A short description of an expression for messages. */
  public static String describe(Expr e) {
    if (e instanceof Expr.CountStar) {
      return "count(*)";
    }
    if (e instanceof Expr.Call c) {
      return c.name() + "(...)";
    }
    if (e instanceof Expr.Var v) {
      return v.name();
    }
    return e.getClass().getSimpleName();
  }
}
