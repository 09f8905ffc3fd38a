package io.namidb.engine.sst;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.namidb.engine.store.ObjectStore;
import java.util.Arrays;

/**
 * Caches SST bytes read from the object store: ranges (blocks, footers, Parquet pages) in memory,
 * bounded by bytes (Caffeine, W-TinyLFU eviction). SSTs are immutable, so entries never go stale;
 * an object's entries die with it by eviction.
 */
public final class SstCache {
  private record RangeKey(String object, long offset, int length) {}

  private final Cache<RangeKey, byte[]> ranges;

  public SstCache(long maxBytes) {
    this.ranges =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((RangeKey k, byte[] v) -> v.length + 64)
            .build();
  }

  /** A {@link RangeSource} for {@code key} (of {@code size} bytes) that goes through this cache. */
  public RangeSource source(ObjectStore store, String key, long size) {
    return new RangeSource() {
      @Override
      public byte[] read(long offset, int length) {
        int clipped = (int) Math.min(length, size - offset);
        if (clipped <= 0) {
          return new byte[0];
        }
        return ranges.get(
            new RangeKey(key, offset, clipped), k -> store.getRange(key, offset, clipped));
      }

      @Override
      public long size() {
        return size;
      }
    };
  }

  /** A source over bytes already in hand (a freshly written SST), also cached under its key. */
  public RangeSource source(String key, byte[] bytes) {
    return new RangeSource() {
      @Override
      public byte[] read(long offset, int length) {
        int end = (int) Math.min(bytes.length, offset + length);
        return Arrays.copyOfRange(bytes, (int) offset, end);
      }

      @Override
      public long size() {
        return bytes.length;
      }
    };
  }

  public long estimatedBytes() {
    return ranges.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }
}
