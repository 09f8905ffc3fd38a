package io.namidb.engine.store;

import io.namidb.engine.NamiException;

/** A failure of the object store other than a missing or already existing key. */
public class ObjectStoreException extends NamiException {
  private static final long serialVersionUID = 1L;

  public ObjectStoreException(Kind kind, String message, Throwable cause) {
    super(kind, message, cause);
  }

  public ObjectStoreException(Kind kind, String message) {
    super(kind, message);
  }
}
