package io.namidb.engine.sst;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Supplier;

/**
 * Decoded SST parts (a node SST's row group as a key map, an edge SST's block as adjacency lists),
 * shared by every reader of a namespace and bounded by an estimate of their heap size. SSTs are
 * immutable, so entries never go stale. Warm point reads and one-hops then cost a hash lookup
 * instead of decoding a row group or block again.
 */
public final class DecodedCache {
  /** A cache that keeps nothing: every read decodes. */
  public static final DecodedCache NONE = new DecodedCache(0);

  private record Key(String object, int part) {}

  private record Entry(Object value, int weight) {}

  private final Cache<Key, Entry> cache;

  public DecodedCache(long maxBytes) {
    this.cache =
        maxBytes <= 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key k, Entry e) -> e.weight())
                .build();
  }

  /** A value that weighs {@code weight} bytes, loaded once per (object, part). */
  public record Weighed<T>(T value, int weight) {}

  @SuppressWarnings("unchecked")
  <T> T get(String object, int part, Supplier<Weighed<T>> loader) {
    if (cache == null) {
      return loader.get().value();
    }
    return (T)
        cache
            .get(
                new Key(object, part),
                k -> {
                  Weighed<T> w = loader.get();
                  return new Entry(w.value(), w.weight());
                })
            .value();
  }
}
