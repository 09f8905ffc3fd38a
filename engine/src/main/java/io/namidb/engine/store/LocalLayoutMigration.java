package io.namidb.engine.store;

import io.namidb.engine.NamiException.Kind;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Moves a directory written in the local store's first layout ({@link LegacyLocalLayout}, {@code
 * manifest.d/…}) to the plain layout ({@code manifest/…}), in place, on the first operation of a
 * {@link LocalObjectStore} on it. Two kinds of roots are migrated: the store's root itself when it
 * holds {@code manifest.d} (a namespace, or a backup opened directly), and each directory right
 * below the root that does (the backups in a backup destination).
 *
 * <p>Crash-safe and idempotent, also with several processes migrating at once: each old file is
 * hard-linked to its plain path (never replacing anything), the new directory fsynced, and only
 * then the old name removed. At every moment each object is at its old path, its plain path, or
 * both (the same inode); a rerun finishes what an interrupted one started. An old file whose plain
 * path already holds different bytes stops the migration with an error naming both.
 */
final class LocalLayoutMigration {
  private static final Logger LOG = Logger.getLogger(LocalLayoutMigration.class.getName());

  private final LocalObjectStore store;

  private LocalLayoutMigration(LocalObjectStore store) {
    this.store = store;
  }

  /** Migrates every old-layout root in {@code store}'s directory; a no-op when there is none. */
  static void run(LocalObjectStore store) {
    new LocalLayoutMigration(store).run();
  }

  private void run() {
    Path root = store.root();
    Map<Path, String> legacy = new LinkedHashMap<>(); // old root -> key prefix of its objects
    try {
      if (LegacyLocalLayout.isLegacyRoot(root)) {
        legacy.put(root, "");
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          if (!name.startsWith(".")
              && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
              && LegacyLocalLayout.isLegacyRoot(child)) {
            legacy.put(child, name + "/");
          }
        }
      }
    } catch (NoSuchFileException e) {
      return; // no directory yet
    } catch (IOException e) {
      throw failure(root, e);
    }
    for (Map.Entry<Path, String> e : legacy.entrySet()) {
      try {
        int moved = migrate(e.getKey(), e.getValue());
        if (moved > 0) {
          LOG.info(
              "migrated local directory from the .d layout to plain paths. location="
                  + StoreLocation.ofDirectory(e.getKey())
                  + " objects="
                  + moved);
        }
      } catch (IOException ex) {
        throw failure(e.getKey(), ex);
      }
    }
  }

  /** Moves the objects of the old tree at {@code legacyRoot}; returns how many it moved. */
  private int migrate(Path legacyRoot, String keyPrefix) throws IOException {
    Map<Path, List<LegacyLocalLayout.Entry>> byDirectory = new LinkedHashMap<>();
    for (LegacyLocalLayout.Entry entry : LegacyLocalLayout.files(legacyRoot)) {
      byDirectory.computeIfAbsent(entry.file().getParent(), d -> new ArrayList<>()).add(entry);
    }
    int moved = 0;
    for (Map.Entry<Path, List<LegacyLocalLayout.Entry>> dir : byDirectory.entrySet()) {
      Set<Path> newDirectories = new LinkedHashSet<>();
      List<Path> linked = new ArrayList<>();
      for (LegacyLocalLayout.Entry entry : dir.getValue()) {
        String key = keyPrefix + entry.key();
        Path target = plainPath(key, entry.file());
        if (target.equals(entry.file())) {
          continue; // a top-level file: the same name in both layouts
        }
        if (link(key, entry.file(), target)) {
          newDirectories.add(target.getParent());
          linked.add(entry.file());
        }
      }
      for (Path d : newDirectories) {
        LocalObjectStore.fsyncDirectory(d); // the plain names are durable ...
      }
      for (Path old : linked) {
        Files.deleteIfExists(old); // ... before the old ones go
      }
      if (!linked.isEmpty()) {
        fsyncIfPresent(dir.getKey());
      }
      moved += linked.size();
    }
    for (Path d : LegacyLocalLayout.directories(legacyRoot)) {
      try {
        Files.delete(d);
        fsyncIfPresent(d.getParent());
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        // foreign files keep it (it is then checked again on every open), or gone already
      }
    }
    return moved;
  }

  /** The plain path of {@code key}, or an error saying why the old file cannot move there. */
  private Path plainPath(String key, Path old) {
    try {
      return store.pathOf(key);
    } catch (RuntimeException e) {
      throw new ObjectStoreException(
          Kind.CONFIGURATION,
          "cannot migrate local directory from the .d layout: a key has no plain path; move or"
              + " remove the file by hand. file="
              + old
              + " reason="
              + e.getMessage(),
          e);
    }
  }

  /**
   * Links {@code old} at {@code target}. True if this call linked it; false if another migrator
   * finished it meanwhile; an error if {@code target} holds a different object.
   */
  private boolean link(String key, Path old, Path target) throws IOException {
    try {
      store.ensureDirectory(target.getParent(), key);
    } catch (ObjectStoreException e) {
      throw cannotMove(key, old, target, e.getMessage());
    }
    try {
      Files.createLink(target, old);
      return true;
    } catch (FileAlreadyExistsException e) {
      try {
        if (Files.isSameFile(old, target)
            || (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && Files.mismatch(old, target) == -1)) {
          return true; // linked by an interrupted or concurrent run: the old name can go
        }
      } catch (NoSuchFileException gone) {
        if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
          throw gone;
        }
        return false; // a concurrent run finished it meanwhile
      }
      throw cannotMove(
          key,
          old,
          target,
          Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
              ? "the plain path is the directory of other keys"
              : "the plain path already holds a different object; keep one of the two files");
    } catch (NoSuchFileException e) {
      if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
      return false; // moved by another process meanwhile
    }
  }

  /** Fsyncs an old directory, which a concurrent run may have removed once empty. */
  private static void fsyncIfPresent(Path dir) throws IOException {
    try {
      LocalObjectStore.fsyncDirectory(dir);
    } catch (NoSuchFileException e) {
      // removed by a concurrent run: nothing left to make durable
    }
  }

  private static ObjectStoreException cannotMove(String key, Path old, Path target, String why) {
    return new ObjectStoreException(
        Kind.CONFIGURATION,
        "cannot migrate local directory from the .d layout: "
            + why
            + ". key="
            + Keys.quote(key)
            + " old="
            + old
            + " plain="
            + target);
  }

  private static ObjectStoreException failure(Path dir, IOException e) {
    return new ObjectStoreException(
        e instanceof AccessDeniedException ? Kind.CONFIGURATION : Kind.INTERNAL,
        "cannot migrate local directory from the .d layout to plain paths; it needs write access"
            + " once, and is migrated again (safely) on the next open. location="
            + StoreLocation.ofDirectory(dir)
            + " error="
            + e,
        e);
  }
}
