package io.namidb.query.eval;

/** A compiled expression: its value for a row of the scope it was compiled against. */
@FunctionalInterface
public interface Ev {
  Object eval(Object[] row, Ctx ctx);
}
