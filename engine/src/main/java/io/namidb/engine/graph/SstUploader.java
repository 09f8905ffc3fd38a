package io.namidb.engine.graph;

import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.sst.SstNames;
import io.namidb.engine.store.ObjectExistsException;
import io.namidb.engine.store.ObjectStore;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names and uploads the SSTs one writer makes (flushes and compactions): ids {@code
 * <epoch>-<sequence>} within this writer's epoch, each object created only if absent, before any
 * manifest names it. A create that finds its own bytes there (a retried PUT that had landed) is
 * fine; other content under a fresh name is an error.
 */
final class SstUploader {
  private final ObjectStore store;
  private final long epoch;
  private final NamespaceWriter.Stats stats;
  private final AtomicLong sequence = new AtomicLong();

  SstUploader(ObjectStore store, long epoch, NamespaceWriter.Stats stats) {
    this.store = store;
    this.epoch = epoch;
    this.stats = stats;
  }

  /** A fresh SST id of this writer's epoch. */
  String nextId() {
    return SstNames.id(epoch, sequence.incrementAndGet());
  }

  void upload(List<SstBuilder.File> files) {
    for (SstBuilder.File f : files) {
      String key = f.entry().key();
      try {
        store.putIfAbsent(key, f.bytes());
      } catch (ObjectExistsException e) {
        if (!Arrays.equals(store.get(key), f.bytes())) {
          throw new NamiException(
              Kind.INTERNAL,
              "sst name taken by other content. location=" + store.location() + " key=" + key);
        }
      }
      stats.sstsWritten.incrementAndGet();
    }
  }
}
