package io.namidb.engine.store;

import io.namidb.engine.NamiException;

/** The key names no object. */
public class ObjectNotFoundException extends NamiException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ObjectNotFoundException(String location, String key) {
    super(Kind.NOT_FOUND, "object not found. location=" + location + " key=" + key);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
