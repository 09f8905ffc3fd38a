package io.namidb.query.eval;

import io.namidb.query.CypherException;
import java.util.ArrayList;
import java.util.List;

/**
 * The variables a row holds, by slot. Immutable: {@link #with} makes a wider scope. Names the
 * planner makes for anonymous pattern elements start with a space, so no query can name them.
 */
public final class Scope {
  private final List<String> names;

  public Scope(List<String> names) {
    this.names = List.copyOf(names);
  }

  public static Scope empty() {
    return new Scope(List.of());
  }

  public int size() {
    return names.size();
  }

  public List<String> names() {
    return names;
  }

  /** Variables a query can name (without the planner's hidden ones). */
  public List<String> visible() {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (!isHidden(n)) {
        out.add(n);
      }
    }
    return out;
  }

  public static boolean isHidden(String name) {
    return name.startsWith(" ");
  }

  public boolean has(String name) {
    return names.lastIndexOf(name) >= 0;
  }

  /** Slot of a variable (the last one of that name), or -1. */
  public int slotOrMinus(String name) {
    return names.lastIndexOf(name);
  }

  /** Slot of a variable that must exist. */
  public int slot(String name) {
    int s = names.lastIndexOf(name);
    if (s < 0) {
      throw CypherException.semantic("UndefinedVariable", "variable not defined. variable=" + name);
    }
    return s;
  }

  /** This scope plus one variable at the end. */
  public Scope with(String name) {
    List<String> n = new ArrayList<>(names);
    n.add(name);
    return new Scope(n);
  }

  /** A copy of {@code row} one slot wider. */
  public static Object[] widen(Object[] row, int size) {
    Object[] out = new Object[size];
    System.arraycopy(row, 0, out, 0, Math.min(row.length, size));
    return out;
  }
}
