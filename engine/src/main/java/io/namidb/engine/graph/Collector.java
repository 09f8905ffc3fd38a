package io.namidb.engine.graph;

import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.sst.SstNames;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectNotFoundException;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalSegment;
import io.namidb.engine.wal.WalSegments;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A writer's garbage collection (DESIGN §4.5): a {@link RetentionPolicy} (pure) decides which
 * manifest versions stay, and the deleter removes the rest in an order that never leaves a manifest
 * naming a missing object: manifest versions first, then the SSTs no retained version names, then
 * WAL segments at or below the oldest retained checkpoint. It checks the epoch first and deletes
 * nothing once a newer epoch has claimed the namespace.
 */
final class Collector {
  /**
   * Which manifest versions GC keeps: the newest {@code retainVersions}; those this writer
   * committed within {@code retainForMillis} on its own clock; those held (pinned by readers in
   * this process, or by live reader leases); and each epoch's claim (first) version, which, like
   * each epoch's WAL fence, is what a paused writer of an older epoch collides with when it wakes
   * up. No time written by another process's clock is compared with this one's.
   */
  record RetentionPolicy(int retainVersions, long retainForMillis) {
    /**
     * The versions kept by count, age or hold, out of {@code versions} (ascending); {@code
     * committedAt} maps the versions this writer committed to when, on its clock.
     */
    Set<Long> retained(
        List<Long> versions, Map<Long, Long> committedAt, Set<Long> held, long nowMillis) {
      Set<Long> retained = new HashSet<>();
      for (int i = versions.size() - 1; i >= 0; i--) {
        long v = versions.get(i);
        boolean newest = versions.size() - i <= retainVersions;
        Long committed = committedAt.get(v);
        boolean recent = committed != null && nowMillis - committed < retainForMillis;
        if (newest || recent || held.contains(v)) {
          retained.add(v);
        }
      }
      return retained;
    }

    /** The claim version of each epoch: the first of {@code epochOf} (version → its epoch). */
    static Set<Long> claims(SortedMap<Long, Long> epochOf) {
      Set<Long> claims = new HashSet<>();
      long previousEpoch = -1;
      for (Map.Entry<Long, Long> e : epochOf.entrySet()) {
        if (e.getValue() != previousEpoch) {
          claims.add(e.getKey());
        }
        previousEpoch = e.getValue();
      }
      return claims;
    }
  }

  private final ObjectStore store;
  private final WriterConfig config;
  private final ManifestCommitter manifests;
  private final Lifecycle lifecycle;
  private final Pins pins;
  private final NamespaceWriter.Stats stats;
  private final RetentionPolicy policy;

  /** Leases of readers in other processes, judged on this writer's clock. */
  private final ReaderLeases.Tracker leases = new ReaderLeases.Tracker();

  /** Epoch of each manifest version GC has read (manifests never change). */
  private final Map<Long, Long> epochCache = new ConcurrentHashMap<>();

  /** WAL keys known to be fence segments (GC reads each once). */
  private final Set<String> fenceCache = ConcurrentHashMap.newKeySet();

  Collector(
      ObjectStore store,
      WriterConfig config,
      ManifestCommitter manifests,
      Lifecycle lifecycle,
      Pins pins,
      NamespaceWriter.Stats stats) {
    this.store = store;
    this.config = config;
    this.manifests = manifests;
    this.lifecycle = lifecycle;
    this.pins = pins;
    this.stats = stats;
    this.policy = new RetentionPolicy(config.retainVersions(), config.retainFor().toMillis());
  }

  /**
   * One round; see {@link NamespaceWriter#collectGarbage()}.
   *
   * @param ownEpoch whether SSTs of this writer's own epoch that no manifest names may go too: only
   *     on the flusher's thread, where no upload waits for its manifest
   */
  void collect(boolean ownEpoch) {
    List<Long> versions = new ArrayList<>();
    for (ObjectInfo info : store.list("manifest/")) {
      long v = Manifest.versionOf(info.key());
      if (v > 0) {
        versions.add(v);
      }
    }
    Collections.sort(versions);
    if (versions.isEmpty() || !stillOurs(versions.get(versions.size() - 1))) {
      return;
    }
    long now = config.clock().millis();
    Set<Long> held = new HashSet<>(pins.pinned());
    held.addAll(leases.liveVersions(store, now));
    Set<Long> retained = policy.retained(versions, manifests.committedAt(), held, now);
    Set<String> live = new HashSet<>();
    long minCheckpoint = Long.MAX_VALUE;
    List<Long> deletable = new ArrayList<>();
    TreeMap<Long, Long> epochOf = new TreeMap<>();
    for (int i = versions.size() - 1; i >= 0; i--) {
      long v = versions.get(i);
      if (retained.contains(v)) {
        Manifest m;
        try {
          m = manifests.read(v);
        } catch (ObjectNotFoundException e) {
          continue;
        }
        epochCache.put(v, m.writerEpoch());
        epochOf.put(v, m.writerEpoch());
        m.ssts().forEach(e -> live.add(e.key()));
        minCheckpoint = Math.min(minCheckpoint, m.walCheckpoint());
      } else {
        Long epoch = epochCache.get(v); // manifests never change: each is read once per writer
        if (epoch == null) {
          try {
            epoch = manifests.epochOf(v);
          } catch (ObjectNotFoundException e) {
            continue;
          }
          epochCache.put(v, epoch);
        }
        epochOf.put(v, epoch);
        deletable.add(v);
      }
    }
    deletable.removeAll(RetentionPolicy.claims(epochOf));
    for (long v : deletable) {
      store.delete(Manifest.key(v));
      epochCache.remove(v);
      manifests.forget(v);
      stats.objectsDeleted.incrementAndGet();
    }
    deleteSsts(live, ownEpoch);
    if (minCheckpoint != Long.MAX_VALUE) {
      deleteWal(minCheckpoint);
    }
  }

  /**
   * Deletes SSTs no retained version names, of older epochs (and of ours if {@code ownEpoch}); an
   * object beside an SST (its vector index) goes with it.
   */
  private void deleteSsts(Set<String> live, boolean ownEpoch) {
    long epoch = manifests.current().writerEpoch();
    for (ObjectInfo info : store.list("sst/")) {
      String key = info.key();
      if (live.contains(SstNames.ownerOf(key))) {
        continue;
      }
      long sstEpoch;
      try {
        sstEpoch = SstNames.epochOf(SstNames.idOf(key));
      } catch (RuntimeException e) {
        continue; // not ours to judge
      }
      if (sstEpoch < epoch || (sstEpoch == epoch && ownEpoch)) {
        store.delete(key);
        stats.objectsDeleted.incrementAndGet();
      }
    }
  }

  /** Deletes WAL segments at or below {@code checkpoint}, except fence segments. */
  private void deleteWal(long checkpoint) {
    Set<String> listed = new HashSet<>();
    for (ObjectInfo info : store.list("wal/")) {
      listed.add(info.key());
      long id = WalSegment.idOf(info.key());
      if (id > 0 && id <= checkpoint && !isFence(info)) {
        store.delete(info.key());
        stats.objectsDeleted.incrementAndGet();
      }
    }
    fenceCache.retainAll(listed);
  }

  /**
   * Whether no newer epoch has claimed the namespace, judged by the newest manifest version. If one
   * has, this writer is fenced and must delete nothing: the namespace is no longer its to clean.
   */
  private boolean stillOurs(long newestVersion) {
    Manifest ours = manifests.current();
    if (newestVersion <= ours.version()) {
      return true;
    }
    Manifest newest = manifests.readQuietly(newestVersion);
    if (newest == null || newest.writerEpoch() <= ours.writerEpoch()) {
      return true;
    }
    lifecycle.stop(
        State.FENCED,
        "fenced: a newer writer claimed the namespace (seen before collecting garbage). location="
            + store.location()
            + " version="
            + newestVersion
            + " ourEpoch="
            + ours.writerEpoch()
            + " theirEpoch="
            + newest.writerEpoch()
            + " theirWriter="
            + newest.writerId());
    return false;
  }

  /** Whether a WAL object is a fence segment (small: read only those, each once). */
  private boolean isFence(ObjectInfo info) {
    if (fenceCache.contains(info.key())) {
      return true;
    }
    boolean fence = WalSegments.isFence(store, info);
    if (fence) {
      fenceCache.add(info.key());
    }
    return fence;
  }
}
