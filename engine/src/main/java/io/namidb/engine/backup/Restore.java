package io.namidb.engine.backup;

import io.namidb.engine.IdGenerator;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.MemTable;
import io.namidb.engine.graph.Snapshot;
import io.namidb.engine.graph.SstBuilder;
import io.namidb.engine.graph.SstReaders;
import io.namidb.engine.graph.WriteBatch;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.sst.SstNames;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalSegment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restores a namespace from a backup, or from any copy of a namespace prefix (DESIGN §4 step 6, §8
 * {@code nami restore}).
 *
 * <p>The source's newest consistent state is chosen ({@link NamespaceCopy}); its SSTs are copied
 * (checksums verified), the WAL tail after its checkpoint is folded into new SSTs, and a manifest
 * naming all of them is written <b>last</b>. The target must be empty: no objects, or only what
 * {@link Purge} leaves (a sealed manifest and WAL fence segments) — then the restored manifest
 * supersedes the seal with a higher version and epoch, so writers fenced by the purge stay fenced.
 * A refused restore writes nothing.
 *
 * <p>A restore is idempotent: it leaves a {@link RestoreMarker} naming the backup, and a namespace
 * already restored from that same backup is left as it is (with whatever was written since), so
 * asking again is safe.
 */
public final class Restore {
  private Restore() {}

  /**
   * What a restore produced.
   *
   * @param alreadyRestored the namespace had been restored from this backup before: nothing was
   *     written, {@code version} is the manifest version that restore wrote
   */
  public record Result(
      long version,
      long epoch,
      int ssts,
      int walSegmentsFolded,
      long sourceVersion,
      boolean alreadyRestored) {}

  public static Result run(ObjectStore source, ObjectStore target, IdGenerator ids, Clock clock) {
    Optional<Result> done = alreadyRestored(source, target);
    if (done.isPresent()) {
      return done.get();
    }
    NamespaceCopy.State state =
        NamespaceCopy.newestConsistent(source)
            .orElseThrow(
                () ->
                    new NamiException(
                        Kind.INVALID_INPUT,
                        "no complete manifest in the backup (an interrupted backup, or not a"
                            + " namespace copy). location="
                            + source.location()));
    Manifest seal = checkRestorable(target);
    com.fasterxml.jackson.databind.JsonNode schema =
        NamespaceCopy.newestSchema(source).orElse(state.manifest().schema());

    for (SstEntry sst : state.manifest().ssts()) {
      byte[] bytes = source.get(sst.key());
      if (sst.checksum() != null && !sst.checksum().equals(NamespaceCopy.crc(bytes))) {
        throw new io.namidb.engine.CorruptObjectException(
            "sst checksum mismatch in the backup. location="
                + source.location()
                + " object="
                + sst.key());
      }
      Backups.put(target, sst.key(), bytes);
    }

    // Above the seal, the source manifest and every SST it names: SSTs order by their epoch, so
    // the restored tail and every later writer must sort newer than anything restored.
    long epoch = Math.max(seal == null ? 0 : seal.writerEpoch(), state.manifest().writerEpoch());
    for (SstEntry sst : state.manifest().ssts()) {
      try {
        epoch = Math.max(epoch, SstNames.epochOf(SstNames.idOf(sst.key())));
      } catch (RuntimeException e) {
        // not a name of ours: no ordering claim
      }
    }
    epoch++;
    long version = seal == null ? state.manifest().version() : seal.version() + 1;
    final long restoredEpoch = epoch;
    List<SstEntry> ssts = new ArrayList<>(state.manifest().ssts());
    if (!state.walTail().isEmpty()) {
      SstReaders readers = new SstReaders(target, 64L << 20);
      Snapshot base = new Snapshot(state.manifest(), readers);
      MemTable tail = new MemTable();
      for (WalSegment segment : state.walTail()) {
        for (WriteBatch batch : segment.batches()) {
          GraphView view = new GraphView(List.of(tail), base);
          tail.apply(batch, view::incidentEdges);
        }
      }
      AtomicLong seq = new AtomicLong(1_000_000);
      for (SstBuilder.File f :
          SstBuilder.fromMemTable(
              tail,
              () -> SstNames.id(restoredEpoch, seq.incrementAndGet()),
              io.namidb.engine.schema.Schema.fromJson(schema))) {
        Backups.put(target, f.entry().key(), f.bytes());
        ssts.add(f.entry());
      }
    }

    long checkpoint = 0;
    for (ObjectInfo info : target.list("wal/")) {
      checkpoint = Math.max(checkpoint, WalSegment.idOf(info.key()));
    }
    // the marker before the manifest: once the manifest exists, so does the fact where it came from
    target.put(
        RestoreMarker.KEY,
        new RestoreMarker(
                RestoreMarker.FORMAT,
                source.location(),
                state.manifest().version(),
                version,
                clock.instant().toString())
            .encode());
    Manifest restored =
        new Manifest(
            Manifest.FORMAT_VERSION,
            version,
            epoch,
            "restore",
            ids.newId(),
            clock.instant().toString(),
            checkpoint,
            schema,
            ssts,
            false);
    new ManifestStore(target).create(restored);
    Verify.Report report = Verify.run(target);
    if (!report.ok()) {
      throw new NamiException(
          Kind.CORRUPT,
          "restored namespace fails verification: " + String.join("; ", report.problems()));
    }
    return new Result(
        version, epoch, ssts.size(), state.walTail().size(), state.manifest().version(), false);
  }

  /**
   * The earlier restore of {@code source} into {@code target}, when its marker names this backup
   * and the manifest it wrote exists and is not sealed (a marker without its manifest is an
   * interrupted restore, to be run again; a purged namespace is empty again).
   */
  private static Optional<Result> alreadyRestored(ObjectStore source, ObjectStore target) {
    Optional<RestoreMarker> marker = RestoreMarker.read(target);
    if (marker.isEmpty() || !marker.get().from().equals(source.location())) {
      return Optional.empty();
    }
    ManifestStore manifests = new ManifestStore(target);
    long latest = manifests.latestVersion();
    if (latest < marker.get().version()) {
      return Optional.empty();
    }
    Manifest m = manifests.read(latest);
    if (m.sealed()) {
      return Optional.empty();
    }
    return Optional.of(
        new Result(
            marker.get().version(), m.writerEpoch(), 0, 0, marker.get().sourceVersion(), true));
  }

  /**
   * Refuses a target holding data. Returns the purge seal if there is one.
   *
   * @throws NamiException CONFLICT naming what the target holds
   */
  static Manifest checkRestorable(ObjectStore target) {
    ManifestStore manifests = new ManifestStore(target);
    Manifest seal = null;
    long latest = manifests.latestVersion();
    if (latest > 0) {
      Manifest m = manifests.read(latest);
      if (!m.sealed()) {
        throw new NamiException(
            Kind.CONFLICT,
            "restore target is not empty: it holds manifest version "
                + latest
                + restoredFrom(target)
                + "; restore only into an empty (or purged) namespace. location="
                + target.location());
      }
      seal = m; // purged: older claim manifests kept by purge stay below the restored version
    }
    for (ObjectInfo info : target.list("wal/")) {
      WalSegment segment =
          WalSegment.decode(target.location() + "/" + info.key(), target.get(info.key()));
      if (segment.kind() != WalSegment.Kind.FENCE) {
        throw new NamiException(
            Kind.CONFLICT,
            "restore target is not empty: it holds wal segment "
                + info.key()
                + "; restore only into an empty (or purged) namespace. location="
                + target.location());
      }
    }
    return seal;
  }

  private static String restoredFrom(ObjectStore target) {
    return RestoreMarker.read(target)
        .map(m -> " (restored from " + m.from() + ", not from this backup)")
        .orElse("");
  }
}
