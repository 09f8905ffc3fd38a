package io.namidb.engine.graph;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Manifest versions pinned by readers in this process. The writer's GC never deletes what a pinned
 * version names. Readers in other processes are protected by the retention window instead.
 */
public final class Pins {
  private final ConcurrentHashMap<Long, AtomicInteger> counts = new ConcurrentHashMap<>();

  public void pin(long version) {
    counts.computeIfAbsent(version, v -> new AtomicInteger()).incrementAndGet();
  }

  public void unpin(long version) {
    counts.computeIfPresent(version, (v, c) -> c.decrementAndGet() <= 0 ? null : c);
  }

  public java.util.Set<Long> pinned() {
    return java.util.Set.copyOf(counts.keySet());
  }
}
