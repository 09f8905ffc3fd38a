package io.namidb.writer.cli;

import io.namidb.query.QueryJson;
import io.namidb.query.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A query result as a text table, as the shell and {@code nami query --format table} print it. */
final class ResultTable {
  private ResultTable() {}

  static String render(QueryResult r) {
    List<List<String>> cells = new ArrayList<>();
    for (List<Object> row : r.rows()) {
      List<String> line = new ArrayList<>();
      for (Object v : row) {
        line.add(cell(v));
      }
      cells.add(line);
    }
    int n = r.columns().size();
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = r.columns().get(i).length();
      for (List<String> line : cells) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    if (n > 0) {
      line(b, width);
      row(b, r.columns(), width);
      line(b, width);
      for (List<String> line : cells) {
        row(b, line, width);
      }
      line(b, width);
    }
    b.append(r.rows().size()).append(r.rows().size() == 1 ? " row" : " rows");
    StringBuilder written = new StringBuilder();
    for (Map.Entry<String, Object> e : r.stats().entrySet()) {
      if (e.getValue() instanceof Long l && l > 0 && !e.getKey().equals("lsn")) {
        written.append(written.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(l);
      }
    }
    if (written.length() > 0) {
      b.append("; ").append(written);
    }
    b.append('\n');
    if (r.plan() != null) {
      plan(b, r.plan(), 0);
    }
    return b.toString();
  }

  private static void plan(StringBuilder b, QueryResult.PlanNode p, int depth) {
    b.append("  ".repeat(depth)).append(p.operator());
    if (p.rows() != null) {
      b.append("  rows=").append(p.rows()).append(" gets=").append(p.gets());
    }
    b.append('\n');
    for (QueryResult.PlanNode c : p.children()) {
      plan(b, c, depth + 1);
    }
  }

  /** One value as text: strings bare, everything else as its JSON. */
  static String cell(Object v) {
    if (v instanceof String s) {
      return s;
    }
    return QueryJson.value(v).toString();
  }

  private static void line(StringBuilder b, int[] width) {
    b.append('+');
    for (int w : width) {
      b.append("-".repeat(w + 2)).append('+');
    }
    b.append('\n');
  }

  private static void row(StringBuilder b, List<String> cells, int[] width) {
    b.append('|');
    for (int i = 0; i < width.length; i++) {
      String c = cells.get(i);
      b.append(' ').append(c).append(" ".repeat(width[i] - c.length())).append(" |");
    }
    b.append('\n');
  }
}
