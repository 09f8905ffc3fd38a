package io.namidb.query.plan;

import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.Step;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.query.ast.Clause;
import io.namidb.query.ast.Expr;
import io.namidb.query.ast.Pattern;
import io.namidb.query.eval.Compiler;
import io.namidb.query.eval.Ctx;
import io.namidb.query.eval.Ev;
import io.namidb.query.eval.PatternMatcher;
import io.namidb.query.eval.Scope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code MATCH (a:L {key: v})-[:T1]->(b)[-[:T2]->(c)] RETURN count(*)} (or {@code count(DISTINCT
 * c)}, or {@code count(c)}) answered from the adjacency of {@code a} through {@link
 * GraphView#reachCount} (or {@link GraphView#reach} when the last node has a label), which read the
 * snapshot's adjacency index when it is built: no row, node or relationship value is made per path.
 *
 * <p><b>Shape.</b> The query is exactly one MATCH and one RETURN; the MATCH one path of one or two
 * relationships, each of one type, any direction, no properties, no variable length; the first node
 * one label and an inline {@code key} (a literal or a parameter) and nothing else; a middle node
 * nothing at all; the last node at most one label; no variable named twice; no WHERE. The RETURN is
 * the single count, without DISTINCT, ORDER BY, SKIP or LIMIT. Anything else is planned the general
 * way.
 *
 * <p><b>Semantics kept.</b> A pattern never uses one relationship twice. With one edge of a type
 * between two nodes in one direction, a two-hop walk from {@code a} reuses its first relationship
 * only when both hops have the same type, and then it always ends at {@code a}: {@code (OUT, OUT)}
 * and {@code (IN, IN)} reuse the self-loop of {@code a} only; {@code (OUT, IN)}, {@code (OUT,
 * BOTH)} and {@code (BOTH, IN)} reuse each outgoing edge of {@code a}; {@code (IN, OUT)}, {@code
 * (IN, BOTH)} and {@code (BOTH, OUT)} each incoming one; {@code (BOTH, BOTH)} each edge of {@code
 * a} (a self-loop once, as an undirected hop lists it once). {@code count(*)} subtracts those walks
 * from the walks {@code reach} counts; {@code count(DISTINCT c)} drops {@code a} when every walk
 * back to it reuses its relationship. A key of the wrong type or null, or a node that does not
 * exist, counts 0 (a node without edges matches no hop).
 */
final class PathCount extends Op {
  private final String startLabel;
  private final Ev key;
  private final List<Step> steps;
  private final String endLabel;
  private final boolean distinct;
  private final String text;

  private PathCount(
      String column,
      String startLabel,
      Ev key,
      List<Step> steps,
      String endLabel,
      boolean distinct,
      String text) {
    super(new Scope(List.of(column)), List.of());
    this.startLabel = startLabel;
    this.key = key;
    this.steps = steps;
    this.endLabel = endLabel;
    this.distinct = distinct;
    this.text = text;
  }

  /** Its work is one node's two-hop neighbourhood, counted without rows. */
  @Override
  public boolean boundedWork() {
    return true;
  }

  /** The operator for a query of the shape above, or null. Its only column is the count's. */
  static PathCount plan(List<Clause> clauses, Compiler compiler) {
    if (clauses.size() != 2
        || !(clauses.get(0) instanceof Clause.Match m)
        || !(clauses.get(1) instanceof Clause.Return r)
        || m.optional()
        || m.where() != null
        || m.patterns().size() != 1) {
      return null;
    }
    Pattern.Part part = m.patterns().get(0);
    List<Pattern.NodePat> nodes = part.nodes();
    List<Pattern.RelPat> rels = part.rels();
    if (part.pathVariable() != null
        || part.shortest() != null
        || rels.isEmpty()
        || rels.size() > 2
        || !distinctVariables(part)) {
      return null;
    }
    Pattern.NodePat first = nodes.get(0);
    Pattern.NodePat last = nodes.get(nodes.size() - 1);
    Expr keyExpr = keyOnly(first);
    if (first.labels().size() != 1 || first.where() != null || keyExpr == null) {
      return null;
    }
    for (int i = 1; i < nodes.size(); i++) {
      Pattern.NodePat n = nodes.get(i);
      boolean end = i == nodes.size() - 1;
      if (n.props() != null || n.where() != null || n.labels().size() > (end ? 1 : 0)) {
        return null;
      }
    }
    List<Step> steps = new ArrayList<>();
    for (Pattern.RelPat rel : rels) {
      if (rel.varLength() || rel.props() != null || rel.types().size() != 1) {
        return null;
      }
      steps.add(new Step(rel.types().get(0), direction(rel.direction())));
    }
    Boolean distinct = countOf(r.projection(), last.variable());
    if (distinct == null) {
      return null;
    }
    Clause.ReturnItem item = r.projection().items().get(0);
    String column = item.alias() != null ? item.alias() : item.text();
    return new PathCount(
        column,
        first.labels().get(0),
        compiler.compile(keyExpr, Scope.empty()),
        List.copyOf(steps),
        last.labels().isEmpty() ? null : last.labels().get(0),
        distinct,
        describe(first, steps, last, distinct));
  }

  /** {@code v} of {@code {key: v}} when v is a literal or a parameter, else null. */
  private static Expr keyOnly(Pattern.NodePat n) {
    if (n.props() instanceof Expr.MapLit map
        && map.keys().equals(List.of("key"))
        && (map.values().get(0) instanceof Expr.Param
            || map.values().get(0) instanceof Expr.Literal)) {
      return map.values().get(0);
    }
    return null;
  }

  /** Whether no variable of the path is named twice (a repeat is a join the general path does). */
  private static boolean distinctVariables(Pattern.Part part) {
    Set<String> seen = new HashSet<>();
    for (Pattern.NodePat n : part.nodes()) {
      if (n.variable() != null && !seen.add(n.variable())) {
        return false;
      }
    }
    for (Pattern.RelPat r : part.rels()) {
      if (r.variable() != null && !seen.add(r.variable())) {
        return false;
      }
    }
    return true;
  }

  /**
   * For a projection that is one count of the pattern: whether it counts distinct end nodes (false
   * for {@code count(*)} and {@code count(end)}); null for anything else.
   */
  private static Boolean countOf(Clause.Projection p, String end) {
    boolean plain =
        !p.distinct()
            && !p.star()
            && p.items().size() == 1
            && (p.orderBy() == null || p.orderBy().isEmpty())
            && p.skip() == null
            && p.limit() == null;
    if (!plain) {
      return null;
    }
    Expr e = p.items().get(0).expression();
    if (e instanceof Expr.CountStar) {
      return false;
    }
    if (e instanceof Expr.Call c
        && c.name().equalsIgnoreCase("count")
        && c.args().size() == 1
        && end != null
        && c.args().get(0) instanceof Expr.Var v
        && v.name().equals(end)) {
      return c.distinct();
    }
    return null;
  }

  private static Direction direction(Pattern.Dir d) {
    return switch (d) {
      case OUT -> Direction.OUT;
      case IN -> Direction.IN;
      case BOTH -> Direction.BOTH;
    };
  }

  private static String describe(
      Pattern.NodePat first, List<Step> steps, Pattern.NodePat last, boolean distinct) {
    StringBuilder b = new StringBuilder("PathCount (:").append(first.labels().get(0));
    b.append(" {key})");
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      b.append(s.direction() == Direction.IN ? "<-" : "-")
          .append("[:")
          .append(s.type())
          .append("]")
          .append(s.direction() == Direction.OUT ? "->" : "-");
      boolean end = i == steps.size() - 1;
      b.append(end && !last.labels().isEmpty() ? "(:" + last.labels().get(0) + ")" : "()");
    }
    return b.append(distinct ? " count(DISTINCT end)" : " count(*)")
        .append(" via adjacency")
        .toString();
  }

  @Override
  public String describe() {
    return text;
  }

  @Override
  protected Iterator<Object[]> rows(Ctx ctx) {
    // the count is made on the first hasNext, where PROFILE counts this operator's GETs
    return new Operators.Gen() {
      private boolean done;

      @Override
      protected Object[] compute() {
        if (done) {
          return null;
        }
        done = true;
        ctx.check();
        Object k = PatternMatcher.keyValue(key.eval(new Object[0], ctx));
        long n = k == null ? 0 : count(ctx.tx().view(), new NodeKey(startLabel, k));
        ctx.tx().stats().expands += steps.size();
        return new Object[] {n};
      }
    };
  }

  private long count(GraphView view, NodeKey a) {
    long n = 0;
    boolean reachesA = false;
    if (endLabel == null) {
      // counted on the adjacency index's ids: no end node is listed or read
      GraphView.ReachCount c = view.reachCount(a, steps, distinct);
      n = c.count();
      reachesA = c.includesFrom();
    } else {
      for (NodeKey c : view.reach(a, steps, distinct, Integer.MAX_VALUE)) {
        if (endLabel.equals(c.label())) {
          n++;
          reachesA |= c.equals(a);
        }
      }
    }
    if (steps.size() == 1 || !reachesA) {
      return n;
    }
    long reused = reusedWalks(view, a);
    if (!distinct) {
      return n - reused;
    }
    return reused > 0 && walksBack(view, a) == reused ? n - 1 : n;
  }

  /** Two-hop walks from {@code a} whose second hop is its first relationship (see the class). */
  private long reusedWalks(GraphView view, NodeKey a) {
    Step s1 = steps.get(0);
    Step s2 = steps.get(1);
    if (!s1.type().equals(s2.type())) {
      return 0;
    }
    Direction d1 = s1.direction();
    Direction d2 = s2.direction();
    if (d1 == d2 && d1 != Direction.BOTH) {
      // only the self-loop of a, taken twice
      return view.reach(a, List.of(s1), false, Integer.MAX_VALUE).contains(a) ? 1 : 0;
    }
    Direction reusedEdgesOfA;
    if (d1 == Direction.BOTH && d2 == Direction.BOTH) {
      reusedEdgesOfA = Direction.BOTH;
    } else if (d1 == Direction.OUT || d2 == Direction.IN) {
      reusedEdgesOfA = Direction.OUT; // (OUT, IN), (OUT, BOTH), (BOTH, IN)
    } else {
      reusedEdgesOfA = Direction.IN; // (IN, OUT), (IN, BOTH), (BOTH, OUT)
    }
    return view.reach(a, List.of(new Step(s1.type(), reusedEdgesOfA)), false, Integer.MAX_VALUE)
        .size();
  }

  /**
   * Two-hop walks from {@code a} back to {@code a}, reused relationships included: per middle node
   * b, the first hop's edges a–b times the second hop's edges b–a (read from a, reversed).
   */
  private long walksBack(GraphView view, NodeKey a) {
    Step s1 = steps.get(0);
    Step s2 = steps.get(1);
    Map<NodeKey, Integer> firstHop = new HashMap<>();
    for (NodeKey b : view.reach(a, List.of(s1), false, Integer.MAX_VALUE)) {
      firstHop.merge(b, 1, Integer::sum);
    }
    Step back = new Step(s2.type(), reverse(s2.direction()));
    long walks = 0;
    for (NodeKey b : view.reach(a, List.of(back), false, Integer.MAX_VALUE)) {
      walks += firstHop.getOrDefault(b, 0);
    }
    return walks;
  }

  private static Direction reverse(Direction d) {
    return switch (d) {
      case OUT -> Direction.IN;
      case IN -> Direction.OUT;
      case BOTH -> Direction.BOTH;
    };
  }
}
