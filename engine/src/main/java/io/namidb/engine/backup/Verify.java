package io.namidb.engine.backup;

import io.namidb.engine.NamiException;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.store.ObjectNotFoundException;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a namespace (DESIGN §8 {@code nami verify}): every object the newest manifest names exists
 * with its recorded size and CRC32C, and every WAL segment after the checkpoint decodes.
 */
public final class Verify {
  private Verify() {}

  /** The outcome; {@link #ok()} when there are no problems. */
  public record Report(
      long version, int sstsChecked, int walSegmentsChecked, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public static Report run(ObjectStore store) {
    List<String> problems = new ArrayList<>();
    Optional<Manifest> latest;
    try {
      latest = new ManifestStore(store).latest();
    } catch (NamiException e) {
      return new Report(0, 0, 0, List.of("newest manifest unreadable: " + e.getMessage()));
    }
    if (latest.isEmpty()) {
      return new Report(0, 0, 0, List.of("no manifest. location=" + store.location()));
    }
    Manifest m = latest.get();
    problems.addAll(sstProblems(store, m.ssts()));
    int segments = 0;
    for (long id = m.walCheckpoint() + 1; ; id++) {
      byte[] bytes;
      try {
        bytes = store.get(WalSegment.key(id));
      } catch (ObjectNotFoundException e) {
        break;
      }
      segments++;
      try {
        WalSegment.decode(store.location() + "/" + WalSegment.key(id), bytes);
      } catch (NamiException e) {
        problems.add(e.getMessage());
      }
    }
    return new Report(m.version(), m.ssts().size(), segments, problems);
  }

  /** What is wrong with the stored SSTs {@code ssts} names, one problem per SST at most. */
  static List<String> sstProblems(ObjectStore store, List<SstEntry> ssts) {
    List<String> problems = new ArrayList<>();
    for (SstEntry sst : ssts) {
      String problem = sstProblem(store, sst);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  /** What is wrong with the stored SST {@code sst} names (missing, size, checksum), or null. */
  static String sstProblem(ObjectStore store, SstEntry sst) {
    try {
      return sstProblem(sst, store.get(sst.key()));
    } catch (ObjectNotFoundException e) {
      return "missing object. object=" + sst.key();
    }
  }

  /** What is wrong with {@code bytes} read for {@code sst} (size, checksum), or null. */
  static String sstProblem(SstEntry sst, byte[] bytes) {
    if (bytes.length != sst.size()) {
      return "size mismatch. object="
          + sst.key()
          + " size="
          + bytes.length
          + " expected="
          + sst.size();
    }
    if (sst.checksum() != null && !sst.checksum().equals(NamespaceCopy.crc(bytes))) {
      return "checksum mismatch. object=" + sst.key();
    }
    return null;
  }
}
