package io.namidb.query.ast;

import java.util.List;

/** Clauses of a single query, in the order written. */
public sealed interface Clause {

  /** {@code [OPTIONAL] MATCH pattern, ... [WHERE pred]}. */
  record Match(boolean optional, List<Pattern.Part> patterns, Expr where) implements Clause {}

  /** {@code UNWIND list AS variable}. */
  record Unwind(Expr list, String variable) implements Clause {}

  /** {@code expression [AS alias]}; {@code text} is the expression as written (the column name). */
  record ReturnItem(Expr expression, String alias, String text) {}

  /** {@code expression [ASC|DESC]}. */
  record SortItem(Expr expression, boolean descending) {}

  /** The body shared by WITH and RETURN. */
  record Projection(
      boolean distinct,
      boolean star,
      List<ReturnItem> items,
      List<SortItem> orderBy,
      Expr skip,
      Expr limit) {}

  /** {@code WITH projection [WHERE pred]}. */
  record With(Projection projection, Expr where) implements Clause {}

  /** {@code RETURN projection}. */
  record Return(Projection projection) implements Clause {}

  /** {@code CREATE pattern, ...}. */
  record Create(List<Pattern.Part> patterns) implements Clause {}

  /** {@code MERGE pattern [ON CREATE SET ...] [ON MATCH SET ...]}. */
  record Merge(Pattern.Part pattern, List<SetItem> onCreate, List<SetItem> onMatch)
      implements Clause {}

  /** Items of SET (and of MERGE's ON CREATE / ON MATCH). */
  sealed interface SetItem {}

  /** {@code target.key = value}. */
  record SetProperty(Expr target, String key, Expr value) implements SetItem {}

  /** {@code v = map} ({@code merge}: {@code v += map}). */
  record SetAll(String variable, Expr value, boolean merge) implements SetItem {}

  /** {@code v:A:B}. */
  record SetLabels(String variable, List<String> labels) implements SetItem {}

  /** {@code SET item, ...}. */
  record Set(List<SetItem> items) implements Clause {}

  /** Items of REMOVE. */
  sealed interface RemoveItem {}

  /** {@code target.key}. */
  record RemoveProperty(Expr target, String key) implements RemoveItem {}

  /** {@code v:A:B}. */
  record RemoveLabels(String variable, List<String> labels) implements RemoveItem {}

  /** {@code REMOVE item, ...}. */
  record Remove(List<RemoveItem> items) implements Clause {}

  /** {@code [DETACH] DELETE expr, ...}. */
  record Delete(boolean detach, List<Expr> targets) implements Clause {}

  /** A result column of CALL ... YIELD: the procedure's field and the variable it binds. */
  record YieldItem(String field, String variable) {}

  /**
   * {@code CALL ns.name(args) [YIELD ...] [WHERE ...]}; {@code yields} null when there is no YIELD
   * (a standalone call returns every field).
   */
  record Call(String name, List<Expr> args, List<YieldItem> yields, boolean yieldAll, Expr where)
      implements Clause {}

  /** A construct the parser accepts but NamiDB does not run (FOREACH, CALL {...}, ...). */
  record Unsupported(String construct) implements Clause {}
}
