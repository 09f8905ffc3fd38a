package io.namidb.engine.store;

/**
 * The operations of an {@link ObjectStore}, as counted by {@link StoreStats} and faulted by tests.
 */
public enum StoreOp {
  PUT_IF_ABSENT,
  PUT,
  GET,
  GET_RANGE,
  HEAD,
  LIST,
  DELETE;

  /** Whether the operation writes (and so counts bytes written rather than read). */
  public boolean isWrite() {
    return this == PUT_IF_ABSENT || this == PUT;
  }
}
