package io.namidb.query.eval;

import io.namidb.query.CypherException;
import io.namidb.query.graph.Tx;
import java.util.Map;

/**
 * What a running query shares: its transaction, parameters and guard rails. {@link #tick} is called
 * per row by the operators; every 256th call checks the deadline and cancellation.
 */
public final class Ctx {
  private final Tx tx;
  private final Map<String, Object> params;
  private final long deadlineNanos;
  private final long maxHeldRows;
  private volatile boolean cancelled;
  private long ticks;
  private long heldRows;
  private java.util.function.LongSupplier profileGets;
  private java.time.Instant now;

  public Ctx(Tx tx, Map<String, Object> params, long deadlineNanos, long maxHeldRows) {
    this.tx = tx;
    this.params = params;
    this.deadlineNanos = deadlineNanos;
    this.maxHeldRows = maxHeldRows;
  }

  public Tx tx() {
    return tx;
  }

  /** A parameter's value; a missing one is an error. */
  public Object param(String name) {
    if (!params.containsKey(name)) {
      throw CypherException.parameterMissing(name);
    }
    return params.get(name);
  }

  public Map<String, Object> params() {
    return params;
  }

  /**
   * The query's clock: the time of the first call, the same for the rest of the query (so {@code
   * date()} is one day however long it runs, as Cypher's statement clock).
   */
  public java.time.Instant now() {
    if (now == null) {
      now = java.time.Instant.now();
    }
    return now;
  }

  /** Turns on PROFILE: operators count rows and the GETs {@code gets} reports. */
  public void profile(java.util.function.LongSupplier gets) {
    this.profileGets = gets;
  }

  /** The GET counter while profiling, else null. */
  public java.util.function.LongSupplier profileGets() {
    return profileGets;
  }

  /** Stops the query at its next check. */
  public void cancel() {
    cancelled = true;
  }

  /** Counts one unit of work; now and then checks time and cancellation. */
  public void tick() {
    if ((++ticks & 0xFF) == 0) {
      check();
    }
  }

  /** Checks time and cancellation now. */
  public void check() {
    if (cancelled) {
      throw CypherException.timeout("query cancelled: it ran past its time limit");
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      cancelled = true;
      throw CypherException.timeout("query ran past its time limit");
    }
  }

  /**
   * Accounts for rows an operator holds in memory (sort, aggregation, DISTINCT, eager write steps);
   * past the query's bound the query fails instead of exhausting the heap.
   */
  public void hold(long rows) {
    heldRows += rows;
    if (heldRows > maxHeldRows) {
      throw CypherException.tooLarge(
          "query holds too many rows in memory. heldRows="
              + heldRows
              + " limit="
              + maxHeldRows
              + " (narrow the query, or add LIMIT)");
    }
  }

  /** Rows no longer held. */
  public void release(long rows) {
    heldRows -= rows;
  }
}
