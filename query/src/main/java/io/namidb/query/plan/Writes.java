package io.namidb.query.plan;

import io.namidb.query.CypherException;
import io.namidb.query.ast.Clause;
import io.namidb.query.ast.Expr;
import io.namidb.query.ast.Pattern;
import io.namidb.query.eval.Compiler;
import io.namidb.query.eval.Ctx;
import io.namidb.query.eval.Ev;
import io.namidb.query.eval.PatternMatcher;
import io.namidb.query.eval.Scope;
import io.namidb.query.eval.Values;
import io.namidb.query.graph.NodeRef;
import io.namidb.query.graph.PathValue;
import io.namidb.query.graph.RelRef;
import io.namidb.query.graph.Tx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans the writing clauses: CREATE, MERGE, SET, REMOVE, DELETE. Each becomes an {@link
 * Operators.Update} that reads all of its input before it writes. What NamiDB's model cannot hold
 * is refused by name: a second label on a node, a label change, a second relationship of one type
 * between the same two nodes, list properties.
 */
final class Writes {
  private final Compiler compiler;

  Writes(Compiler compiler) {
    this.compiler = compiler;
  }

  /** A write applied to one row. */
  private interface Action {
    void apply(Object[] row, Ctx ctx);
  }

  Op plan(Clause c, Op op, Scope scope) {
    if (c instanceof Clause.Create create) {
      return create(create, op, scope);
    }
    if (c instanceof Clause.Merge merge) {
      return merge(merge, op, scope);
    }
    if (c instanceof Clause.Set set) {
      List<Action> items = setItems(set.items(), scope);
      return new Operators.Update(op, scope, "SetProperties", (row, ctx) -> apply(items, row, ctx));
    }
    if (c instanceof Clause.Remove remove) {
      List<Action> items = removeItems(remove.items(), scope);
      return new Operators.Update(op, scope, "Remove", (row, ctx) -> apply(items, row, ctx));
    }
    if (c instanceof Clause.Delete delete) {
      return delete(delete, op, scope);
    }
    throw CypherException.unsupported(c.getClass().getSimpleName(), "");
  }

  private static List<Object[]> apply(List<Action> items, Object[] row, Ctx ctx) {
    for (Action a : items) {
      a.apply(row, ctx);
    }
    return java.util.Collections.singletonList(row);
  }

  // ---- CREATE

  /** Creates one path part per row, reusing bound nodes. */
  private record CreateNode(int slot, boolean bound, String label, Ev props) {}

  private record CreateRel(int slot, String type, boolean outgoing, Ev props) {}

  private record CreatePart(int pathSlot, List<CreateNode> nodes, List<CreateRel> rels) {}

  private Op create(Clause.Create create, Op op, Scope scope) {
    Scope[] s = {scope};
    List<CreatePart> parts = new ArrayList<>();
    Set<String> createdHere = new HashSet<>();
    for (Pattern.Part part : create.patterns()) {
      parts.add(createPart(part, s, createdHere, scope));
    }
    return new Operators.Update(
        op,
        s[0],
        "Create",
        (row, ctx) -> {
          Object[] r = Scope.widen(row, s[0].size());
          for (CreatePart p : parts) {
            runCreate(p, r, ctx);
          }
          return java.util.Collections.singletonList(r);
        });
  }

  private CreatePart createPart(
      Pattern.Part part, Scope[] s, Set<String> createdHere, Scope original) {
    if (part.shortest() != null) {
      throw CypherException.semantic("InvalidClauseComposition", "CREATE cannot use shortestPath");
    }
    List<CreateNode> nodes = new ArrayList<>();
    List<CreateRel> rels = new ArrayList<>();
    for (int i = 0; i < part.nodes().size(); i++) {
      Pattern.NodePat n = part.nodes().get(i);
      String name = n.variable() == null ? compiler.fresh("n") : n.variable();
      boolean bound = s[0].has(name);
      if (bound) {
        compiler.expectKind(name, Compiler.Kind.NODE);
      }
      compiler.bind(name, Compiler.Kind.NODE);
      if (bound) {
        if (!n.labels().isEmpty() || n.props() != null) {
          throw CypherException.semantic(
              "VariableAlreadyBound",
              "CREATE cannot give labels or properties to a bound node. variable=" + name);
        }
        if (part.nodes().size() == 1 && !createdHere.contains(name)) {
          throw CypherException.semantic(
              "VariableAlreadyBound", "CREATE of a node that exists. variable=" + name);
        }
        if (part.nodes().size() == 1) {
          throw CypherException.semantic(
              "VariableAlreadyBound", "CREATE of a node created already. variable=" + name);
        }
      } else {
        s[0] = s[0].with(name);
        createdHere.add(name);
      }
      if (n.where() != null) {
        throw CypherException.semantic("InvalidClauseComposition", "CREATE cannot use WHERE");
      }
      nodes.add(new CreateNode(s[0].slot(name), bound, label(n.labels()), props(n.props(), s[0])));
      if (i < part.rels().size()) {
        Pattern.RelPat r = part.rels().get(i);
        if (r.types().size() != 1) {
          throw CypherException.semantic(
              "NoSingleRelationshipType", "CREATE needs exactly one relationship type");
        }
        if (r.direction() == Pattern.Dir.BOTH) {
          throw CypherException.semantic(
              "RequiresDirectedRelationship", "CREATE needs a directed relationship");
        }
        if (r.varLength()) {
          throw CypherException.semantic(
              "CreatingVarLength", "CREATE cannot create a variable-length relationship");
        }
        String rname = r.variable() == null ? compiler.fresh("r") : r.variable();
        if (s[0].has(rname)) {
          throw CypherException.semantic(
              "VariableAlreadyBound", "variable already bound. variable=" + rname);
        }
        s[0] = s[0].with(rname);
        compiler.bind(rname, Compiler.Kind.RELATIONSHIP);
        rels.add(
            new CreateRel(
                s[0].slot(rname),
                r.types().get(0),
                r.direction() == Pattern.Dir.OUT,
                props(r.props(), s[0])));
      }
    }
    int pathSlot = -1;
    if (part.pathVariable() != null) {
      if (s[0].has(part.pathVariable())) {
        throw CypherException.semantic(
            "VariableAlreadyBound", "variable already bound. variable=" + part.pathVariable());
      }
      s[0] = s[0].with(part.pathVariable());
      pathSlot = s[0].slot(part.pathVariable());
    }
    return new CreatePart(pathSlot, nodes, rels);
  }

  private static String label(List<String> labels) {
    if (labels.size() > 1) {
      throw CypherException.unsupported(
          "several labels on one node", "a NamiDB node has one label. labels=" + labels);
    }
    if (!labels.isEmpty() && labels.get(0).equals(Tx.UNLABELED)) {
      throw CypherException.unsupported(
          "the reserved label " + Tx.UNLABELED, "it stands for nodes without a label");
    }
    return labels.isEmpty() ? null : labels.get(0);
  }

  private Ev props(Expr props, Scope scope) {
    if (props == null) {
      return null;
    }
    Planner.checkNoAggregate(props, "a pattern");
    return compiler.compile(props, scope);
  }

  /**
   * The properties a pattern gives, evaluated. For MERGE a null among them is refused: it can never
   * match, so every run would create another entity.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> propsOf(Ev ev, Object[] row, Ctx ctx, boolean merge) {
    if (ev == null) {
      return Map.of();
    }
    Object v = ev.eval(row, ctx);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map)) {
      throw CypherException.typeError("properties must be a map, got " + Values.typeName(v));
    }
    Map<String, Object> props = (Map<String, Object>) v;
    if (merge) {
      for (Map.Entry<String, Object> e : props.entrySet()) {
        if (e.getValue() == null) {
          throw CypherException.runtime(
              "SemanticError",
              "MergeReadOwnWrites",
              "MERGE cannot use a null property value: it never matches. property=" + e.getKey());
        }
      }
    }
    return props;
  }

  private static void runCreate(CreatePart p, Object[] r, Ctx ctx) {
    runCreate(p, r, ctx, false);
  }

  private static void runCreate(CreatePart p, Object[] r, Ctx ctx, boolean merge) {
    Tx tx = ctx.tx();
    for (CreateNode n : p.nodes) {
      if (n.bound) {
        Object v = r[n.slot];
        if (v == null) {
          throw CypherException.runtime(
              "SemanticError", "CreateWithNull", "CREATE needs a node, got null");
        }
        if (!(v instanceof NodeRef)) {
          throw CypherException.typeError("CREATE needs a node, got " + Values.typeName(v));
        }
        if (tx.isDeleted((NodeRef) v)) {
          throw CypherException.runtime(
              "EntityNotFound", "DeletedEntityAccess", "CREATE uses a deleted node");
        }
        continue;
      }
      r[n.slot] = tx.createNode(n.label, propsOf(n.props, r, ctx, merge));
    }
    for (int i = 0; i < p.rels.size(); i++) {
      CreateRel rel = p.rels.get(i);
      NodeRef left = (NodeRef) r[p.nodes.get(i).slot];
      NodeRef right = (NodeRef) r[p.nodes.get(i + 1).slot];
      r[rel.slot] =
          rel.outgoing
              ? tx.createEdge(rel.type, left, right, propsOf(rel.props, r, ctx, merge))
              : tx.createEdge(rel.type, right, left, propsOf(rel.props, r, ctx, merge));
    }
    if (p.pathSlot >= 0) {
      List<NodeRef> ns = new ArrayList<>();
      List<RelRef> rs = new ArrayList<>();
      for (CreateNode n : p.nodes) {
        ns.add((NodeRef) r[n.slot]);
      }
      for (CreateRel rel : p.rels) {
        rs.add((RelRef) r[rel.slot]);
      }
      r[p.pathSlot] = new PathValue(ns, rs);
    }
  }

  // ---- MERGE

  private Op merge(Clause.Merge merge, Op op, Scope scope) {
    Pattern.Part part = merge.pattern();
    for (Pattern.NodePat n : part.nodes()) {
      if (n.variable() != null && scope.has(n.variable()) && part.nodes().size() == 1) {
        throw CypherException.semantic(
            "VariableAlreadyBound", "MERGE of a bound node. variable=" + n.variable());
      }
      if (n.variable() != null
          && scope.has(n.variable())
          && (!n.labels().isEmpty() || n.props() != null)) {
        throw CypherException.semantic(
            "VariableAlreadyBound",
            "MERGE cannot give labels or properties to a bound node. variable=" + n.variable());
      }
      label(n.labels());
    }
    for (Pattern.RelPat r : part.rels()) {
      if (r.types().size() != 1) {
        throw CypherException.semantic(
            "NoSingleRelationshipType", "MERGE needs exactly one relationship type");
      }
      if (r.varLength()) {
        throw CypherException.semantic(
            "CreatingVarLength", "MERGE cannot create a variable-length relationship");
      }
      if (r.variable() != null && scope.has(r.variable())) {
        throw CypherException.semantic(
            "VariableAlreadyBound", "variable already bound. variable=" + r.variable());
      }
    }
    PatternMatcher matcher = PatternMatcher.compile(List.of(part), scope, compiler, List.of());
    Scope out = matcher.scope();
    // the same pattern, created when nothing matches (an undirected relationship is created
    // left to right)
    List<Pattern.RelPat> directed = new ArrayList<>();
    for (Pattern.RelPat r : part.rels()) {
      directed.add(
          r.direction() == Pattern.Dir.BOTH
              ? new Pattern.RelPat(
                  r.variable(), r.types(), Pattern.Dir.OUT, r.props(), false, null, null)
              : r);
    }
    Scope[] s = {scope};
    CreatePart create =
        createPart(
            new Pattern.Part(part.pathVariable(), part.nodes(), directed, null),
            s,
            new HashSet<>(),
            scope);
    // the created row's slots follow the same names as the matcher's
    List<String> createdNames = s[0].names();
    int[] toOut = new int[createdNames.size()];
    for (int i = 0; i < createdNames.size(); i++) {
      toOut[i] = out.slotOrMinus(createdNames.get(i));
    }
    List<Action> onCreate = setItems(merge.onCreate(), out);
    List<Action> onMatch = setItems(merge.onMatch(), out);
    return new Operators.Update(
        op,
        out,
        "Merge",
        (row, ctx) -> {
          List<Object[]> found = new ArrayList<>();
          Iterator<Object[]> it = matcher.match(row, ctx);
          while (it.hasNext()) {
            found.add(it.next());
          }
          if (!found.isEmpty()) {
            for (Object[] r : found) {
              for (Action a : onMatch) {
                a.apply(r, ctx);
              }
            }
            return found;
          }
          Object[] c = Scope.widen(row, s[0].size());
          runCreate(create, c, ctx, true);
          Object[] r = new Object[out.size()];
          System.arraycopy(row, 0, r, 0, row.length);
          for (int i = 0; i < toOut.length; i++) {
            if (toOut[i] >= 0) {
              r[toOut[i]] = c[i];
            }
          }
          for (Action a : onCreate) {
            a.apply(r, ctx);
          }
          return java.util.Collections.singletonList(r);
        });
  }

  // ---- SET and REMOVE

  private List<Action> setItems(List<Clause.SetItem> items, Scope scope) {
    List<Action> out = new ArrayList<>();
    for (Clause.SetItem item : items) {
      if (item instanceof Clause.SetProperty sp) {
        Planner.checkNoAggregate(sp.value(), "SET");
        Ev target = compiler.compile(sp.target(), scope);
        Ev value = compiler.compile(sp.value(), scope);
        String key = sp.key();
        out.add(
            (row, ctx) -> {
              Object t = target.eval(row, ctx);
              Object v = value.eval(row, ctx);
              setProperty(t, key, v, ctx);
            });
      } else if (item instanceof Clause.SetAll sa) {
        Planner.checkNoAggregate(sa.value(), "SET");
        int slot = scope.slot(sa.variable());
        Ev value = compiler.compile(sa.value(), scope);
        boolean merge = sa.merge();
        out.add(
            (row, ctx) -> {
              setAll(row[slot], value.eval(row, ctx), merge, ctx);
            });
      } else if (item instanceof Clause.SetLabels sl) {
        int slot = scope.slot(sl.variable());
        List<String> labels = sl.labels();
        out.add(
            (row, ctx) -> {
              Object t = row[slot];
              if (t == null) {
                return;
              }
              if (!(t instanceof NodeRef n)) {
                throw CypherException.typeError("SET of labels needs a node");
              }
              if (!Tx.labels(n).containsAll(labels)) {
                throw CypherException.unsupported(
                    "adding a label to a node",
                    "a NamiDB node has one label, part of its identity. node="
                        + n.key()
                        + " labels="
                        + labels);
              }
            });
      }
    }
    return out;
  }

  private static void setProperty(Object t, String key, Object v, Ctx ctx) {
    if (t == null) {
      return;
    }
    if (t instanceof NodeRef n) {
      ctx.tx().setProperty(n, key, v);
    } else if (t instanceof RelRef r) {
      ctx.tx().setProperty(r, key, v);
    } else {
      throw CypherException.runtime(
          "TypeError",
          "InvalidArgumentType",
          "SET of a property needs a node or relationship, got " + Values.typeName(t));
    }
  }

  @SuppressWarnings("unchecked")
  private static void setAll(Object t, Object v, boolean merge, Ctx ctx) {
    if (t == null) {
      return;
    }
    Map<String, Object> values;
    if (v == null) {
      values = Map.of();
    } else if (v instanceof Map<?, ?> m) {
      values = (Map<String, Object>) m;
    } else if (v instanceof NodeRef n) {
      values = new LinkedHashMap<>(ctx.tx().props(n));
    } else if (v instanceof RelRef r) {
      values = new LinkedHashMap<>(ctx.tx().props(r));
    } else {
      throw CypherException.typeError("SET needs a map, got " + Values.typeName(v));
    }
    if (t instanceof NodeRef n) {
      ctx.tx().setProperties(n, values, merge);
    } else if (t instanceof RelRef r) {
      ctx.tx().setProperties(r, values, merge);
    } else {
      throw CypherException.typeError(
          "SET needs a node or relationship, got " + Values.typeName(t));
    }
  }

  private List<Action> removeItems(List<Clause.RemoveItem> items, Scope scope) {
    List<Action> out = new ArrayList<>();
    for (Clause.RemoveItem item : items) {
      if (item instanceof Clause.RemoveProperty rp) {
        Ev target = compiler.compile(rp.target(), scope);
        String key = rp.key();
        out.add(
            (row, ctx) -> {
              Object t = target.eval(row, ctx);
              if (t instanceof NodeRef n && Tx.KEY.equals(key)) {
                throw CypherException.unsupported(
                    "removing a node's key", "the key is the node's identity. node=" + n.key());
              }
              setProperty(t, key, null, ctx);
            });
      } else if (item instanceof Clause.RemoveLabels rl) {
        int slot = scope.slot(rl.variable());
        List<String> labels = rl.labels();
        out.add(
            (row, ctx) -> {
              if (row[slot] instanceof NodeRef n) {
                for (String l : labels) {
                  if (Tx.labels(n).contains(l)) {
                    throw CypherException.unsupported(
                        "removing a node's label",
                        "a NamiDB node has one label, part of its identity. node=" + n.key());
                  }
                }
              }
            });
      }
    }
    return out;
  }

  // ---- DELETE

  private Op delete(Clause.Delete delete, Op op, Scope scope) {
    List<Ev> targets = new ArrayList<>();
    for (Expr e : delete.targets()) {
      Planner.checkNoAggregate(e, "DELETE");
      if (!(e instanceof Expr.Var)
          && !(e instanceof Expr.Property)
          && !(e instanceof Expr.Subscript)
          && !(e instanceof Expr.Call)) {
        throw CypherException.semantic(
            "InvalidDelete", "DELETE needs a node, relationship or path expression");
      }
      targets.add(compiler.compile(e, scope));
    }
    boolean detach = delete.detach();
    return new Operators.Update(
        op,
        scope,
        detach ? "DetachDelete" : "Delete",
        (row, ctx) -> {
          for (Ev t : targets) {
            deleteValue(t.eval(row, ctx), detach, ctx);
          }
          return java.util.Collections.singletonList(row);
        });
  }

  private static void deleteValue(Object v, boolean detach, Ctx ctx) {
    if (v == null) {
      return;
    }
    if (v instanceof NodeRef n) {
      ctx.tx().deleteNode(n, detach);
    } else if (v instanceof RelRef r) {
      ctx.tx().deleteEdge(r);
    } else if (v instanceof PathValue p) {
      for (RelRef r : p.rels()) {
        ctx.tx().deleteEdge(r);
      }
      for (NodeRef n : p.nodes()) {
        ctx.tx().deleteNode(n, detach);
      }
    } else if (v instanceof List<?> l) {
      for (Object o : l) {
        deleteValue(o, detach, ctx);
      }
    } else {
      throw CypherException.runtime(
          "TypeError",
          "InvalidArgumentType",
          "DELETE needs a node, relationship or path, got " + Values.typeName(v));
    }
  }
}
