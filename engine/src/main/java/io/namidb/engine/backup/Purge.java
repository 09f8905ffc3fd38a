package io.namidb.engine.backup;

import io.namidb.engine.IdGenerator;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.ManifestVersionExistsException;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalLog;
import io.namidb.engine.wal.WalSegment;
import io.namidb.engine.wal.WalSegments;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Deletes a namespace for good (DESIGN §8 {@code nami purge}). First it fences: a sealed manifest
 * at a new version and epoch (no writer can claim over a seal) and a fence segment at the first
 * free WAL id (a running writer's next WAL write collides and it steps down). Only then are the
 * other objects deleted. The seal and the fence stay, so a writer still running cannot resurrect
 * the namespace; {@link Restore} accepts such a namespace as empty.
 */
public final class Purge {
  private Purge() {}

  /** What a purge deletes (or, in a dry run, would delete). */
  public record Plan(int objects, long bytes, List<String> sample) {}

  /** The objects a purge would delete, without touching anything. */
  public static Plan plan(ObjectStore store) {
    List<ObjectInfo> all = store.list("");
    long bytes = all.stream().mapToLong(ObjectInfo::size).sum();
    return new Plan(all.size(), bytes, all.stream().limit(20).map(ObjectInfo::key).toList());
  }

  /** Seals, fences and deletes. Idempotent. Returns what it deleted. */
  public static Plan run(ObjectStore store, IdGenerator ids, Clock clock) {
    ManifestStore manifests = new ManifestStore(store);
    Manifest seal;
    while (true) {
      Manifest current = manifests.latest().orElse(Manifest.empty());
      if (current.sealed()) {
        seal = current;
        break;
      }
      Manifest next =
          current
              .next(current.writerEpoch() + 1, "purge", ids.newId(), clock.instant().toString())
              .withSsts(List.of())
              .sealedForGood();
      try {
        manifests.create(next);
        seal = next;
        break;
      } catch (ManifestVersionExistsException e) {
        // a writer committed meanwhile: seal on top of it
      }
    }
    WalLog wal =
        new WalLog(
            store,
            io.namidb.engine.Retries.transientFailures(
                6, Duration.ofMillis(20), Duration.ofSeconds(2)));
    long id = seal.walCheckpoint() + 1;
    String fenceKey = null;
    while (fenceKey == null) {
      WalSegment fence =
          new WalSegment(
              WalSegment.Kind.FENCE, id, seal.writerEpoch(), "purge", ids.newId(), List.of());
      WalLog.PutOutcome outcome = wal.put(id, fence.encode());
      if (outcome.written()
          || outcome.existing().kind() == WalSegment.Kind.FENCE
              && outcome.existing().epoch() >= seal.writerEpoch()) {
        fenceKey = WalSegment.key(id);
      } else {
        id++;
      }
    }
    String sealKey = Manifest.key(seal.version());
    java.util.Set<String> keep = new java.util.HashSet<>();
    keep.add(sealKey);
    // every epoch's claim manifest: what a paused writer of that epoch's predecessor collides with
    long previousEpoch = -1;
    for (ObjectInfo info : store.list("manifest/")) {
      long v = Manifest.versionOf(info.key());
      if (v <= 0) {
        continue;
      }
      try {
        long e = manifests.read(v).writerEpoch();
        if (e != previousEpoch) {
          keep.add(info.key());
        }
        previousEpoch = e;
      } catch (RuntimeException unreadable) {
        keep.add(info.key());
      }
    }
    int deleted = 0;
    long bytes = 0;
    // Repeat: a writer fenced only now may still have been uploading an SST during the first pass.
    for (int pass = 0; pass < 3; pass++) {
      int deletedThisPass = 0;
      for (ObjectInfo info : store.list("")) {
        if (keep.contains(info.key())
            || (info.key().startsWith("wal/") && WalSegments.isFence(store, info))) {
          continue;
        }
        store.delete(info.key());
        deleted++;
        deletedThisPass++;
        bytes += info.size();
      }
      if (deletedThisPass == 0) {
        break;
      }
    }
    return new Plan(deleted, bytes, List.of(sealKey, fenceKey));
  }
}
