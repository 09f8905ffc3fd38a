package io.namidb.query.plan;

import io.namidb.query.eval.Ctx;
import io.namidb.query.eval.Scope;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.LongSupplier;

/**
 * A physical operator: pulls rows from its children and yields rows of its {@link #scope()}. Rows
 * are produced lazily, so a LIMIT above stops the work below it. With profiling on, each operator
 * counts its rows and the object-store GETs made while it was producing them.
 */
public abstract class Op {
  private final Scope scope;
  private final List<Op> children;
  long rows;
  long getsInclusive;

  protected Op(Scope scope, List<Op> children) {
    this.scope = scope;
    this.children = List.copyOf(children);
  }

  public Scope scope() {
    return scope;
  }

  public List<Op> children() {
    return children;
  }

  /** One line for EXPLAIN: the operator and its arguments. */
  public abstract String describe();

  /**
   * Whether the whole plan under this operator does a small, bounded amount of work (a count of one
   * or two hops from one node through the adjacency index), so the engine may run it on the
   * caller's thread: handing it to the query executor would cost more than the query. False unless
   * an operator knows better.
   */
  public boolean boundedWork() {
    return false;
  }

  /** The rows, lazily. */
  protected abstract Iterator<Object[]> rows(Ctx ctx);

  /** Opens the operator; {@code gets} counts object-store GETs when profiling, else null. */
  public final Iterator<Object[]> open(Ctx ctx, LongSupplier gets) {
    if (gets == null) {
      return rows(ctx);
    }
    Iterator<Object[]> inner = rows(ctx);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        long before = gets.getAsLong();
        try {
          return inner.hasNext();
        } finally {
          getsInclusive += gets.getAsLong() - before;
        }
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        long before = gets.getAsLong();
        try {
          Object[] r = inner.next();
          rows++;
          return r;
        } finally {
          getsInclusive += gets.getAsLong() - before;
        }
      }
    };
  }

  /** Rows produced while profiling. */
  public long profiledRows() {
    return rows;
  }

  /** GETs made by this operator itself (children's not included). */
  public long profiledGets() {
    long own = getsInclusive;
    for (Op c : children) {
      own -= c.getsInclusive;
    }
    return Math.max(0, own);
  }

  /** Opens a child under the same profiling as this run. */
  protected static Iterator<Object[]> child(Op child, Ctx ctx) {
    return child.open(ctx, ctx.profileGets());
  }
}
