package io.namidb.query.ast;

import java.util.LinkedHashSet;
import java.util.List;

/** Graph patterns: {@code p = (a:L {k: v})-[r:T*1..3]->(b)}. */
public final class Pattern {
  private Pattern() {}

  /** Which way a relationship pattern points. */
  public enum Dir {
    OUT,
    IN,
    BOTH
  }

  /**
   * {@code (var:Label {props})}; {@code props} is a map literal, a parameter or null; {@code where}
   * an inline predicate or null.
   */
  public record NodePat(String variable, List<String> labels, Expr props, Expr where) {}

  /**
   * A relationship pattern. {@code types} are alternatives ({@code :A|B}); empty means any. {@code
   * minHops}/{@code maxHops} are null for a single hop; for {@code *} they are 1 and null
   * (unbounded). A type named twice ({@code :T|T}) is one alternative: each relationship matches
   * once.
   */
  public record RelPat(
      String variable,
      List<String> types,
      Dir direction,
      Expr props,
      boolean varLength,
      Integer minHops,
      Integer maxHops) {
    public RelPat {
      types = List.copyOf(new LinkedHashSet<>(types));
    }
  }

  /**
   * One path of a pattern: nodes and the relationships between them ({@code rels.size() ==
   * nodes.size() - 1}), optionally named ({@code p = ...}).
   */
  public record Part(
      String pathVariable, List<NodePat> nodes, List<RelPat> rels, String shortest) {}
}
