package io.namidb.engine.graph;

import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Forwards to a store, running a test's hook before each create-if-absent (key passed in). */
final class HookedStore implements ObjectStore {
  private final ObjectStore delegate;
  private volatile Consumer<String> beforePutIfAbsent = key -> {};
  private volatile Consumer<String> beforeDelete = key -> {};
  private volatile boolean remote;

  HookedStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  /** From now on says its PUTs are not local, as a remote store's (S3) are not. */
  HookedStore remote() {
    this.remote = true;
    return this;
  }

  void beforePutIfAbsent(Consumer<String> hook) {
    this.beforePutIfAbsent = hook;
  }

  void beforeDelete(Consumer<String> hook) {
    this.beforeDelete = hook;
  }

  @Override
  public void putIfAbsent(String key, byte[] data) {
    beforePutIfAbsent.accept(key);
    delegate.putIfAbsent(key, data);
  }

  @Override
  public void put(String key, byte[] data) {
    delegate.put(key, data);
  }

  @Override
  public byte[] get(String key) {
    return delegate.get(key);
  }

  @Override
  public byte[] getRange(String key, long offset, int length) {
    return delegate.getRange(key, offset, length);
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    return delegate.head(key);
  }

  @Override
  public List<ObjectInfo> list(String prefix) {
    return delegate.list(prefix);
  }

  @Override
  public void delete(String key) {
    beforeDelete.accept(key);
    delegate.delete(key);
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public boolean putsAreLocal() {
    return !remote && delegate.putsAreLocal();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
