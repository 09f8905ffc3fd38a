package io.namidb.engine.backup;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.NamiException;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectNotFoundException;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Finds the newest consistent state in a namespace layout that may have been copied object by
 * object in any order (a {@code nami backup}, or an {@code aws s3 sync} of a live namespace): the
 * newest <b>complete</b> manifest version, one whose named SSTs are all present and intact, plus
 * the WAL segments after its checkpoint up to the first missing or damaged one (DESIGN §4 step 6).
 */
final class NamespaceCopy {
  /** A consistent state: a manifest and the contiguous WAL tail after its checkpoint. */
  record State(Manifest manifest, List<WalSegment> walTail) {}

  /**
   * The outcome of the search: the state chosen (null when no version is complete) and the newer
   * versions passed over on the way, newest first, each with why.
   */
  record Choice(State state, List<Restore.Skipped> skipped) {
    Optional<State> chosen() {
      return Optional.ofNullable(state);
    }
  }

  /**
   * Reads one SST a candidate version names in full and checks it against its entry; returns what
   * is wrong with it, or null. It may keep (copy) what it read when it is intact.
   */
  @FunctionalInterface
  interface SstCheck {
    String problem(SstEntry sst);
  }

  private NamespaceCopy() {}

  /**
   * The newest complete version. Versions are tried newest first: one whose manifest is unreadable
   * or sealed, or that names an SST that is missing or has another size ({@code HEAD}), is passed
   * over without reading any SST; then {@code fullCheck} reads each SST it names (size and
   * checksum), and any problem passes the version over too. Each SST is checked once, however many
   * versions name it. A manifest of an unknown format version is not passed over: it is an error.
   */
  static Choice newestComplete(ObjectStore source, SstCheck fullCheck) {
    Map<SstEntry, Optional<String>> heads = new HashMap<>();
    Map<SstEntry, Optional<String>> reads = new HashMap<>();
    List<Restore.Skipped> skipped = new ArrayList<>();
    for (long v : versionsNewestFirst(source)) {
      Manifest m;
      try {
        m = read(source, v);
      } catch (CorruptObjectException | ObjectNotFoundException e) {
        skipped.add(new Restore.Skipped(v, "manifest unreadable: " + e.getMessage()));
        continue;
      }
      if (m.sealed()) {
        skipped.add(new Restore.Skipped(v, "sealed by a purge"));
        continue;
      }
      String problem = firstProblem(m.ssts(), heads, sst -> headProblem(source, sst));
      if (problem == null) {
        problem = firstProblem(m.ssts(), reads, fullCheck::problem);
      }
      if (problem != null) {
        skipped.add(new Restore.Skipped(v, problem));
        continue;
      }
      return new Choice(new State(m, walTail(source, m.walCheckpoint() + 1)), skipped);
    }
    return new Choice(null, skipped);
  }

  /**
   * The schema of the newest readable manifest: schemas only grow, so it covers every write of any
   * older state (a WAL tail may hold writes made under a schema newer than the chosen manifest's).
   */
  static Optional<com.fasterxml.jackson.databind.JsonNode> newestSchema(ObjectStore source) {
    for (long v : versionsNewestFirst(source)) {
      try {
        return Optional.of(read(source, v).schema());
      } catch (CorruptObjectException | ObjectNotFoundException e) {
        // try the next older one
      }
    }
    return Optional.empty();
  }

  private static List<Long> versionsNewestFirst(ObjectStore source) {
    List<Long> versions = new ArrayList<>();
    for (ObjectInfo info : source.list("manifest/")) {
      long v = Manifest.versionOf(info.key());
      if (v > 0) {
        versions.add(v);
      }
    }
    versions.sort(Comparator.reverseOrder());
    return versions;
  }

  private static Manifest read(ObjectStore source, long v) {
    return ManifestStore.decode(
        source.location() + "/" + Manifest.key(v), v, source.get(Manifest.key(v)));
  }

  private static String firstProblem(
      List<SstEntry> ssts,
      Map<SstEntry, Optional<String>> checked,
      Function<SstEntry, String> check) {
    for (SstEntry sst : ssts) {
      Optional<String> problem = checked.get(sst);
      if (problem == null) {
        problem = Optional.ofNullable(check.apply(sst));
        checked.put(sst, problem);
      }
      if (problem.isPresent()) {
        return problem.get();
      }
    }
    return null;
  }

  private static String headProblem(ObjectStore store, SstEntry sst) {
    Optional<ObjectInfo> info = store.head(sst.key());
    if (info.isEmpty()) {
      return "missing object. object=" + sst.key();
    }
    if (info.get().size() != sst.size()) {
      return "size mismatch. object="
          + sst.key()
          + " size="
          + info.get().size()
          + " expected="
          + sst.size();
    }
    return null;
  }

  static List<WalSegment> walTail(ObjectStore store, long from) {
    List<WalSegment> tail = new ArrayList<>();
    for (long id = from; ; id++) {
      byte[] bytes;
      try {
        bytes = store.get(WalSegment.key(id));
      } catch (ObjectNotFoundException e) {
        return tail;
      }
      try {
        tail.add(WalSegment.decode(store.location() + "/" + WalSegment.key(id), bytes));
      } catch (NamiException e) {
        return tail; // a damaged copy ends the usable tail like a missing one
      }
    }
  }

  static String crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }
}
