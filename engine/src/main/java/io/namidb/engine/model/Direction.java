package io.namidb.engine.model;

import io.namidb.engine.NamiException;
import java.util.Locale;

/** Which edges of a node: those leaving it, those arriving, or both. */
public enum Direction {
  OUT,
  IN,
  BOTH;

  /** Parses {@code out|in|both} (any case). */
  public static Direction parse(String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new NamiException(
          NamiException.Kind.INVALID_INPUT,
          "direction must be out, in or both. direction=" + value);
    }
  }
}
