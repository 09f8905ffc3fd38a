package io.namidb.engine;

/**
 * The one public error type of the engine. Callers switch on {@link #kind()}; the HTTP layer maps
 * kinds to status codes in one place. Subclasses carry the specific cause (a fenced writer, a
 * corrupt object, a create-if-absent collision, ...).
 *
 * <p>Messages are lowercase-first, name the thing and give values as {@code key=value}: {@code
 * manifest version exists. namespace=tenant-acme version=42}.
 */
public class NamiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What a caller can do about an error. */
  public enum Kind {
    /** Bad configuration (URI, credentials, a store that breaks the contract). Fix and restart. */
    CONFIGURATION,
    /** The request itself is wrong. Fix the input. */
    INVALID_INPUT,
    /** The request is larger than this writer accepts (a batch over its size limit). */
    TOO_LARGE,
    /** The thing asked for does not exist. */
    NOT_FOUND,
    /** Conflicts with the current state (schema change, non-empty restore target, ...). */
    CONFLICT,
    /** Another writer owns the namespace; this one must stop writing. */
    FENCED,
    /** A passing failure (network, throttling). Retrying later may succeed. */
    TRANSIENT,
    /** Stored data is damaged or unreadable: report, never hide. */
    CORRUPT,
    /** A bug or an unexpected state. */
    INTERNAL
  }

  private final Kind kind;

  public NamiException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public NamiException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
