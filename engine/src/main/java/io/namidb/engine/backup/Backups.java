package io.namidb.engine.backup;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.store.ObjectExistsException;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalSegment;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Consistent backups of a namespace (DESIGN §8 {@code nami backup}). A backup is a namespace layout
 * under {@code <to>/<UTC timestamp>-v<version>/}: first a {@link BackupRecord} naming the namespace
 * it is of, then every SST one manifest version names, the WAL segments after its checkpoint that
 * existed when the copy ran, and the manifest itself, copied <b>last</b>. A backup whose manifest
 * is missing was interrupted and is never listed as complete.
 */
public final class Backups {
  static final Pattern NAME = Pattern.compile("(\\d{8}T\\d{6}Z)-v(\\d+)");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private Backups() {}

  /**
   * One backup under a destination.
   *
   * @param source the location of the namespace it was taken of; null for a backup made before
   *     backups recorded it
   */
  public record BackupInfo(String name, long version, boolean complete, String source) {}

  /**
   * A backup just taken.
   *
   * @param name {@code <UTC timestamp>-v<version>}
   * @param objects how many objects it holds
   * @param bytes their total size
   */
  public record Taken(String name, int objects, long bytes) {}

  /**
   * Copies a consistent state of {@code source} into a new backup under {@code destination}.
   * Retries with a newer manifest if GC removes an SST mid-copy.
   *
   * @param at opens the store rooted at {@code destination/<name>}
   * @return the backup's name, {@code <UTC timestamp>-v<version>}
   */
  public static String backup(
      ObjectStore source, ObjectStore destination, Function<String, ObjectStore> at, Clock clock) {
    return take(source, at, clock).name();
  }

  /**
   * As {@link #backup}, saying also how much it copied.
   *
   * @param at opens the store rooted at {@code destination/<name>}
   */
  public static Taken take(ObjectStore source, Function<String, ObjectStore> at, Clock clock) {
    ManifestStore manifests = new ManifestStore(source);
    for (int attempt = 1; ; attempt++) {
      Manifest m =
          manifests
              .latest()
              .orElseThrow(
                  () ->
                      new NamiException(
                          Kind.NOT_FOUND,
                          "namespace has no manifest; nothing to back up. location="
                              + source.location()));
      if (m.sealed()) {
        throw new NamiException(
            Kind.CONFLICT,
            "namespace was purged; nothing to back up. location=" + source.location());
      }
      String stamp = STAMP.format(clock.instant());
      String name = stamp + "-v" + m.version();
      int objects = 0;
      long bytes = 0;
      try (ObjectStore target = at.apply(name)) {
        byte[] record =
            new BackupRecord(BackupRecord.FORMAT, source.location(), m.version(), stamp).encode();
        put(target, BackupRecord.KEY, record);
        objects++;
        bytes += record.length;
        try {
          for (SstEntry sst : m.ssts()) {
            bytes += copy(source, target, sst.key());
            objects++;
          }
        } catch (io.namidb.engine.store.ObjectNotFoundException e) {
          if (attempt >= 5) {
            throw e;
          }
          continue; // an SST was compacted away and collected meanwhile: take a newer manifest
        }
        for (WalSegment segment : NamespaceCopy.walTail(source, m.walCheckpoint() + 1)) {
          bytes += copy(source, target, WalSegment.key(segment.id()));
          objects++;
        }
        // the WAL tail may hold writes made under a schema added after m: keep the newest schema
        Manifest newest = manifests.latest().orElse(m);
        Manifest copy = newest.sealed() ? m : m.withSchema(newest.schema());
        byte[] manifest = ManifestStore.encode(copy);
        put(target, Manifest.key(m.version()), manifest);
        objects++;
        bytes += manifest.length;
      }
      return new Taken(name, objects, bytes);
    }
  }

  /** Backups under {@code destination}, oldest first, with the namespace each was taken of. */
  public static List<BackupInfo> list(ObjectStore destination) {
    TreeSet<String> names = new TreeSet<>();
    TreeSet<String> complete = new TreeSet<>();
    for (ObjectInfo info : destination.list("")) {
      String key = info.key();
      int slash = key.indexOf('/');
      if (slash < 0) {
        continue;
      }
      String name = key.substring(0, slash);
      if (!NAME.matcher(name).matches()) {
        continue;
      }
      names.add(name);
      if (Manifest.versionOf(key.substring(slash + 1)) > 0) {
        complete.add(name);
      }
    }
    List<BackupInfo> result = new ArrayList<>();
    for (String name : names) {
      Matcher matcher = NAME.matcher(name);
      matcher.matches();
      String source = BackupRecord.read(destination, name).map(BackupRecord::source).orElse(null);
      result.add(
          new BackupInfo(name, Long.parseLong(matcher.group(2)), complete.contains(name), source));
    }
    return result;
  }

  /**
   * Keeps the newest {@code keepLast} complete backups of the namespace at {@code source} (as
   * {@link ObjectStore#location()} names it); deletes its older complete ones, and any incomplete
   * one of it older than its newest complete backup and a day old by the timestamp in its name (an
   * interrupted run's leftovers; a younger one may still be being written). Backups of other
   * namespaces, and backups that do not say whose they are, are never touched.
   *
   * @return names of the backups deleted
   */
  public static List<String> prune(
      ObjectStore destination, String source, int keepLast, Clock clock) {
    if (keepLast < 1) {
      throw new NamiException(
          Kind.INVALID_INPUT, "keep-last must be at least 1. keepLast=" + keepLast);
    }
    List<BackupInfo> all =
        list(destination).stream().filter(b -> source.equals(b.source())).toList();
    List<BackupInfo> complete = all.stream().filter(BackupInfo::complete).toList();
    if (complete.isEmpty()) {
      return List.of();
    }
    String newestComplete = complete.get(complete.size() - 1).name();
    List<String> deleted = new ArrayList<>();
    for (int i = 0; i < complete.size() - keepLast; i++) {
      deleted.add(complete.get(i).name());
    }
    String dayAgo = STAMP.format(clock.instant().minus(java.time.Duration.ofDays(1)));
    for (BackupInfo b : all) {
      if (!b.complete()
          && b.name().compareTo(newestComplete) < 0
          && b.name().compareTo(dayAgo) < 0) {
        deleted.add(b.name());
      }
    }
    for (String name : deleted) {
      // manifest first, so a half-deleted backup is never taken for complete; the record last,
      // so that what remains still says whose it is
      for (ObjectInfo info : destination.list(name + "/manifest/")) {
        destination.delete(info.key());
      }
      String record = name + "/" + BackupRecord.KEY;
      for (ObjectInfo info : destination.list(name + "/")) {
        if (!info.key().equals(record)) {
          destination.delete(info.key());
        }
      }
      destination.delete(record);
    }
    return deleted;
  }

  /** Copies one object; returns its size. */
  static long copy(ObjectStore from, ObjectStore to, String key) {
    byte[] bytes = from.get(key);
    put(to, key, bytes);
    return bytes.length;
  }

  /** Create-if-absent; an existing identical object (a retried copy) is fine. */
  static void put(ObjectStore to, String key, byte[] bytes) {
    try {
      to.putIfAbsent(key, bytes);
    } catch (ObjectExistsException e) {
      if (!Arrays.equals(to.get(key), bytes)) {
        throw new CorruptObjectException(
            "target already holds a different object. location=" + to.location() + " key=" + key);
      }
    }
  }
}
