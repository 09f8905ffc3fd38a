package io.namidb.query.ast;

import java.util.List;

/**
 * A parsed statement: one single query, or single queries joined by UNION ({@code all.get(i)} tells
 * whether the i-th UNION is UNION ALL), optionally prefixed by EXPLAIN or PROFILE.
 */
public record Statement(List<List<Clause>> queries, List<Boolean> all, Mode mode) {

  /** How the statement is run. */
  public enum Mode {
    RUN,
    EXPLAIN,
    PROFILE
  }

  public Statement {
    queries = List.copyOf(queries);
    all = List.copyOf(all);
  }

  /** The same statement run in another mode. */
  public Statement withMode(Mode m) {
    return new Statement(queries, all, m);
  }
}
