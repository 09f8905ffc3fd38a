package io.namidb.engine.graph;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.sst.EdgeSstReader;
import io.namidb.engine.sst.NodeSstReader;
import io.namidb.engine.sst.SstCache;
import io.namidb.engine.store.ObjectStore;

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

  public SstReaders(ObjectStore store, long cacheBytes) {
    this.store = store;
    this.cacheBytes = cacheBytes;
    this.cache = new SstCache(cacheBytes / 2);
    this.decoded = new io.namidb.engine.sst.DecodedCache(cacheBytes / 2);
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
