package io.namidb.engine.graph;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.sst.EdgeSstReader;
import io.namidb.engine.sst.NodeSstReader;
import io.namidb.engine.sst.SstCache;
import io.namidb.engine.sst.SstNames;
import io.namidb.engine.sst.VectorIndex;
import io.namidb.engine.store.ObjectNotFoundException;
import io.namidb.engine.store.ObjectStore;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opened SST readers (footers, indexes and bloom filters parsed), shared by every snapshot of a
 * namespace, plus the byte-range cache beneath them.
 */
public final class SstReaders {
  private final ObjectStore store;
  private final long cacheBytes;
  private final SstCache cache;
  private final io.namidb.engine.sst.DecodedCache decoded;
  private final Cache<String, Object> readers = Caffeine.newBuilder().maximumSize(4096).build();

  /**
   * Loaded vector indexes by object key, weighed by heap, within {@link #cacheBytes} beside the
   * caches above.
   */
  private final Cache<String, VectorIndex> vectorIndexes;

  /**
   * Index keys found absent (not built yet, SST small or older than indexes): not asked for again
   * for {@link #MISSING_RECHECK}, unless this process's writer built it ({@link
   * #vectorIndexWritten}).
   */
  private final Cache<String, Boolean> missing =
      Caffeine.newBuilder().expireAfterWrite(MISSING_RECHECK).maximumSize(65_536).build();

  static final java.time.Duration MISSING_RECHECK = java.time.Duration.ofSeconds(10);

  /** Indexes too large for {@link #vectorIndexes}: never loaded again, searched by scan. */
  private final Set<String> oversized = ConcurrentHashMap.newKeySet();

  public SstReaders(ObjectStore store, long cacheBytes) {
    this.store = store;
    this.cacheBytes = cacheBytes;
    this.cache = new SstCache(cacheBytes / 2);
    this.decoded = new io.namidb.engine.sst.DecodedCache(cacheBytes / 2);
    this.vectorIndexes =
        Caffeine.newBuilder()
            .maximumWeight(cacheBytes)
            .weigher(
                (String k, VectorIndex v) ->
                    (int) Math.min(Integer.MAX_VALUE, v.approximateHeapBytes()))
            .build();
  }

  /**
   * The vector index of {@code property} beside a node SST, loaded on first use (one GET of the
   * whole object), or empty when the SST has none (yet) or it would not fit {@link #cacheBytes}:
   * the SST is then searched by scan. A corrupt index is an error, as a corrupt SST is.
   */
  public Optional<VectorIndex> vectorIndex(SstEntry sst, String property) {
    String key = SstNames.vectorIndex(sst.key(), property);
    if (oversized.contains(key) || missing.getIfPresent(key) != null) {
      return Optional.empty();
    }
    VectorIndex index =
        vectorIndexes.get(
            key,
            k -> {
              byte[] bytes;
              try {
                bytes = store.get(k);
              } catch (ObjectNotFoundException e) {
                missing.put(k, Boolean.TRUE);
                return null;
              }
              VectorIndex loaded = VectorIndex.read(store.location() + "/" + k, bytes);
              if (loaded.approximateHeapBytes() > cacheBytes) {
                oversized.add(k);
                return null;
              }
              return loaded;
            });
    return Optional.ofNullable(index);
  }

  /** Tells the readers an index object now exists (this process's writer built it). */
  void vectorIndexWritten(String key) {
    missing.invalidate(key);
  }

  public NodeSstReader node(SstEntry sst) {
    return (NodeSstReader)
        readers.get(
            sst.key(),
            k ->
                NodeSstReader.open(
                    store.location() + "/" + k, cache.source(store, k, sst.size()), decoded));
  }

  public EdgeSstReader edge(SstEntry sst) {
    return (EdgeSstReader)
        readers.get(
            sst.key(),
            k ->
                EdgeSstReader.open(
                    store.location() + "/" + k, cache.source(store, k, sst.size()), decoded));
  }

  public ObjectStore store() {
    return store;
  }

  /** The memory these readers may use for caches, as configured. */
  public long cacheBytes() {
    return cacheBytes;
  }

  public SstCache cache() {
    return cache;
  }
}
