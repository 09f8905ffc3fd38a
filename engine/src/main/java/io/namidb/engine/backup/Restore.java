package io.namidb.engine.backup;

import io.namidb.engine.IdGenerator;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.MemTable;
import io.namidb.engine.graph.Snapshot;
import io.namidb.engine.graph.SstBuilder;
import io.namidb.engine.graph.SstReaders;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.sst.SstNames;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectNotFoundException;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalSegment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Restores a namespace from a backup, or from any copy of a namespace prefix (DESIGN §4 step 6, §8
 * {@code nami restore}).
 *
 * <p>The source's newest <b>complete</b> manifest version is chosen ({@link NamespaceCopy}): every
 * SST it names exists with its recorded size and CRC32C. A newer version that is not complete (a
 * sync that copied the manifest before its SSTs, a damaged or missing object) is passed over for
 * the next older one; {@link Result#skipped} and the log say which and why. The chosen version's
 * SSTs are copied as they are checked, the WAL tail after its checkpoint is folded into new SSTs,
 * every SST the restored manifest will name is verified in the target, and only then are the marker
 * and the manifest written, the manifest <b>last</b>. SSTs copied for a version that was then
 * passed over are deleted again, and a restore that fails before its manifest deletes what it
 * wrote, so it can simply be run again.
 *
 * <p>The target must be empty: no objects, or only what {@link Purge} leaves (a sealed manifest and
 * WAL fence segments) — then the restored manifest supersedes the seal with a higher version and
 * epoch, so writers fenced by the purge stay fenced. A target holding anything else is refused
 * before anything is written.
 *
 * <p>A restore is idempotent: it leaves a {@link RestoreMarker} naming the backup, and a namespace
 * already restored from that same backup is left as it is (with whatever was written since), so
 * asking again is safe.
 */
public final class Restore {
  private static final Logger LOG = Logger.getLogger(Restore.class.getName());

  private Restore() {}

  /**
   * What a restore produced.
   *
   * @param alreadyRestored the namespace had been restored from this backup before: nothing was
   *     written, {@code version} is the manifest version that restore wrote
   * @param skipped the source's manifest versions newer than {@code sourceVersion} that were passed
   *     over, newest first, each with why
   */
  public record Result(
      long version,
      long epoch,
      int ssts,
      int walSegmentsFolded,
      long sourceVersion,
      boolean alreadyRestored,
      List<Skipped> skipped) {
    public Result {
      skipped = List.copyOf(skipped);
    }
  }

  /** A source manifest version a restore passed over, and why (a problem naming the object). */
  public record Skipped(long version, String reason) {
    @Override
    public String toString() {
      return "version=" + version + " reason=" + reason;
    }
  }

  /** What is ready in the target once the source's SSTs are copied and its WAL tail folded. */
  private record Prepared(NamespaceCopy.State state, List<SstEntry> ssts, List<Skipped> skipped) {}

  public static Result run(ObjectStore source, ObjectStore target, IdGenerator ids, Clock clock) {
    Optional<Result> done = alreadyRestored(source, target);
    if (done.isPresent()) {
      return done.get();
    }
    Manifest seal = checkRestorable(target);
    com.fasterxml.jackson.databind.JsonNode schema =
        NamespaceCopy.newestSchema(source).orElse(null);
    Set<String> written = new LinkedHashSet<>();
    Prepared prepared;
    long epoch;
    try {
      NamespaceCopy.Choice choice =
          NamespaceCopy.newestComplete(source, sst -> copyChecked(source, target, sst, written));
      for (Skipped s : choice.skipped()) {
        LOG.warning(
            "restore passes over a manifest version. location=" + source.location() + " " + s);
      }
      NamespaceCopy.State state =
          choice
              .chosen()
              .orElseThrow(
                  () ->
                      new NamiException(
                          Kind.INVALID_INPUT,
                          "no complete manifest in the backup (an interrupted backup, or not a"
                              + " namespace copy). location="
                              + source.location()
                              + skippedText(choice.skipped())));
      dropCopiesNotNamedBy(state.manifest(), target, written);
      epoch = restoredEpoch(seal, state.manifest());
      if (schema == null) {
        schema = state.manifest().schema();
      }
      List<SstEntry> ssts = new ArrayList<>(state.manifest().ssts());
      ssts.addAll(foldWalTail(state, target, epoch, schema, written));
      List<String> problems = Verify.sstProblems(target, ssts);
      if (!problems.isEmpty()) {
        throw new NamiException(
            Kind.CORRUPT,
            "restored objects fail verification, no manifest written: "
                + String.join("; ", problems)
                + " location="
                + target.location());
      }
      prepared = new Prepared(state, ssts, choice.skipped());
    } catch (RuntimeException e) {
      deleteWritten(target, written, e);
      throw e;
    }
    LOG.info(
        "restore uses a manifest version. location="
            + source.location()
            + " version="
            + prepared.state().manifest().version()
            + " skipped="
            + prepared.skipped().size());

    long version = seal == null ? prepared.state().manifest().version() : seal.version() + 1;
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
                prepared.state().manifest().version(),
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
            prepared.ssts(),
            false);
    new ManifestStore(target).create(restored);
    return new Result(
        version,
        epoch,
        prepared.ssts().size(),
        prepared.state().walTail().size(),
        prepared.state().manifest().version(),
        false,
        prepared.skipped());
  }

  /** Reads an SST from the source, checks it against its entry and, if intact, copies it. */
  private static String copyChecked(
      ObjectStore source, ObjectStore target, SstEntry sst, Set<String> written) {
    byte[] bytes;
    try {
      bytes = source.get(sst.key());
    } catch (ObjectNotFoundException e) {
      return "missing object. object=" + sst.key();
    }
    String problem = Verify.sstProblem(sst, bytes);
    if (problem == null) {
      Backups.put(target, sst.key(), bytes);
      written.add(sst.key());
    }
    return problem;
  }

  /** Deletes the SSTs copied for versions passed over that {@code chosen} does not name. */
  private static void dropCopiesNotNamedBy(
      Manifest chosen, ObjectStore target, Set<String> written) {
    Set<String> named = new HashSet<>();
    chosen.ssts().forEach(sst -> named.add(sst.key()));
    for (Iterator<String> it = written.iterator(); it.hasNext(); ) {
      String key = it.next();
      if (!named.contains(key)) {
        target.delete(key);
        it.remove();
      }
    }
  }

  /**
   * Above the seal, the source manifest and every SST it names: SSTs order by their epoch, so the
   * restored tail and every later writer must sort newer than anything restored.
   */
  private static long restoredEpoch(Manifest seal, Manifest source) {
    long epoch = Math.max(seal == null ? 0 : seal.writerEpoch(), source.writerEpoch());
    for (SstEntry sst : source.ssts()) {
      try {
        epoch = Math.max(epoch, SstNames.epochOf(SstNames.idOf(sst.key())));
      } catch (RuntimeException e) {
        // not a name of ours: no ordering claim
      }
    }
    return epoch + 1;
  }

  /** Writes the WAL tail after the chosen manifest's checkpoint as new SSTs; their entries. */
  private static List<SstEntry> foldWalTail(
      NamespaceCopy.State state,
      ObjectStore target,
      long epoch,
      com.fasterxml.jackson.databind.JsonNode schema,
      Set<String> written) {
    List<SstEntry> ssts = new ArrayList<>();
    if (state.walTail().isEmpty()) {
      return ssts;
    }
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
            () -> SstNames.id(epoch, seq.incrementAndGet()),
            io.namidb.engine.schema.Schema.fromJson(schema))) {
      Backups.put(target, f.entry().key(), f.bytes());
      written.add(f.entry().key());
      ssts.add(f.entry());
    }
    return ssts;
  }

  /** Best effort: a restore that failed before its manifest removes what it wrote. */
  private static void deleteWritten(ObjectStore target, Set<String> written, RuntimeException e) {
    for (String key : written) {
      try {
        target.delete(key);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
    }
  }

  private static String skippedText(List<Skipped> skipped) {
    if (skipped.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    skipped.forEach(s -> parts.add(s.toString()));
    return " skipped: " + String.join("; ", parts);
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
            marker.get().version(),
            m.writerEpoch(),
            0,
            0,
            marker.get().sourceVersion(),
            true,
            List.of()));
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
