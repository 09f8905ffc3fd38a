package io.namidb.engine;

/** A stored object fails its format checks (magic, length, checksum). Names the object. */
public class CorruptObjectException extends NamiException {
  private static final long serialVersionUID = 1L;

  public CorruptObjectException(String message) {
    super(Kind.CORRUPT, message);
  }

  public CorruptObjectException(String message, Throwable cause) {
    super(Kind.CORRUPT, message, cause);
  }
}
