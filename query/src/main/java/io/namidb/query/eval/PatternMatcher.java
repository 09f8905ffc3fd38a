package io.namidb.query.eval;

import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.query.CypherException;
import io.namidb.query.ast.Expr;
import io.namidb.query.ast.Pattern;
import io.namidb.query.graph.NodeRef;
import io.namidb.query.graph.PathValue;
import io.namidb.query.graph.RelRef;
import io.namidb.query.graph.Tx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Finds the matches of the comma-separated paths of one MATCH (or of a pattern predicate) for an
 * input row. Each path starts at its cheapest node (see {@link Access}) and expands left and right
 * through adjacency reads; relationships are unique within the whole pattern. Variables the input
 * row binds already are checked, not rebound.
 */
public final class PatternMatcher {

  /** How the start node of a path is found, cheapest first. */
  public enum Access {
    BOUND,
    KEY_LOOKUP,
    INDEX_SEEK,
    LABEL_SCAN,
    ALL_NODES
  }

  /** An equality {@code var.prop = value} known before matching (from the pattern or WHERE). */
  public record Equality(String variable, String property, Ev value) {}

  private record NodeStep(
      int slot, boolean bound, List<String> labels, List<String> keys, List<Ev> values, Ev where) {}

  private record RelStep(
      int slot,
      boolean bound,
      List<String> types,
      Pattern.Dir dir,
      List<String> keys,
      List<Ev> values,
      boolean varLength,
      int min,
      int max) {}

  private record PartPlan(
      int pathSlot,
      List<NodeStep> nodes,
      List<RelStep> rels,
      int start,
      Access access,
      String seekProperty,
      Ev seekValue) {}

  private final List<PartPlan> parts;
  private final Scope out;

  /**
   * Whether two relationships of the pattern could be bound to one (several relationships, or a
   * variable-length one): only then is relationship uniqueness tracked.
   */
  private final boolean trackUsed;

  private PatternMatcher(List<PartPlan> parts, Scope out) {
    this.parts = parts;
    this.out = out;
    int rels = 0;
    boolean varLength = false;
    for (PartPlan p : parts) {
      rels += p.rels.size();
      for (RelStep r : p.rels) {
        varLength |= r.varLength;
      }
    }
    this.trackUsed = rels > 1 || varLength;
  }

  /** The scope of the rows produced: the input scope plus the pattern's new variables. */
  public Scope scope() {
    return out;
  }

  /** How each path's start node is found (for EXPLAIN). */
  public List<String> describe() {
    List<String> d = new ArrayList<>();
    for (PartPlan p : parts) {
      NodeStep s = p.nodes.get(p.start);
      String name = out.names().get(s.slot);
      d.add(
          p.access
              + "("
              + (Scope.isHidden(name) ? "" : name)
              + (s.labels.isEmpty() ? "" : ":" + String.join(":", s.labels))
              + (p.seekProperty == null ? "" : " " + p.seekProperty + "=")
              + ")"
              + (p.rels.isEmpty() ? "" : " expand " + p.rels.size() + " hop(s)"));
    }
    return d;
  }

  /**
   * Compiles the paths against {@code in}. {@code hints} are equalities from WHERE that may pick a
   * cheaper start; they are not checked here (WHERE still is).
   */
  public static PatternMatcher compile(
      List<Pattern.Part> paths, Scope in, Compiler compiler, List<Equality> hints) {
    Scope scope = in;
    Set<String> newVars = new HashSet<>();
    List<PartPlan> plans = new ArrayList<>();
    Set<String> earlierParts = new HashSet<>();
    for (Pattern.Part part : paths) {
      if (part.shortest() != null) {
        throw CypherException.unsupported(part.shortest(), "shortest path search is not supported");
      }
      List<NodeStep> nodes = new ArrayList<>();
      List<RelStep> rels = new ArrayList<>();
      for (int i = 0; i < part.nodes().size(); i++) {
        Pattern.NodePat np = part.nodes().get(i);
        String name = np.variable() == null ? compiler.fresh("n") : np.variable();
        boolean bound = in.has(name) || earlierParts.contains(name);
        if (scope.has(name)) {
          compiler.expectKind(name, Compiler.Kind.NODE);
        }
        compiler.bind(name, Compiler.Kind.NODE);
        if (!scope.has(name)) {
          scope = scope.with(name);
          newVars.add(name);
        }
        int slot = scope.slot(name);
        Object[] kv = props(np.props(), scope, compiler);
        nodes.add(
            new NodeStep(
                slot,
                bound,
                np.labels(),
                castKeys(kv[0]),
                castEvs(kv[1]),
                np.where() == null ? null : compiler.compile(np.where(), scope)));
        if (i < part.rels().size()) {
          Pattern.RelPat rp = part.rels().get(i);
          String rname = rp.variable() == null ? compiler.fresh("r") : rp.variable();
          boolean rbound = scope.has(rname) && !newVars.contains(rname);
          Compiler.Kind rkind =
              rp.varLength() ? Compiler.Kind.RELATIONSHIP_LIST : Compiler.Kind.RELATIONSHIP;
          if (scope.has(rname)) {
            compiler.expectKind(rname, rkind);
          }
          compiler.bind(rname, rkind);
          if (newVars.contains(rname)) {
            throw CypherException.semantic(
                "RelationshipUniquenessViolation",
                "a relationship variable is used twice in one pattern. variable=" + rname);
          }
          if (!rbound) {
            scope = scope.with(rname);
            newVars.add(rname);
          }
          Object[] rkv = props(rp.props(), scope, compiler);
          int min = rp.varLength() ? (rp.minHops() == null ? 1 : rp.minHops()) : 1;
          int max = rp.varLength() ? (rp.maxHops() == null ? Integer.MAX_VALUE : rp.maxHops()) : 1;
          rels.add(
              new RelStep(
                  scope.slot(rname),
                  rbound,
                  rp.types(),
                  rp.direction(),
                  castKeys(rkv[0]),
                  castEvs(rkv[1]),
                  rp.varLength(),
                  min,
                  max));
        }
      }
      int pathSlot = -1;
      if (part.pathVariable() != null) {
        if (scope.has(part.pathVariable())) {
          throw CypherException.semantic(
              "VariableAlreadyBound", "variable already bound. variable=" + part.pathVariable());
        }
        scope = scope.with(part.pathVariable());
        compiler.bind(part.pathVariable(), Compiler.Kind.PATH);
        newVars.add(part.pathVariable());
        pathSlot = scope.slot(part.pathVariable());
      }
      plans.add(choose(pathSlot, nodes, rels, scope, hints));
      earlierParts.addAll(newVars);
    }
    return new PatternMatcher(plans, scope);
  }

  @SuppressWarnings("unchecked")
  private static List<String> castKeys(Object o) {
    return (List<String>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Ev> castEvs(Object o) {
    return (List<Ev>) o;
  }

  /** {keys, values} of an inline property map; a parameter map becomes one "*" entry. */
  private static Object[] props(Expr props, Scope scope, Compiler compiler) {
    List<String> keys = new ArrayList<>();
    List<Ev> values = new ArrayList<>();
    if (props instanceof Expr.MapLit m) {
      for (int i = 0; i < m.keys().size(); i++) {
        keys.add(m.keys().get(i));
        values.add(compiler.compile(m.values().get(i), scope));
      }
    } else if (props != null) {
      keys.add("*");
      values.add(compiler.compile(props, scope));
    }
    return new Object[] {keys, values};
  }

  private static PartPlan choose(
      int pathSlot, List<NodeStep> nodes, List<RelStep> rels, Scope scope, List<Equality> hints) {
    int best = 0;
    Access bestAccess = Access.ALL_NODES;
    String bestProp = null;
    Ev bestValue = null;
    for (int i = 0; i < nodes.size(); i++) {
      NodeStep n = nodes.get(i);
      Access a;
      String prop = null;
      Ev value = null;
      if (n.bound) {
        a = Access.BOUND;
      } else {
        String name = scope.names().get(n.slot);
        List<String> ks = new ArrayList<>(n.keys);
        List<Ev> vs = new ArrayList<>(n.values);
        for (Equality h : hints) {
          if (h.variable().equals(name)) {
            ks.add(h.property());
            vs.add(h.value());
          }
        }
        int keyAt = ks.indexOf(Tx.KEY);
        if (keyAt >= 0 && n.labels.size() == 1) {
          a = Access.KEY_LOOKUP;
          prop = Tx.KEY;
          value = vs.get(keyAt);
        } else if (!n.labels.isEmpty() && !ks.isEmpty() && !ks.get(0).equals("*")) {
          a = Access.INDEX_SEEK;
          int at = 0;
          while (at < ks.size() && (ks.get(at).equals("*") || ks.get(at).equals(Tx.KEY))) {
            at++;
          }
          if (at < ks.size()) {
            prop = ks.get(at);
            value = vs.get(at);
          } else {
            a = Access.LABEL_SCAN;
          }
        } else if (!n.labels.isEmpty()) {
          a = Access.LABEL_SCAN;
        } else {
          a = Access.ALL_NODES;
        }
      }
      if (a.ordinal() < bestAccess.ordinal() || i == 0) {
        if (i == 0 || a.ordinal() < bestAccess.ordinal()) {
          best = i;
          bestAccess = a;
          bestProp = prop;
          bestValue = value;
        }
      }
    }
    return new PartPlan(pathSlot, nodes, rels, best, bestAccess, bestProp, bestValue);
  }

  // ---- running

  /** The matches for one input row, lazily by start node of the first path. */
  public Iterator<Object[]> match(Object[] input, Ctx ctx) {
    Object[] row = Scope.widen(input, out.size());
    PartPlan first = parts.get(0);
    List<NodeRef> starts = candidates(first, row, ctx);
    return new Iterator<>() {
      int next = 0;
      Iterator<Object[]> buffered = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!buffered.hasNext()) {
          if (next >= starts.size()) {
            return false;
          }
          ctx.tick();
          List<Object[]> found = new ArrayList<>();
          NodeRef s = starts.get(next++);
          Object[] r = row.clone();
          if (bindNode(first.nodes.get(first.start), s, r, ctx)) {
            expandPart(0, first, first.start, true, r, new HashSet<>(), ctx, found);
          }
          buffered = found.iterator();
        }
        return true;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return buffered.next();
      }
    };
  }

  /** Whether the row has at least one match (pattern predicates). */
  public boolean exists(Object[] input, Ctx ctx) {
    return match(input, ctx).hasNext();
  }

  private List<NodeRef> candidates(PartPlan p, Object[] row, Ctx ctx) {
    NodeStep s = p.nodes.get(p.start);
    Tx tx = ctx.tx();
    switch (p.access) {
      case BOUND:
        {
          Object v = row[s.slot];
          if (v == null) {
            return List.of();
          }
          if (!(v instanceof NodeRef n)) {
            throw CypherException.typeError(
                "expected a node for a pattern variable, got " + Values.typeName(v));
          }
          return tx.isDeleted(n) ? List.of() : List.of(n);
        }
      case KEY_LOOKUP:
        {
          Object key = keyValue(p.seekValue.eval(row, ctx));
          if (key == null) {
            return List.of();
          }
          NodeKey k = new NodeKey(s.labels.get(0), key);
          if (existenceImpliedByHop(p)) {
            // a node that has a relationship exists (deleting a node deletes its edges): skip the
            // point read; its properties are read only if the query asks for them
            NodeRef n = new NodeRef(k, null);
            return tx.isDeleted(n) ? List.of() : List.of(n);
          }
          NodeRef n = tx.node(k);
          return n == null ? List.of() : List.of(n);
        }
      case INDEX_SEEK:
        {
          Object v = p.seekValue.eval(row, ctx);
          if (v == null || v instanceof List || v instanceof Map) {
            return v == null ? List.of() : tx.scan(s.labels.get(0));
          }
          return tx.seek(s.labels.get(0), p.seekProperty, v);
        }
      case LABEL_SCAN:
        return tx.scan(s.labels.get(0));
      default:
        return tx.scan(null);
    }
  }

  /**
   * Whether the start node must have a relationship to match: a hop of at least one relationship
   * next to it, and no inline condition on it but its key.
   */
  private static boolean existenceImpliedByHop(PartPlan p) {
    NodeStep s = p.nodes.get(p.start);
    if (s.where != null || s.keys.size() > 1) {
      return false;
    }
    boolean right = p.start < p.rels.size() && p.rels.get(p.start).min >= 1;
    boolean left = p.start > 0 && p.rels.get(p.start - 1).min >= 1;
    return right || left;
  }

  /** A key value as stored: an integral float becomes an integer; other types match nothing. */
  public static Object keyValue(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return (long) (double) d;
    }
    return v instanceof String || v instanceof Long ? v : null;
  }

  /**
   * Expands path {@code pi} from node {@code at}: first rightwards to its end, then leftwards from
   * its start to position 0, then the next path; at the end binds paths and records the row.
   */
  private void expandPart(
      int pi,
      PartPlan p,
      int at,
      boolean rightwards,
      Object[] row,
      Set<Object> used,
      Ctx ctx,
      List<Object[]> found) {
    if (rightwards && at == p.nodes.size() - 1) {
      expandPart(pi, p, p.start, false, row, used, ctx, found);
      return;
    }
    if (!rightwards && at == 0) {
      if (p.pathSlot >= 0) {
        row[p.pathSlot] = path(p, row);
      }
      if (pi + 1 == parts.size()) {
        found.add(row.clone());
        return;
      }
      PartPlan next = parts.get(pi + 1);
      for (NodeRef s : candidates(next, row, ctx)) {
        Object[] r = row.clone();
        if (bindNode(next.nodes.get(next.start), s, r, ctx)) {
          expandPart(pi + 1, next, next.start, true, r, used, ctx, found);
        }
      }
      return;
    }
    RelStep rel = p.rels.get(rightwards ? at : at - 1);
    NodeStep target = p.nodes.get(rightwards ? at + 1 : at - 1);
    NodeRef from = (NodeRef) row[p.nodes.get(at).slot];
    Direction dir = direction(rel.dir, rightwards);
    int nextAt = rightwards ? at + 1 : at - 1;
    if (!rel.varLength) {
      for (Tx.Hop h : ctx.tx().expand(from, rel.types, dir)) {
        ctx.tick();
        if ((trackUsed && used.contains(h.rel())) || !relMatches(rel, h.rel(), row, ctx)) {
          continue;
        }
        if (rel.bound && !h.rel().equals(row[rel.slot])) {
          continue;
        }
        Object[] r = row.clone();
        if (!bindNode(target, h.other(), r, ctx)) {
          continue;
        }
        r[rel.slot] = h.rel();
        if (!trackUsed) {
          expandPart(pi, p, nextAt, rightwards, r, used, ctx, found);
          continue;
        }
        used.add(h.rel());
        expandPart(pi, p, nextAt, rightwards, r, used, ctx, found);
        used.remove(h.rel());
      }
      return;
    }
    List<RelRef> trail = new ArrayList<>();
    varLength(pi, p, rel, target, from, dir, rightwards, nextAt, row, used, trail, ctx, found);
  }

  private void varLength(
      int pi,
      PartPlan p,
      RelStep rel,
      NodeStep target,
      NodeRef current,
      Direction dir,
      boolean rightwards,
      int nextAt,
      Object[] row,
      Set<Object> used,
      List<RelRef> trail,
      Ctx ctx,
      List<Object[]> found) {
    if (trail.size() >= rel.min) {
      Object[] r = row.clone();
      if (bindNode(target, current, r, ctx)) {
        List<Object> rels = new ArrayList<>(trail);
        if (!rightwards) {
          Collections.reverse(rels);
        }
        if (!rel.bound || Values.equal(rels, row[rel.slot]) == Boolean.TRUE) {
          r[rel.slot] = rels;
          expandPart(pi, p, nextAt, rightwards, r, used, ctx, found);
        }
      }
    }
    if (trail.size() >= rel.max) {
      return;
    }
    for (Tx.Hop h : ctx.tx().expand(current, rel.types, dir)) {
      ctx.tick();
      if (used.contains(h.rel()) || !relMatches(rel, h.rel(), row, ctx)) {
        continue;
      }
      used.add(h.rel());
      trail.add(h.rel());
      varLength(
          pi, p, rel, target, h.other(), dir, rightwards, nextAt, row, used, trail, ctx, found);
      trail.remove(trail.size() - 1);
      used.remove(h.rel());
    }
  }

  private static Direction direction(Pattern.Dir d, boolean rightwards) {
    return switch (d) {
      case BOTH -> Direction.BOTH;
      case OUT -> rightwards ? Direction.OUT : Direction.IN;
      case IN -> rightwards ? Direction.IN : Direction.OUT;
    };
  }

  private boolean relMatches(RelStep rel, RelRef r, Object[] row, Ctx ctx) {
    if (rel.keys.isEmpty()) {
      return true;
    }
    Map<String, Object> props = ctx.tx().props(r);
    return propsMatch(rel.keys, rel.values, props, null, row, ctx);
  }

  private boolean bindNode(NodeStep s, NodeRef n, Object[] row, Ctx ctx) {
    if (s.bound || row[s.slot] != null) { // bound by the input, or earlier in this pattern
      Object v = row[s.slot];
      if (!(v instanceof NodeRef) || !v.equals(n)) {
        return false;
      }
    }
    if (!s.labels.isEmpty() && !Tx.labels(n).containsAll(s.labels)) {
      return false;
    }
    if (!s.keys.isEmpty()) {
      if (!propsMatch(s.keys, s.values, null, n, row, ctx)) {
        return false;
      }
    }
    row[s.slot] = n;
    if (s.where != null && Values.truth(s.where.eval(row, ctx), "WHERE") != Boolean.TRUE) {
      return false;
    }
    return true;
  }

  private static boolean propsMatch(
      List<String> keys,
      List<Ev> values,
      Map<String, Object> props,
      NodeRef n,
      Object[] row,
      Ctx ctx) {
    for (int i = 0; i < keys.size(); i++) {
      Object expected = values.get(i).eval(row, ctx);
      String k = keys.get(i);
      if (k.equals("*")) {
        if (expected == null) {
          continue;
        }
        if (!(expected instanceof Map<?, ?> m)) {
          throw CypherException.typeError(
              "expected a map of properties, got " + Values.typeName(expected));
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
          Object actual =
              n != null ? Access_.prop(n, (String) e.getKey(), ctx) : props.get(e.getKey());
          if (Values.equal(Values.fromStored(actual), e.getValue()) != Boolean.TRUE) {
            return false;
          }
        }
        continue;
      }
      Object actual = n != null ? Access_.prop(n, k, ctx) : props.get(k);
      if (Values.equal(Values.fromStored(actual), expected) != Boolean.TRUE) {
        return false;
      }
    }
    return true;
  }

  private PathValue path(PartPlan p, Object[] row) {
    List<NodeRef> ns = new ArrayList<>();
    List<RelRef> rs = new ArrayList<>();
    for (int i = 0; i < p.nodes.size(); i++) {
      NodeRef n = (NodeRef) row[p.nodes.get(i).slot];
      if (i > 0) {
        RelStep rel = p.rels.get(i - 1);
        Object r = row[rel.slot];
        if (r instanceof RelRef one) {
          ns.add(n);
          rs.add(one);
          continue;
        }
        // a variable-length step: the intermediate nodes follow the relationships
        @SuppressWarnings("unchecked")
        List<RelRef> many = (List<RelRef>) r;
        NodeRef at = ns.get(ns.size() - 1);
        for (RelRef one : many) {
          NodeKey other = one.key().from().equals(at.key()) ? one.key().to() : one.key().from();
          rs.add(one);
          at = other.equals(n.key()) ? n : new NodeRef(other, null);
          ns.add(at);
        }
        continue;
      }
      ns.add(n);
    }
    return new PathValue(ns, rs);
  }

  /** Property reads shared with the expression compiler. */
  static final class Access_ {
    private Access_() {}

    static Object prop(NodeRef n, String key, Ctx ctx) {
      if (Tx.KEY.equals(key)) {
        return n.key().key();
      }
      return ctx.tx().props(n).get(key);
    }
  }
}
