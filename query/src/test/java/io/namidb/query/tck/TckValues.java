package io.namidb.query.tck;

import io.namidb.query.QueryResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The TCK's notation for expected values ({@code 1}, {@code 'a'}, {@code [1, 2]}, {@code {k: v}},
 * {@code (:L {p: 1})}, {@code [:T {p: 1}]}, {@code <(:A)-[:T]->(:B)>}), parsed into comparable
 * values, and the comparison with our results. A node's {@code key} property is NamiDB's identity,
 * not a TCK property: comparisons leave it out.
 */
final class TckValues {
  private TckValues() {}

  record ExpNode(List<String> labels, Map<String, Object> props) {}

  record ExpRel(String type, Map<String, Object> props) {}

  /** Alternating nodes and relationships; {@code forward.get(i)} tells rel i's direction. */
  record ExpPath(List<Object> elements, List<Boolean> forward) {}

  static Object parse(String text) {
    Parser p = new Parser(text.strip());
    Object v = p.value();
    p.ws();
    if (p.i != p.s.length()) {
      throw new IllegalArgumentException("trailing input in TCK value: " + text);
    }
    return v;
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    boolean peek(String t) {
      ws();
      return s.startsWith(t, i);
    }

    void expect(String t) {
      ws();
      if (!s.startsWith(t, i)) {
        throw new IllegalArgumentException("expected " + t + " at " + i + " in " + s);
      }
      i += t.length();
    }

    Object value() {
      ws();
      if (peek("null")) {
        i += 4;
        return null;
      }
      if (peek("true")) {
        i += 4;
        return true;
      }
      if (peek("false")) {
        i += 5;
        return false;
      }
      if (peek("NaN")) {
        i += 3;
        return Double.NaN;
      }
      if (peek("-Inf")) {
        i += 4;
        return Double.NEGATIVE_INFINITY;
      }
      if (peek("Inf")) {
        i += 3;
        return Double.POSITIVE_INFINITY;
      }
      if (peek("'")) {
        return string();
      }
      if (peek("[:")) {
        return rel();
      }
      if (peek("[")) {
        return list();
      }
      if (peek("{")) {
        return map();
      }
      if (peek("(")) {
        return node();
      }
      if (peek("<")) {
        return path();
      }
      return number();
    }

    String string() {
      expect("'");
      StringBuilder b = new StringBuilder();
      while (s.charAt(i) != '\'') {
        char c = s.charAt(i++);
        if (c == '\\') {
          char n = s.charAt(i++);
          switch (n) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'u' -> {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> b.append(n);
          }
        } else {
          b.append(c);
        }
      }
      i++;
      return b.toString();
    }

    Object number() {
      ws();
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      String t = s.substring(start, i);
      if (t.isEmpty()) {
        throw new IllegalArgumentException("bad TCK value at " + start + " in " + s);
      }
      if (t.contains(".") || t.contains("e") || t.contains("E")) {
        return Double.parseDouble(t);
      }
      return Long.parseLong(t);
    }

    List<Object> list() {
      expect("[");
      List<Object> out = new ArrayList<>();
      if (peek("]")) {
        i++;
        return out;
      }
      while (true) {
        out.add(value());
        if (peek(",")) {
          i++;
          continue;
        }
        expect("]");
        return out;
      }
    }

    String key() {
      ws();
      if (peek("`")) {
        i++;
        int end = s.indexOf('`', i);
        String k = s.substring(i, end);
        i = end + 1;
        return k;
      }
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
      return s.substring(start, i);
    }

    Map<String, Object> map() {
      expect("{");
      Map<String, Object> out = new LinkedHashMap<>();
      if (peek("}")) {
        i++;
        return out;
      }
      while (true) {
        String k = key();
        expect(":");
        out.put(k, value());
        if (peek(",")) {
          i++;
          continue;
        }
        expect("}");
        return out;
      }
    }

    ExpNode node() {
      expect("(");
      List<String> labels = new ArrayList<>();
      while (peek(":")) {
        i++;
        labels.add(key());
      }
      Map<String, Object> props = peek("{") ? map() : Map.of();
      expect(")");
      return new ExpNode(labels, props);
    }

    ExpRel rel() {
      expect("[");
      expect(":");
      String type = key();
      Map<String, Object> props = peek("{") ? map() : Map.of();
      expect("]");
      return new ExpRel(type, props);
    }

    ExpPath path() {
      expect("<");
      List<Object> els = new ArrayList<>();
      List<Boolean> fwd = new ArrayList<>();
      els.add(node());
      while (!peek(">")) {
        boolean back = peek("<-");
        i += back ? 2 : 1;
        ExpRel r = rel();
        boolean forward = peek("->");
        i += forward ? 2 : 1;
        els.add(r);
        fwd.add(!back);
        els.add(node());
      }
      expect(">");
      return new ExpPath(els, fwd);
    }
  }

  // ---- comparison

  static boolean matches(Object expected, Object actual, boolean unorderedLists) {
    if (expected == null || actual == null) {
      return expected == null && actual == null;
    }
    if (expected instanceof Long e) {
      return actual instanceof Long a && e.longValue() == a.longValue();
    }
    if (expected instanceof Double e) {
      if (!(actual instanceof Double a)) {
        return false;
      }
      if (e.isNaN()) {
        return a.isNaN();
      }
      return e.doubleValue() == a.doubleValue()
          || Math.abs(e - a) <= 1e-12 * Math.max(Math.abs(e), Math.abs(a));
    }
    if (expected instanceof String || expected instanceof Boolean) {
      return expected.equals(actual);
    }
    if (expected instanceof List<?> e) {
      if (!(actual instanceof List<?> a) || a.size() != e.size()) {
        return false;
      }
      if (!unorderedLists) {
        for (int k = 0; k < e.size(); k++) {
          if (!matches(e.get(k), a.get(k), false)) {
            return false;
          }
        }
        return true;
      }
      return bagMatches(new ArrayList<Object>(e), new ArrayList<Object>(a), true);
    }
    if (expected instanceof Map<?, ?> e) {
      if (!(actual instanceof Map<?, ?> a) || !a.keySet().equals(e.keySet())) {
        return false;
      }
      for (Map.Entry<?, ?> x : e.entrySet()) {
        if (!matches(x.getValue(), a.get(x.getKey()), unorderedLists)) {
          return false;
        }
      }
      return true;
    }
    if (expected instanceof ExpNode e) {
      if (!(actual instanceof QueryResult.Node a)) {
        return false;
      }
      List<String> labels = a.label() == null ? List.of() : List.of(a.label());
      return new java.util.HashSet<>(labels).equals(new java.util.HashSet<>(e.labels()))
          && matches(e.props(), a.props(), unorderedLists);
    }
    if (expected instanceof ExpRel e) {
      return actual instanceof QueryResult.Relationship a
          && a.type().equals(e.type())
          && matches(e.props(), a.props(), unorderedLists);
    }
    if (expected instanceof ExpPath e) {
      if (!(actual instanceof QueryResult.Path a) || a.elements().size() != e.elements().size()) {
        return false;
      }
      for (int k = 0; k < e.elements().size(); k++) {
        if (!matches(e.elements().get(k), a.elements().get(k), unorderedLists)) {
          return false;
        }
        if (k % 2 == 1) {
          QueryResult.Relationship r = (QueryResult.Relationship) a.elements().get(k);
          QueryResult.Node before = (QueryResult.Node) a.elements().get(k - 1);
          boolean forward =
              Objects.equals(r.from().key(), before.key())
                  && Objects.equals(r.from().label(), before.label());
          if (forward != e.forward().get(k / 2)) {
            return false;
          }
        }
      }
      return true;
    }
    return false;
  }

  /** Whether the two collections hold matching elements, each used once. */
  static boolean bagMatches(List<Object> expected, List<Object> actual, boolean unorderedLists) {
    if (expected.size() != actual.size()) {
      return false;
    }
    List<Object> left = new ArrayList<>(actual);
    for (Object e : expected) {
      int found = -1;
      for (int k = 0; k < left.size(); k++) {
        if (matches(e, left.get(k), unorderedLists)) {
          found = k;
          break;
        }
      }
      if (found < 0) {
        return false;
      }
      left.remove(found);
    }
    return true;
  }

  /** A readable form of an actual value, in TCK notation. */
  static String show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(x -> parts.add(show(x)));
      return "[" + String.join(", ", parts) + "]";
    }
    if (v instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, x) -> parts.add(k + ": " + show(x)));
      return "{" + String.join(", ", parts) + "}";
    }
    if (v instanceof QueryResult.Node n) {
      return "(" + (n.label() == null ? "" : ":" + n.label()) + " " + show(n.props()) + ")";
    }
    if (v instanceof QueryResult.Relationship r) {
      return "[:" + r.type() + " " + show(r.props()) + "]";
    }
    if (v instanceof QueryResult.Path p) {
      return "<" + show(p.elements()) + ">";
    }
    return String.valueOf(v);
  }

  static final Comparator<String> BY_TEXT = Comparator.naturalOrder();
}
