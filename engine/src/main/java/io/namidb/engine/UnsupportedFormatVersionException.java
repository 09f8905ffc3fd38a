package io.namidb.engine;

/** A stored object carries a format version this build cannot read (too old or too new). */
public class UnsupportedFormatVersionException extends NamiException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFormatVersionException(
      String format, String object, int found, int min, int max) {
    super(
        Kind.CORRUPT,
        "unsupported "
            + format
            + " format version"
            + (found > max ? " (written by a newer NamiDB)" : " (too old)")
            + ". object="
            + object
            + " version="
            + found
            + " supported="
            + min
            + ".."
            + max);
  }
}
