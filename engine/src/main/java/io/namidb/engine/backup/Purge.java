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
import java.util.Optional;

/**
 * Deletes a namespace for good (DESIGN §8 {@code nami purge}). First it fences: a sealed manifest
 * at a new version and epoch (no writer can claim over a seal) and a fence segment at the first
 * free WAL id (a running writer's next WAL write collides and it steps down). Only then are the
 * other objects deleted. What stays holds nothing of the tenant's: the seal and each epoch's first
 * manifest version are rewritten as tombstones (version, epoch, WAL position, sealed; no schema, no
 * SST names), and the WAL fence segments carry no records. They stay so that a writer still running
 * cannot resurrect the namespace: its next manifest or WAL PUT collides with one of them. {@link
 * Restore} accepts such a namespace as empty.
 *
 * <p>With {@code removeTombstones} the tombstones go too, the seal last, and the prefix is empty.
 * Only for when no writer of the namespace can still be running anywhere (the operator has seen
 * every writer pod gone): a writer paused through the purge could then write into the empty prefix
 * as if it were new.
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

  /** Seals, fences and deletes, keeping the tombstones. Idempotent. Returns what it deleted. */
  public static Plan run(ObjectStore store, IdGenerator ids, Clock clock) {
    return run(store, ids, clock, false);
  }

  /**
   * Seals, fences and deletes; with {@code removeTombstones} then deletes the tombstones as well,
   * the seal last. Idempotent. Returns what it deleted.
   */
  public static Plan run(
      ObjectStore store, IdGenerator ids, Clock clock, boolean removeTombstones) {
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
              .tombstone(ids.newId());
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
    for (String key : keep) {
      if (!key.equals(sealKey)) {
        scrub(store, manifests, Manifest.versionOf(key), ids);
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
    if (!removeTombstones) {
      return new Plan(deleted, bytes, List.of(sealKey, fenceKey));
    }
    for (ObjectInfo info : store.list("")) {
      if (!info.key().equals(sealKey)) {
        store.delete(info.key());
        deleted++;
        bytes += info.size();
      }
    }
    Optional<ObjectInfo> sealInfo = store.head(sealKey);
    if (sealInfo.isPresent()) {
      store.delete(sealKey);
      deleted++;
      bytes += sealInfo.get().size();
    }
    return new Plan(deleted, bytes, List.of());
  }

  /**
   * Replaces manifest {@code version} by its tombstone. Delete, then create-if-absent: should a
   * paused writer slip its own manifest into that moment, that one is deleted in turn (bounded).
   */
  private static void scrub(
      ObjectStore store, ManifestStore manifests, long version, IdGenerator ids) {
    for (int attempt = 0; attempt < 5; attempt++) {
      Manifest stored;
      try {
        stored = manifests.read(version);
      } catch (RuntimeException unreadable) {
        store.delete(Manifest.key(version));
        return;
      }
      if (stored.sealed() && stored.ssts().isEmpty() && stored.schema().isEmpty()) {
        return; // already a tombstone (a purge run before this one)
      }
      store.delete(Manifest.key(version));
      try {
        manifests.create(stored.tombstone(ids.newId()));
        return;
      } catch (ManifestVersionExistsException raced) {
        // a paused writer's PUT landed in between: its manifest goes too
      }
    }
    throw new io.namidb.engine.NamiException(
        io.namidb.engine.NamiException.Kind.CONFLICT,
        "purge could not replace a manifest by its tombstone: writers keep recreating it. version="
            + version);
  }
}
