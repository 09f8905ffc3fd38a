package io.namidb.query.ast;

import java.util.List;

/**
 * Expressions of the Cypher subset, as the parser builds them. Records compare by structure, which
 * the planner uses to recognise a grouping key or an ORDER BY item that repeats a projected
 * expression.
 */
public sealed interface Expr {

  /** A constant: null, Boolean, Long, Double or String. */
  record Literal(Object value) implements Expr {}

  /** {@code $name}. */
  record Param(String name) implements Expr {}

  /** A variable. */
  record Var(String name) implements Expr {}

  /** {@code target.key}. */
  record Property(Expr target, String key) implements Expr {}

  /** {@code target[index]}: list index or dynamic map/property key. */
  record Subscript(Expr target, Expr index) implements Expr {}

  /** {@code target[from..to]}; either bound may be null. */
  record Slice(Expr target, Expr from, Expr to) implements Expr {}

  /** {@code [a, b, ...]}. */
  record ListLit(List<Expr> items) implements Expr {}

  /** {@code {k: v, ...}}, keys in written order. */
  record MapLit(List<String> keys, List<Expr> values) implements Expr {}

  /** Operators with one operand. */
  enum UnaryOp {
    NOT,
    MINUS,
    PLUS
  }

  record Unary(UnaryOp op, Expr operand) implements Expr {}

  /** Operators with two operands. */
  enum BinaryOp {
    OR,
    XOR,
    AND,
    EQ,
    NEQ,
    LT,
    GT,
    LE,
    GE,
    ADD,
    SUB,
    MUL,
    DIV,
    MOD,
    POW,
    IN,
    STARTS_WITH,
    ENDS_WITH,
    CONTAINS,
    REGEX
  }

  record Binary(BinaryOp op, Expr left, Expr right) implements Expr {}

  /** {@code e IS NULL} ({@code negated}: IS NOT NULL). */
  record IsNull(Expr operand, boolean negated) implements Expr {}

  /** {@code n:A:B} as a predicate. */
  record HasLabels(Expr target, List<String> labels) implements Expr {}

  /** A function call; {@code count(*)} is {@link CountStar}. */
  record Call(String name, boolean distinct, List<Expr> args) implements Expr {}

  /** {@code count(*)}. */
  record CountStar() implements Expr {}

  /** {@code CASE [test] WHEN .. THEN .. [ELSE ..] END}; {@code test} null for the generic form. */
  record Case(Expr test, List<Expr> whens, List<Expr> thens, Expr otherwise) implements Expr {}

  /** {@code [v IN list WHERE pred | projection]}; where and projection may be null. */
  record ListComprehension(String variable, Expr list, Expr where, Expr projection)
      implements Expr {}

  /** {@code [path = pattern WHERE pred | projection]}. */
  record PatternComprehension(
      String pathVariable, Pattern.Part pattern, Expr where, Expr projection) implements Expr {}

  /** {@code all|any|none|single(v IN list WHERE pred)}. */
  enum Quantifier {
    ALL,
    ANY,
    NONE,
    SINGLE
  }

  record Quantified(Quantifier quantifier, String variable, Expr list, Expr where)
      implements Expr {}

  /** {@code reduce(acc = init, v IN list | expr)}. */
  record Reduce(String accumulator, Expr init, String variable, Expr list, Expr expression)
      implements Expr {}

  /** A pattern used as a predicate ({@code WHERE (a)-->(b)}): true when it has a match. */
  record PatternPredicate(Pattern.Part pattern) implements Expr {}

  /** {@code EXISTS { MATCH ... }} and friends: not supported, kept to name the construct. */
  record Unsupported(String construct) implements Expr {}

  /** One item of a map projection {@code n {.a, b: expr, .*}}. */
  record MapProjectionItem(String key, Expr value, boolean allProperties) {}

  /** {@code n {.a, .b, x: expr, .*}}. */
  record MapProjection(String variable, List<MapProjectionItem> items) implements Expr {}
}
