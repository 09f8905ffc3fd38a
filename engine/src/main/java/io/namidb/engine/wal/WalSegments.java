package io.namidb.engine.wal;

import io.namidb.engine.NamiException;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;

/** Questions about WAL objects asked by GC and purge. */
public final class WalSegments {
  /** Fence segments are a header and a footer; data segments are larger. */
  private static final long FENCE_MAX_BYTES = 512;

  private WalSegments() {}

  /**
   * Whether the WAL object is a fence segment. Only small objects are read; one that cannot be read
   * or decoded counts as a fence, so it is kept.
   */
  public static boolean isFence(ObjectStore store, ObjectInfo info) {
    if (info.size() > FENCE_MAX_BYTES) {
      return false;
    }
    try {
      return WalSegment.decode(store.location() + "/" + info.key(), store.get(info.key())).kind()
          == WalSegment.Kind.FENCE;
    } catch (NamiException e) {
      return true;
    }
  }
}
