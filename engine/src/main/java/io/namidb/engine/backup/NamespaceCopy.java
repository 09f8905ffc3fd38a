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
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Finds the newest consistent state in a namespace layout that may have been copied object by
 * object in any order (a {@code nami backup}, or an {@code aws s3 sync} of a live namespace): the
 * newest manifest version whose named SSTs are all present and intact, plus the WAL segments after
 * its checkpoint up to the first missing or damaged one (DESIGN §4 step 6).
 */
final class NamespaceCopy {
  /** A consistent state: a manifest and the contiguous WAL tail after its checkpoint. */
  record State(Manifest manifest, List<WalSegment> walTail) {}

  private NamespaceCopy() {}

  static Optional<State> newestConsistent(ObjectStore source) {
    List<Long> versions = new ArrayList<>();
    for (ObjectInfo info : source.list("manifest/")) {
      long v = Manifest.versionOf(info.key());
      if (v > 0) {
        versions.add(v);
      }
    }
    versions.sort(java.util.Comparator.reverseOrder());
    for (long v : versions) {
      Manifest m;
      try {
        m =
            ManifestStore.decode(
                source.location() + "/" + Manifest.key(v), v, source.get(Manifest.key(v)));
      } catch (CorruptObjectException | ObjectNotFoundException e) {
        continue;
      }
      if (m.sealed() || !allSstsIntact(source, m)) {
        continue;
      }
      return Optional.of(new State(m, walTail(source, m.walCheckpoint() + 1)));
    }
    return Optional.empty();
  }

  /**
   * The schema of the newest readable manifest: schemas only grow, so it covers every write of any
   * older state (a WAL tail may hold writes made under a schema newer than the chosen manifest's).
   */
  static Optional<com.fasterxml.jackson.databind.JsonNode> newestSchema(ObjectStore source) {
    List<Long> versions = new ArrayList<>();
    for (ObjectInfo info : source.list("manifest/")) {
      long v = Manifest.versionOf(info.key());
      if (v > 0) {
        versions.add(v);
      }
    }
    versions.sort(java.util.Comparator.reverseOrder());
    for (long v : versions) {
      try {
        return Optional.of(
            ManifestStore.decode(
                    source.location() + "/" + Manifest.key(v), v, source.get(Manifest.key(v)))
                .schema());
      } catch (CorruptObjectException | ObjectNotFoundException e) {
        // try the next older one
      }
    }
    return Optional.empty();
  }

  static boolean allSstsIntact(ObjectStore store, Manifest m) {
    for (SstEntry sst : m.ssts()) {
      Optional<ObjectInfo> info = store.head(sst.key());
      if (info.isEmpty() || info.get().size() != sst.size()) {
        return false;
      }
    }
    return true;
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
