package io.namidb.query.parse;

import io.namidb.query.CypherException;
import io.namidb.query.ast.Clause;
import io.namidb.query.ast.Expr;
import io.namidb.query.ast.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neo4j.cypher.internal.ast.factory.ASTFactory;

/**
 * Builds NamiDB's AST from the calls of the JavaCC Cypher parser. The parser calls its factory
 * interface by method name; {@link CypherParser} routes each call to the method of the same name
 * and argument count here. A construct the parser knows but this class has no method for becomes a
 * 400 {@code unsupported} naming the factory method. Generic factory types are all {@code Object}
 * here; the intermediate records below carry what a later call needs.
 */
@SuppressWarnings({"unused", "unchecked"})
final class AstBuilder {
  private final String text;

  AstBuilder(String text) {
    this.text = text;
  }

  /** An input position. */
  record Pos(int offset, int line, int column) {}

  /** {@code a:B:C} (conjunction) or {@code :A|B} (disjunction) of names. */
  record Labels(List<String> names, boolean disjunction) {}

  record Where(Expr expr) {}

  record Items(boolean star, List<Clause.ReturnItem> items) {}

  record Path(List<Object> atoms) {}

  record Length(Integer min, Integer max) {}

  record Query(List<List<Clause>> queries, List<Boolean> all) {}

  record Order(Expr expr, boolean descending) {}

  record YieldItem(String field, Expr.Var variable) {}

  private static CypherException unsupported(String what) {
    return CypherException.unsupported(what, "");
  }

  // ---- positions and entity types

  public Object inputPosition(int offset, int line, int column) {
    return new Pos(offset, line, column);
  }

  public Object nodeType() {
    return "node";
  }

  public Object relationshipType() {
    return "relationship";
  }

  public Object nodeOrRelationshipType() {
    return "any";
  }

  public void addDeprecatedIdentifierUnicodeNotification(Object p, Object c, Object id) {}

  // ---- statements and queries

  public Object statements(List<Object> statements) {
    if (statements.size() != 1) {
      throw CypherException.semantic(
          "InvalidSyntax", "expected exactly one statement. statements=" + statements.size());
    }
    return statements.get(0);
  }

  public Object newSingleQuery(Object p, List<Object> clauses) {
    return newSingleQuery(clauses);
  }

  public Object newSingleQuery(List<Object> clauses) {
    List<Clause> cs = new ArrayList<>();
    for (Object c : clauses) {
      cs.add((Clause) c);
    }
    List<List<Clause>> q = new ArrayList<>();
    q.add(cs);
    return new Query(q, new ArrayList<>());
  }

  public Object newUnion(Object p, Object lhs, Object rhs, boolean all) {
    Query l = (Query) lhs;
    Query r = (Query) rhs;
    List<List<Clause>> qs = new ArrayList<>(l.queries());
    qs.addAll(r.queries());
    List<Boolean> alls = new ArrayList<>(l.all());
    alls.add(all);
    alls.addAll(r.all());
    return new Query(qs, alls);
  }

  public Object newFinishClause(Object p) {
    return new Clause.Unsupported("FINISH");
  }

  // ---- RETURN, WITH, ORDER BY

  public Object newReturnClause(
      Object p,
      boolean distinct,
      Object items,
      List<Object> order,
      Object orderPos,
      Object skip,
      Object skipPos,
      Object limit,
      Object limitPos) {
    return new Clause.Return(projection(distinct, (Items) items, order, skip, limit));
  }

  private static Clause.Projection projection(
      boolean distinct, Items items, List<Object> order, Object skip, Object limit) {
    List<Clause.SortItem> sort = new ArrayList<>();
    if (order != null) {
      for (Object o : order) {
        Order x = (Order) o;
        sort.add(new Clause.SortItem(x.expr(), x.descending()));
      }
    }
    return new Clause.Projection(
        distinct, items.star(), items.items(), sort, (Expr) skip, (Expr) limit);
  }

  public Object newReturnItems(Object p, boolean star, List<Object> items) {
    List<Clause.ReturnItem> out = new ArrayList<>();
    if (items != null) {
      for (Object i : items) {
        out.add((Clause.ReturnItem) i);
      }
    }
    return new Items(star, out);
  }

  public Object newReturnItem(Object p, Object e, Object v) {
    Expr.Var alias = (Expr.Var) v;
    return new Clause.ReturnItem((Expr) e, alias.name(), alias.name());
  }

  public Object newReturnItem(Object p, Object e, int start, int end) {
    String t = text.substring(start, Math.min(text.length(), end + 1));
    return new Clause.ReturnItem((Expr) e, null, t);
  }

  public Object orderDesc(Object p, Object e) {
    return new Order((Expr) e, true);
  }

  public Object orderAsc(Object p, Object e) {
    return new Order((Expr) e, false);
  }

  public Object whereClause(Object p, Object e) {
    return new Where((Expr) e);
  }

  private static Expr where(Object w) {
    return w == null ? null : ((Where) w).expr();
  }

  public Object withClause(Object p, Object ret, Object where) {
    return new Clause.With(((Clause.Return) ret).projection(), where(where));
  }

  public Object orderBySkipLimitClause(
      Object p, List<Object> o, Object op, Object s, Object sp, Object l, Object lp) {
    return new Clause.Unsupported("ORDER BY / SKIP / LIMIT as a clause of its own");
  }

  // ---- reading clauses

  public Object matchClause(
      Object p,
      boolean optional,
      Object mode,
      List<Object> patterns,
      Object patternPos,
      List<Object> hints,
      Object where) {
    if ("REPEATABLE ELEMENTS".equals(mode)) {
      return new Clause.Unsupported("REPEATABLE ELEMENTS");
    }
    return new Clause.Match(optional, parts(patterns), where(where));
  }

  public Object repeatableElements(Object p) {
    return "REPEATABLE ELEMENTS";
  }

  public Object differentRelationships(Object p) {
    return "DIFFERENT RELATIONSHIPS";
  }

  public Object usingScan(Object p, Object v, String label) {
    return "hint";
  }

  public Object usingJoin(Object p, List<Object> vars) {
    return "hint";
  }

  public Object unwindClause(Object p, Object e, Object v) {
    return new Clause.Unwind((Expr) e, ((Expr.Var) v).name());
  }

  public Object callClause(
      Object p,
      Object nsPos,
      Object namePos,
      Object resultPos,
      List<String> namespace,
      String name,
      List<Object> args,
      boolean yieldAll,
      List<Object> items,
      Object where,
      boolean optional) {
    if (optional) {
      return new Clause.Unsupported("OPTIONAL CALL");
    }
    String full = namespace.isEmpty() ? name : String.join(".", namespace) + "." + name;
    List<Expr> as = new ArrayList<>();
    if (args != null) {
      for (Object a : args) {
        as.add((Expr) a);
      }
    }
    List<Clause.YieldItem> yields = null;
    if (items != null) {
      yields = new ArrayList<>();
      for (Object i : items) {
        YieldItem y = (YieldItem) i;
        yields.add(new Clause.YieldItem(y.field(), y.variable().name()));
      }
    }
    return new Clause.Call(full, args == null ? null : as, yields, yieldAll, where(where));
  }

  public Object callResultItem(Object p, String name, Object v) {
    return new YieldItem(name, v == null ? new Expr.Var(name) : (Expr.Var) v);
  }

  // ---- writing clauses

  public Object createClause(Object p, List<Object> patterns) {
    return new Clause.Create(parts(patterns));
  }

  public Object setClause(Object p, List<Object> items) {
    List<Clause.SetItem> out = new ArrayList<>();
    for (Object i : items) {
      out.add((Clause.SetItem) i);
    }
    return new Clause.Set(out);
  }

  public Object setProperty(Object property, Object value) {
    Expr.Property prop = (Expr.Property) property;
    return new Clause.SetProperty(prop.target(), prop.key(), (Expr) value);
  }

  public Object setDynamicProperty(Object property, Object value) {
    throw unsupported("SET of a dynamic property");
  }

  public Object setVariable(Object v, Object value) {
    return new Clause.SetAll(((Expr.Var) v).name(), (Expr) value, false);
  }

  public Object addAndSetVariable(Object v, Object value) {
    return new Clause.SetAll(((Expr.Var) v).name(), (Expr) value, true);
  }

  public Object setLabels(Object v, List<Object> labels, List<Object> dynamic, boolean is) {
    if (dynamic != null && !dynamic.isEmpty()) {
      throw unsupported("dynamic labels");
    }
    return new Clause.SetLabels(((Expr.Var) v).name(), names(labels));
  }

  public Object removeClause(Object p, List<Object> items) {
    List<Clause.RemoveItem> out = new ArrayList<>();
    for (Object i : items) {
      out.add((Clause.RemoveItem) i);
    }
    return new Clause.Remove(out);
  }

  public Object removeProperty(Object property) {
    Expr.Property prop = (Expr.Property) property;
    return new Clause.RemoveProperty(prop.target(), prop.key());
  }

  public Object removeDynamicProperty(Object property) {
    throw unsupported("REMOVE of a dynamic property");
  }

  public Object removeLabels(Object v, List<Object> labels, List<Object> dynamic, boolean is) {
    if (dynamic != null && !dynamic.isEmpty()) {
      throw unsupported("dynamic labels");
    }
    return new Clause.RemoveLabels(((Expr.Var) v).name(), names(labels));
  }

  private static List<String> names(List<Object> stringPos) {
    List<String> out = new ArrayList<>();
    if (stringPos != null) {
      for (Object o : stringPos) {
        out.add(((ASTFactory.StringPos<?>) o).string);
      }
    }
    return out;
  }

  public Object deleteClause(Object p, boolean detach, List<Object> exprs) {
    List<Expr> es = new ArrayList<>();
    for (Object e : exprs) {
      es.add((Expr) e);
    }
    return new Clause.Delete(detach, es);
  }

  public Object mergeClause(
      Object p, Object pattern, List<Object> sets, List<Object> types, List<Object> positions) {
    List<Clause.SetItem> onCreate = new ArrayList<>();
    List<Clause.SetItem> onMatch = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      Clause.Set s = (Clause.Set) sets.get(i);
      if (types.get(i) == ASTFactory.MergeActionType.OnCreate) {
        onCreate.addAll(s.items());
      } else {
        onMatch.addAll(s.items());
      }
    }
    return new Clause.Merge(part(pattern), onCreate, onMatch);
  }

  public Object foreachClause(Object p, Object v, Object list, List<Object> clauses) {
    return new Clause.Unsupported("FOREACH");
  }

  public Object subqueryClause(
      Object p, Object q, Object tx, boolean all, boolean scope, List<Object> vars, boolean opt) {
    return new Clause.Unsupported("CALL { subquery }");
  }

  public Object loadCsvClause(Object p, boolean headers, Object source, Object v, String sep) {
    return new Clause.Unsupported("LOAD CSV");
  }

  public Object insertClause(Object p, List<Object> patterns) {
    return new Clause.Unsupported("INSERT");
  }

  // ---- patterns

  private static List<Pattern.Part> parts(List<Object> patterns) {
    List<Pattern.Part> out = new ArrayList<>();
    for (Object o : patterns) {
      out.add(part(o));
    }
    return out;
  }

  private static Pattern.Part part(Object o) {
    if (o instanceof Pattern.Part p) {
      return p;
    }
    throw unsupported("this pattern form");
  }

  public Object pathPattern(Object element) {
    return toPart(null, (Path) element, null);
  }

  public Object namedPattern(Object v, Object pattern) {
    Pattern.Part p = part(pattern);
    return new Pattern.Part(((Expr.Var) v).name(), p.nodes(), p.rels(), p.shortest());
  }

  public Object shortestPathPattern(Object p, Object element) {
    return toPart(null, (Path) element, "shortestPath");
  }

  public Object allShortestPathsPattern(Object p, Object element) {
    return toPart(null, (Path) element, "allShortestPaths");
  }

  public Object patternElement(List<Object> atoms) {
    return new Path(atoms);
  }

  private static Pattern.Part toPart(String name, Path path, String shortest) {
    List<Pattern.NodePat> nodes = new ArrayList<>();
    List<Pattern.RelPat> rels = new ArrayList<>();
    for (Object a : path.atoms()) {
      if (a instanceof Pattern.NodePat n) {
        nodes.add(n);
      } else if (a instanceof Pattern.RelPat r) {
        rels.add(r);
      } else {
        throw unsupported("quantified path patterns");
      }
    }
    if (nodes.size() != rels.size() + 1) {
      throw unsupported("this pattern form");
    }
    return new Pattern.Part(name, nodes, rels, shortest);
  }

  public Object nodePattern(Object p, Object v, Object labels, Object props, Object predicate) {
    Labels l = (Labels) labels;
    if (l != null && l.disjunction() && l.names().size() > 1) {
      throw unsupported("label alternatives (:A|B) in a node pattern");
    }
    return new Pattern.NodePat(
        v == null ? null : ((Expr.Var) v).name(),
        l == null ? List.of() : l.names(),
        (Expr) props,
        (Expr) predicate);
  }

  public Object relationshipPattern(
      Object p,
      boolean left,
      boolean right,
      Object v,
      Object labels,
      Object length,
      Object props,
      Object predicate) {
    if (predicate != null) {
      throw unsupported("WHERE inside a relationship pattern");
    }
    Labels l = (Labels) labels;
    if (l != null && !l.disjunction() && l.names().size() > 1) {
      throw unsupported("several types on one relationship (:A&B)");
    }
    Pattern.Dir dir = left == right ? Pattern.Dir.BOTH : right ? Pattern.Dir.OUT : Pattern.Dir.IN;
    Length len = (Length) length;
    return new Pattern.RelPat(
        v == null ? null : ((Expr.Var) v).name(),
        l == null ? List.of() : l.names(),
        dir,
        (Expr) props,
        len != null,
        len == null ? null : len.min(),
        len == null ? null : len.max());
  }

  public Object pathLength(Object p, Object pMin, Object pMax, String min, String max) {
    if (min == null && max == null) {
      return new Length(1, null);
    }
    Integer lo = min == null || min.isEmpty() ? 1 : Integer.valueOf(min);
    Integer hi = max == null || max.isEmpty() ? null : Integer.valueOf(max);
    return new Length(lo, hi);
  }

  // ---- label expressions

  public Object labelLeaf(Object p, String name, Object type, boolean inIs) {
    List<String> n = new ArrayList<>();
    n.add(name);
    return new Labels(n, false);
  }

  public Object labelColonConjunction(Object p, Object l, Object r, boolean inIs) {
    return combine((Labels) l, (Labels) r, false);
  }

  public Object labelConjunction(Object p, Object l, Object r, boolean inIs) {
    return combine((Labels) l, (Labels) r, false);
  }

  public Object labelDisjunction(Object p, Object l, Object r, boolean inIs) {
    return combine((Labels) l, (Labels) r, true);
  }

  public Object labelColonDisjunction(Object p, Object l, Object r, boolean inIs) {
    return combine((Labels) l, (Labels) r, true);
  }

  private static Labels combine(Labels l, Labels r, boolean disjunction) {
    boolean lMixed = l.names().size() > 1 && l.disjunction() != disjunction;
    boolean rMixed = r.names().size() > 1 && r.disjunction() != disjunction;
    if (lMixed || rMixed) {
      throw unsupported("label expressions mixing & and |");
    }
    List<String> n = new ArrayList<>(l.names());
    n.addAll(r.names());
    return new Labels(n, disjunction);
  }

  public Object labelNegation(Object p, Object e, boolean inIs) {
    throw unsupported("label negation (!A)");
  }

  public Object labelWildcard(Object p, boolean inIs) {
    throw unsupported("label wildcard (%)");
  }

  public Object labelExpressionPredicate(Object e, Object labels) {
    Labels l = (Labels) labels;
    if (l.disjunction() && l.names().size() > 1) {
      throw unsupported("label alternatives (:A|B) in a predicate");
    }
    return new Expr.HasLabels((Expr) e, l.names());
  }

  // ---- expressions: atoms

  public Object newVariable(Object p, String name) {
    return new Expr.Var(name);
  }

  public Object newParameter(Object p, Object v, Object type) {
    return new Expr.Param(v instanceof Expr.Var var ? var.name() : (String) v);
  }

  public Object newDouble(Object p, String image) {
    double d = Double.parseDouble(image);
    if (Double.isInfinite(d)) {
      throw CypherException.semantic(
          "FloatingPointOverflow", "floating point number is too large. value=" + image);
    }
    return new Expr.Literal(d);
  }

  public Object newDecimalInteger(Object p, String image, boolean negated) {
    return integer(image.replace("_", ""), 10, negated);
  }

  public Object newHexInteger(Object p, String image, boolean negated) {
    String s = image.replace("_", "");
    s = s.startsWith("-") ? s.substring(1) : s;
    return integer(s.substring(2), 16, negated);
  }

  public Object newOctalInteger(Object p, String image, boolean negated) {
    String s = image.replace("_", "");
    s = s.startsWith("-") ? s.substring(1) : s;
    s = s.startsWith("0o") ? s.substring(2) : s.substring(1);
    return integer(s, 8, negated);
  }

  private static Object integer(String digits, int radix, boolean negated) {
    String d = digits.startsWith("-") ? digits.substring(1) : digits;
    boolean neg = negated || digits.startsWith("-");
    try {
      return new Expr.Literal(Long.parseLong((neg ? "-" : "") + d, radix));
    } catch (NumberFormatException e) {
      throw CypherException.semantic(
          "IntegerOverflow", "integer is too large. value=" + (neg ? "-" : "") + d);
    }
  }

  public Object newString(Object p, Object end, String value) {
    return new Expr.Literal(value);
  }

  public Object newTrueLiteral(Object p) {
    return new Expr.Literal(true);
  }

  public Object newFalseLiteral(Object p) {
    return new Expr.Literal(false);
  }

  public Object newInfinityLiteral(Object p) {
    return new Expr.Literal(Double.POSITIVE_INFINITY);
  }

  public Object newNaNLiteral(Object p) {
    return new Expr.Literal(Double.NaN);
  }

  public Object newNullLiteral(Object p) {
    return new Expr.Literal(null);
  }

  public Object listLiteral(Object p, List<Object> items) {
    return new Expr.ListLit(exprs(items));
  }

  public Object mapLiteral(Object p, List<Object> keys, List<Object> values) {
    return new Expr.MapLit(names(keys), exprs(values));
  }

  private static List<Expr> exprs(List<Object> os) {
    List<Expr> out = new ArrayList<>();
    if (os != null) {
      for (Object o : os) {
        out.add((Expr) o);
      }
    }
    return out;
  }

  public Object property(Object e, Object key) {
    return new Expr.Property((Expr) e, ((ASTFactory.StringPos<?>) key).string);
  }

  public Object listLookup(Object e, Object index) {
    return new Expr.Subscript((Expr) e, (Expr) index);
  }

  public Object listSlice(Object p, Object e, Object from, Object to) {
    return new Expr.Slice((Expr) e, (Expr) from, (Expr) to);
  }

  public Object newCountStar(Object p) {
    return new Expr.CountStar();
  }

  public Object functionInvocation(
      Object p,
      Object namePos,
      List<String> namespace,
      String name,
      boolean distinct,
      List<Object> args,
      boolean fromUse) {
    String full = namespace.isEmpty() ? name : String.join(".", namespace) + "." + name;
    return new Expr.Call(full, distinct, exprs(args));
  }

  // ---- expressions: operators

  private static Object bin(Expr.BinaryOp op, Object l, Object r) {
    return new Expr.Binary(op, (Expr) l, (Expr) r);
  }

  public Object or(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.OR, l, r);
  }

  public Object xor(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.XOR, l, r);
  }

  public Object and(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.AND, l, r);
  }

  public Object ands(List<Object> es) {
    Expr out = (Expr) es.get(0);
    for (int i = 1; i < es.size(); i++) {
      out = new Expr.Binary(Expr.BinaryOp.AND, out, (Expr) es.get(i));
    }
    return out;
  }

  public Object not(Object p, Object e) {
    return new Expr.Unary(Expr.UnaryOp.NOT, (Expr) e);
  }

  public Object plus(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.ADD, l, r);
  }

  public Object concatenate(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.ADD, l, r);
  }

  public Object minus(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.SUB, l, r);
  }

  public Object multiply(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.MUL, l, r);
  }

  public Object divide(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.DIV, l, r);
  }

  public Object modulo(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.MOD, l, r);
  }

  public Object pow(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.POW, l, r);
  }

  public Object unaryPlus(Object e) {
    return new Expr.Unary(Expr.UnaryOp.PLUS, (Expr) e);
  }

  public Object unaryPlus(Object p, Object e) {
    return new Expr.Unary(Expr.UnaryOp.PLUS, (Expr) e);
  }

  public Object unaryMinus(Object p, Object e) {
    if (e instanceof Expr.Literal l && l.value() instanceof Double d) {
      return new Expr.Literal(-d);
    }
    return new Expr.Unary(Expr.UnaryOp.MINUS, (Expr) e);
  }

  public Object eq(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.EQ, l, r);
  }

  public Object neq(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.NEQ, l, r);
  }

  public Object neq2(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.NEQ, l, r);
  }

  public Object lt(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.LT, l, r);
  }

  public Object gt(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.GT, l, r);
  }

  public Object lte(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.LE, l, r);
  }

  public Object gte(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.GE, l, r);
  }

  public Object regeq(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.REGEX, l, r);
  }

  public Object startsWith(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.STARTS_WITH, l, r);
  }

  public Object endsWith(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.ENDS_WITH, l, r);
  }

  public Object contains(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.CONTAINS, l, r);
  }

  public Object in(Object p, Object l, Object r) {
    return bin(Expr.BinaryOp.IN, l, r);
  }

  public Object isNull(Object p, Object e) {
    return new Expr.IsNull((Expr) e, false);
  }

  public Object isNotNull(Object p, Object e) {
    return new Expr.IsNull((Expr) e, true);
  }

  // ---- expressions: special forms

  public Object caseExpression(
      Object p, Object test, List<Object> whens, List<Object> thens, Object otherwise) {
    List<Expr> ws = exprs(whens);
    boolean asEqualities = test != null && !ws.isEmpty();
    for (Expr w : ws) {
      asEqualities &=
          w instanceof Expr.Binary b && b.op() == Expr.BinaryOp.EQ && b.left().equals(test);
    }
    // the parser hands a simple CASE's alternatives over as `test = value`: keep them as such
    return new Expr.Case(asEqualities ? null : (Expr) test, ws, exprs(thens), (Expr) otherwise);
  }

  public Object listComprehension(Object p, Object v, Object list, Object where, Object proj) {
    return new Expr.ListComprehension(
        ((Expr.Var) v).name(), (Expr) list, (Expr) where, (Expr) proj);
  }

  public Object patternComprehension(
      Object p, Object relPos, Object v, Object pattern, Object where, Object proj) {
    return new Expr.PatternComprehension(
        v == null ? null : ((Expr.Var) v).name(), part(pattern), (Expr) where, (Expr) proj);
  }

  public Object reduceExpression(
      Object p, Object acc, Object init, Object v, Object list, Object body) {
    return new Expr.Reduce(
        ((Expr.Var) acc).name(), (Expr) init, ((Expr.Var) v).name(), (Expr) list, (Expr) body);
  }

  private static Object quantified(Expr.Quantifier q, Object v, Object list, Object where) {
    return new Expr.Quantified(q, ((Expr.Var) v).name(), (Expr) list, (Expr) where);
  }

  public Object allExpression(Object p, Object v, Object list, Object where) {
    return quantified(Expr.Quantifier.ALL, v, list, where);
  }

  public Object anyExpression(Object p, Object v, Object list, Object where) {
    return quantified(Expr.Quantifier.ANY, v, list, where);
  }

  public Object noneExpression(Object p, Object v, Object list, Object where) {
    return quantified(Expr.Quantifier.NONE, v, list, where);
  }

  public Object singleExpression(Object p, Object v, Object list, Object where) {
    return quantified(Expr.Quantifier.SINGLE, v, list, where);
  }

  public Object patternExpression(Object p, Object pattern) {
    return new Expr.PatternPredicate(part(pattern));
  }

  public Object existsExpression(
      Object p, Object mode, List<Object> patterns, Object query, Object where) {
    return new Expr.Unsupported("EXISTS { ... }");
  }

  public Object countExpression(
      Object p, Object mode, List<Object> patterns, Object query, Object where) {
    return new Expr.Unsupported("COUNT { ... }");
  }

  public Object collectExpression(Object p, Object query) {
    return new Expr.Unsupported("COLLECT { ... }");
  }

  public Object trimFunction(Object p, Object spec, Object chars, Object e) {
    if (chars != null) {
      return new Expr.Unsupported("trim() with characters");
    }
    String f =
        switch (spec.toString().toUpperCase(Locale.ROOT)) {
          case "LEADING" -> "ltrim";
          case "TRAILING" -> "rtrim";
          default -> "trim";
        };
    return new Expr.Call(f, false, List.of((Expr) e));
  }

  public Object mapProjection(Object p, Object v, List<Object> items) {
    List<Expr.MapProjectionItem> out = new ArrayList<>();
    for (Object i : items) {
      out.add((Expr.MapProjectionItem) i);
    }
    return new Expr.MapProjection(((Expr.Var) v).name(), out);
  }

  public Object mapProjectionLiteralEntry(Object key, Object e) {
    return new Expr.MapProjectionItem(((ASTFactory.StringPos<?>) key).string, (Expr) e, false);
  }

  public Object mapProjectionProperty(Object key) {
    return new Expr.MapProjectionItem(((ASTFactory.StringPos<?>) key).string, null, false);
  }

  public Object mapProjectionVariable(Object v) {
    Expr.Var var = (Expr.Var) v;
    return new Expr.MapProjectionItem(var.name(), var, false);
  }

  public Object mapProjectionAll(Object p) {
    return new Expr.MapProjectionItem(null, null, true);
  }
}
