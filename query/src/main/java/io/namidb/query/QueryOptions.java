package io.namidb.query;

import java.time.Duration;

/**
 * Guard rails of one query.
 *
 * @param timeout the query fails with {@code query_timeout} (HTTP 503) past this; its thread stops
 *     at its next check, the commit path is never blocked by it
 * @param maxRows most rows a result may have ({@code query_too_large} beyond)
 * @param maxHeldRows most rows the query may hold in memory at once in sorts, aggregations,
 *     DISTINCT and the inputs of writing clauses (the memory bound)
 */
public record QueryOptions(Duration timeout, long maxRows, long maxHeldRows) {

  public QueryOptions {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (maxRows <= 0 || maxHeldRows <= 0) {
      throw new IllegalArgumentException("row limits must be positive");
    }
  }

  /** 30 s, 100,000 result rows, 1,000,000 held rows. */
  public static QueryOptions defaults() {
    return new QueryOptions(Duration.ofSeconds(30), 100_000, 1_000_000);
  }

  public QueryOptions withTimeout(Duration t) {
    return new QueryOptions(t, maxRows, maxHeldRows);
  }

  public QueryOptions withMaxRows(long n) {
    return new QueryOptions(timeout, n, maxHeldRows);
  }

  public QueryOptions withMaxHeldRows(long n) {
    return new QueryOptions(timeout, maxRows, n);
  }
}
