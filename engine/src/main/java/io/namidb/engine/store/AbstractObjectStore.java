package io.namidb.engine.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The part every store shares: argument checks (keys, prefixes, ranges) and the {@link StoreStats}
 * counters, so that implementations only talk to their backend and all of them count alike.
 * Subclasses implement the {@code do*} methods, which receive checked arguments.
 */
public abstract class AbstractObjectStore implements ObjectStore {
  private final StoreStats stats = new StoreStats();

  protected AbstractObjectStore() {}

  @Override
  public final void putIfAbsent(String key, byte[] data) {
    Keys.checkKey(key);
    Objects.requireNonNull(data, "data");
    count(StoreOp.PUT_IF_ABSENT);
    try {
      doPutIfAbsent(key, data);
    } catch (ObjectStoreException e) {
      throw failed(StoreOp.PUT_IF_ABSENT, e);
    }
    stats.recordBytes(StoreOp.PUT_IF_ABSENT, data.length);
  }

  @Override
  public final void put(String key, byte[] data) {
    Keys.checkKey(key);
    Objects.requireNonNull(data, "data");
    count(StoreOp.PUT);
    try {
      doPut(key, data);
    } catch (ObjectStoreException e) {
      throw failed(StoreOp.PUT, e);
    }
    stats.recordBytes(StoreOp.PUT, data.length);
  }

  @Override
  public final byte[] get(String key) {
    Keys.checkKey(key);
    count(StoreOp.GET);
    byte[] data;
    try {
      data = doGet(key);
    } catch (ObjectStoreException e) {
      throw failed(StoreOp.GET, e);
    }
    stats.recordBytes(StoreOp.GET, data.length);
    return data;
  }

  @Override
  public final byte[] getRange(String key, long offset, int length) {
    Keys.checkKey(key);
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "invalid range: offset and length must be >= 0. offset="
              + offset
              + " length="
              + length
              + " key="
              + key);
    }
    count(StoreOp.GET_RANGE);
    byte[] data;
    try {
      data = doGetRange(key, offset, length);
    } catch (ObjectStoreException e) {
      throw failed(StoreOp.GET_RANGE, e);
    }
    stats.recordBytes(StoreOp.GET_RANGE, data.length);
    return data;
  }

  @Override
  public final Optional<ObjectInfo> head(String key) {
    Keys.checkKey(key);
    count(StoreOp.HEAD);
    try {
      return Objects.requireNonNull(doHead(key));
    } catch (ObjectStoreException e) {
      throw failed(StoreOp.HEAD, e);
    }
  }

  @Override
  public final List<ObjectInfo> list(String prefix) {
    Keys.checkPrefix(prefix);
    count(StoreOp.LIST);
    try {
      return List.copyOf(doList(prefix));
    } catch (ObjectStoreException e) {
      throw failed(StoreOp.LIST, e);
    }
  }

  @Override
  public final void delete(String key) {
    Keys.checkKey(key);
    count(StoreOp.DELETE);
    try {
      doDelete(key);
    } catch (ObjectStoreException e) {
      throw failed(StoreOp.DELETE, e);
    }
  }

  @Override
  public final StoreStats stats() {
    return stats;
  }

  /** Creates {@code key} or throws {@link ObjectExistsException}; never replaces. */
  protected abstract void doPutIfAbsent(String key, byte[] data);

  /** Creates or atomically replaces {@code key}. */
  protected abstract void doPut(String key, byte[] data);

  /** The whole object, or {@link ObjectNotFoundException}. */
  protected abstract byte[] doGet(String key);

  /** The range, {@code offset >= 0} and {@code length >= 0} already checked. */
  protected abstract byte[] doGetRange(String key, long offset, int length);

  protected abstract Optional<ObjectInfo> doHead(String key);

  /** Objects under {@code prefix} in {@link Keys#UTF8_ORDER}. */
  protected abstract List<ObjectInfo> doList(String prefix);

  protected abstract void doDelete(String key);

  private void count(StoreOp op) {
    stats.recordCall(op);
  }

  private ObjectStoreException failed(StoreOp op, ObjectStoreException e) {
    stats.recordError(op);
    return e;
  }

  /** The key order every listing uses: ascending UTF-8 bytes. */
  protected static int compareKeys(String a, String b) {
    return Keys.compareUtf8(a, b);
  }
}
