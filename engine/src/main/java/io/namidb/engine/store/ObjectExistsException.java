package io.namidb.engine.store;

import io.namidb.engine.NamiException;

/** {@link ObjectStore#putIfAbsent} found the key taken (S3: 412 Precondition Failed). */
public class ObjectExistsException extends NamiException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ObjectExistsException(String location, String key) {
    super(Kind.CONFLICT, "object exists. location=" + location + " key=" + key);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
