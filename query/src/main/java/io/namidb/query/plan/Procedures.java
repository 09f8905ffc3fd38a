package io.namidb.query.plan;

import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.ScoredNode;
import io.namidb.engine.schema.LabelDef;
import io.namidb.query.CypherException;
import io.namidb.query.ast.Clause;
import io.namidb.query.ast.Expr;
import io.namidb.query.eval.Compiler;
import io.namidb.query.eval.Ctx;
import io.namidb.query.eval.Ev;
import io.namidb.query.eval.Scope;
import io.namidb.query.eval.Values;
import io.namidb.query.graph.NodeRef;
import io.namidb.query.graph.Tx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The procedures {@code CALL} can run.
 *
 * <ul>
 *   <li>{@code db.index.vector.queryNodes('<Label>.<property>', k, $vector) YIELD node, score}
 *       (Neo4j's name): exact top-k by cosine similarity; {@code score = (1 + cos) / 2}, in [0, 1],
 *       higher is nearer, as Neo4j reports it for a cosine index.
 *   <li>{@code QUERY_VECTOR_INDEX('<Label>', '<property>', $vector, k) RETURN node, distance}
 *       (Kuzu's name): the same search; {@code distance = 1 - cos}, lower is nearer, as Kuzu's
 *       default cosine metric reports it.
 *   <li>{@code db.labels()}, {@code db.relationshipTypes()}, {@code db.propertyKeys()}: the
 *       schema's names.
 * </ul>
 */
final class Procedures {
  private Procedures() {}

  record Planned(Op op, List<String> columns) {}

  private record Signature(List<String> fields, int args) {}

  private static final Map<String, Signature> SIGNATURES =
      Map.of(
          "db.index.vector.querynodes", new Signature(List.of("node", "score"), 3),
          "query_vector_index", new Signature(List.of("node", "distance"), 4),
          "db.labels", new Signature(List.of("label"), 0),
          "db.relationshiptypes", new Signature(List.of("relationshipType"), 0),
          "db.propertykeys", new Signature(List.of("propertyKey"), 0));

  static Planned plan(Clause.Call call, Op input, Scope scope, Compiler compiler, boolean last) {
    String name = call.name().toLowerCase(Locale.ROOT);
    Signature sig = SIGNATURES.get(name);
    if (sig == null) {
      throw CypherException.semantic(
          "ProcedureNotFound", "unknown procedure. procedure=" + call.name());
    }
    List<Expr> args = call.args() == null ? List.of() : call.args();
    if (args.size() != sig.args) {
      throw CypherException.semantic(
          "InvalidNumberOfArguments",
          "wrong number of arguments. procedure=" + call.name() + " arguments=" + args.size());
    }
    List<Ev> argEvs = compiler.compileAll(args, scope);
    List<String> fields = new ArrayList<>();
    List<String> vars = new ArrayList<>();
    if (call.yields() == null || call.yieldAll()) {
      fields.addAll(sig.fields);
      vars.addAll(sig.fields);
    } else {
      for (Clause.YieldItem y : call.yields()) {
        if (!sig.fields.contains(y.field())) {
          throw CypherException.semantic(
              "UndefinedVariable",
              "the procedure yields no such field. procedure="
                  + call.name()
                  + " field="
                  + y.field());
        }
        fields.add(y.field());
        vars.add(y.variable());
      }
    }
    Scope out = scope;
    int[] fieldIndex = new int[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      if (out.visible().contains(vars.get(i))) {
        throw CypherException.semantic(
            "VariableAlreadyBound", "variable already bound. variable=" + vars.get(i));
      }
      out = out.with(vars.get(i));
      fieldIndex[i] = sig.fields.indexOf(fields.get(i));
    }
    int width = out.size();
    int base = scope.size();
    Scope outScope = out;
    Op op =
        new Operators.FlatMap(
            input,
            outScope,
            "ProcedureCall " + call.name(),
            (row, ctx) -> {
              List<Object[]> results = run(name, argEvs, row, ctx);
              List<Object[]> rows = new ArrayList<>(results.size());
              for (Object[] res : results) {
                Object[] r = Scope.widen(row, width);
                for (int i = 0; i < fieldIndex.length; i++) {
                  r[base + i] = res[fieldIndex[i]];
                }
                rows.add(r);
              }
              return rows;
            });
    if (call.where() != null) {
      op = new Operators.Filter(op, compiler.predicate(call.where(), outScope));
    }
    List<String> columns = new ArrayList<>(vars);
    if (last) {
      List<Ev> keep = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        int slot = base + i;
        keep.add((row, ctx) -> row[slot]);
      }
      op = new Operators.Project(op, keep, new Scope(vars), String.join(", ", vars));
    }
    return new Planned(op, columns);
  }

  private static List<Object[]> run(String name, List<Ev> args, Object[] row, Ctx ctx) {
    List<Object> a = new ArrayList<>();
    for (Ev e : args) {
      a.add(e.eval(row, ctx));
    }
    Tx tx = ctx.tx();
    List<Object[]> out = new ArrayList<>();
    switch (name) {
      case "db.labels":
        for (String l : tx.allLabels()) {
          if (!l.equals(Tx.UNLABELED)) {
            out.add(new Object[] {l});
          }
        }
        return out;
      case "db.relationshiptypes":
        for (String t : tx.allEdgeTypes()) {
          out.add(new Object[] {t});
        }
        return out;
      case "db.propertykeys":
        {
          Set<String> keys = new java.util.TreeSet<>();
          tx.schema().labels().values().forEach(d -> keys.addAll(d.properties().keySet()));
          tx.schema().edgeTypes().values().forEach(d -> keys.addAll(d.properties().keySet()));
          for (String k : keys) {
            out.add(new Object[] {k});
          }
          return out;
        }
      case "db.index.vector.querynodes":
        {
          String index = string(a.get(0), "index name");
          int dot = index.indexOf('.');
          if (dot <= 0) {
            throw CypherException.runtime(
                "ArgumentError",
                "InvalidArgumentValue",
                "the index name is '<Label>.<property>' in NamiDB. index=" + index);
          }
          for (Object[] hit :
              search(tx, index.substring(0, dot), index.substring(dot + 1), a.get(2), a.get(1))) {
            double cosDistance = (Double) hit[1];
            hit[1] = 1.0 - cosDistance / 2.0; // (1 + cos) / 2
            out.add(hit);
          }
          return out;
        }
      case "query_vector_index":
        return search(
            tx, string(a.get(0), "label"), string(a.get(1), "property"), a.get(2), a.get(3));
      default:
        throw CypherException.semantic("ProcedureNotFound", "unknown procedure. procedure=" + name);
    }
  }

  private static List<Object[]> search(
      Tx tx, String label, String property, Object vector, Object k) {
    LabelDef def = tx.schema().labels().get(label);
    if (def == null
        || def.properties().get(property) == null
        || !def.properties().get(property).isVector()) {
      throw CypherException.runtime(
          "ArgumentError",
          "InvalidArgumentValue",
          "no vector property to search. label=" + label + " property=" + property);
    }
    if (!(k instanceof Long kk) || kk <= 0) {
      throw CypherException.runtime(
          "ArgumentError", "InvalidArgumentValue", "k must be a positive integer. k=" + k);
    }
    if (!(vector instanceof List<?> l) || l.isEmpty()) {
      throw CypherException.runtime(
          "ArgumentError",
          "InvalidArgumentValue",
          "the query vector must be a list of numbers, got " + Values.typeName(vector));
    }
    float[] q = new float[l.size()];
    for (int i = 0; i < q.length; i++) {
      if (!(l.get(i) instanceof Number n)) {
        throw CypherException.runtime(
            "ArgumentError", "InvalidArgumentValue", "the query vector holds numbers only");
      }
      q[i] = n.floatValue();
    }
    List<Object[]> out = new ArrayList<>();
    tx.stats().scans++;
    for (ScoredNode s :
        tx.view()
            .vectorSearch(
                label,
                property,
                q,
                (int) Math.min(Integer.MAX_VALUE, kk),
                List.of(),
                GraphView.Metric.COSINE,
                Set.copyOf(def.indexes()))) {
      out.add(new Object[] {new NodeRef(s.node().id(), s.node().props()), s.distance()});
    }
    return out;
  }

  private static String string(Object v, String what) {
    if (v instanceof String s) {
      return s;
    }
    throw CypherException.runtime(
        "ArgumentError",
        "InvalidArgumentValue",
        what + " must be a string, got " + Values.typeName(v));
  }
}
