package io.namidb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directories in the first ({@code .d}) layout are moved to plain paths by the first operation. */
class LocalLayoutMigrationTest {
  @TempDir Path dir;

  /** What a namespace held, including a label long enough to be split in the old layout. */
  static final Map<String, String> NAMESPACE = namespace();

  private static Map<String, String> namespace() {
    Map<String, String> m = new TreeMap<>();
    for (String key :
        List.of(
            "manifest/00000000000000000001.json",
            "manifest/00000000000000000002.json",
            "wal/00000000000000000005.wal",
            "wal/00000000000000000006.wal",
            "sst/nodes/Person/00000001-00000000000000000001.parquet",
            "sst/nodes/" + "L".repeat(210) + "/00000001-00000000000000000002.parquet",
            "sst/edges/KNOWS/00000001-00000000000000000003.out.edg",
            "sst/edges/KNOWS/00000001-00000000000000000003.in.edg",
            "probe/w-0123abcd",
            "restore.json")) {
      m.put(key, "value of " + key);
    }
    return m;
  }

  private static Map<String, byte[]> bytes(Map<String, String> objects, String prefix) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    objects.forEach((k, v) -> out.put(prefix + k, v.getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static TreeMap<String, String> contents(ObjectStore store) {
    TreeMap<String, String> out = new TreeMap<>();
    for (ObjectInfo info : store.list("")) {
      out.put(info.key(), new String(store.get(info.key()), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static List<Path> oldDirectories(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().endsWith(".d"))
          .toList();
    }
  }

  @Test
  void anOldLayoutNamespaceIsMigratedByTheFirstOperation() throws IOException {
    Path root = dir.resolve("tenant-a");
    LegacyLayouts.write(root, bytes(NAMESPACE, ""));
    Files.createDirectories(root.resolve(".tmp"));
    Files.writeString(root.resolve(".tmp/w-dead.tmp"), "left by a crash");
    assertThat(root.resolve("manifest.d/00000000000000000001.json")).isRegularFile();
    assertThat(root.resolve("sst.d/nodes.d")).isDirectory();

    try (LocalObjectStore store = new LocalObjectStore(root)) {
      assertThat(contents(store)).isEqualTo(NAMESPACE);
    }

    assertThat(LocalObjectStoreTest.plainFiles(root)).isEqualTo(NAMESPACE);
    assertThat(oldDirectories(root)).isEmpty();
    try (LocalObjectStore again = new LocalObjectStore(root)) {
      assertThat(contents(again)).isEqualTo(NAMESPACE);
      again.putIfAbsent("wal/00000000000000000007.wal", new byte[] {7});
    }
    assertThat(root.resolve("wal/00000000000000000007.wal")).isRegularFile();
  }

  @Test
  void anInterruptedMigrationIsFinishedByTheNextOpen() throws IOException {
    Path root = dir.resolve("ns");
    LegacyLayouts.write(root, bytes(NAMESPACE, ""));
    int i = 0;
    for (String key : NAMESPACE.keySet()) {
      Path old = LegacyLocalLayout.pathOf(root, key);
      Path plain = root.resolve(key);
      if (old.equals(plain)) {
        continue;
      }
      Files.createDirectories(plain.getParent());
      switch (i++ % 3) {
        case 0 -> Files.createLink(plain, old); // crashed between link and unlink
        case 1 -> Files.move(old, plain); // done before the crash
        default -> {} // not reached before the crash
      }
    }

    try (LocalObjectStore store = new LocalObjectStore(root)) {
      assertThat(contents(store)).isEqualTo(NAMESPACE);
    }

    assertThat(LocalObjectStoreTest.plainFiles(root)).isEqualTo(NAMESPACE);
    assertThat(oldDirectories(root)).isEmpty();
    for (String key : NAMESPACE.keySet()) {
      assertThat(Files.getAttribute(root.resolve(key), "unix:nlink")).as(key).isEqualTo(1);
    }
  }

  @Test
  void concurrentMigratorsEachSeeEveryObject() throws Exception {
    for (int round = 0; round < 20; round++) {
      concurrentMigrators(dir.resolve("ns-" + round));
    }
  }

  private void concurrentMigrators(Path root) throws Exception {
    LegacyLayouts.write(root, bytes(NAMESPACE, ""));
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      Thread thread =
          new Thread(
              () -> {
                try (LocalObjectStore store = new LocalObjectStore(root)) {
                  start.await();
                  results.add(contents(store));
                } catch (Throwable e) {
                  results.add(e);
                }
              },
              "migrator-" + t);
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }

    assertThat(results).hasSize(6).allSatisfy(r -> assertThat(r).isEqualTo(NAMESPACE));
    assertThat(LocalObjectStoreTest.plainFiles(root)).isEqualTo(NAMESPACE);
    assertThat(oldDirectories(root)).isEmpty();
  }

  @Test
  void aDifferentObjectAtThePlainPathStopsTheMigrationNamingBoth() throws IOException {
    Path root = dir.resolve("ns");
    LegacyLayouts.write(root, bytes(NAMESPACE, ""));
    Path plain = root.resolve("manifest/00000000000000000002.json");
    Files.createDirectories(plain.getParent());
    Files.writeString(plain, "something else");
    LocalObjectStore store = new LocalObjectStore(root);

    assertThatThrownBy(() -> store.list(""))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.CONFIGURATION))
        .hasMessageContaining("already holds a different object")
        .hasMessageContaining("key=\"manifest/00000000000000000002.json\"")
        .hasMessageContaining("old=" + root.resolve("manifest.d/00000000000000000002.json"))
        .hasMessageContaining("plain=" + plain);
    assertThatThrownBy(() -> store.get("wal/00000000000000000005.wal"))
        .isInstanceOf(ObjectStoreException.class);
    assertThat(root.resolve("manifest.d/00000000000000000002.json")).isRegularFile();

    Files.delete(plain);
    assertThat(contents(store)).isEqualTo(NAMESPACE);
  }

  @Test
  void backupsInTheOldLayoutBelowADestinationAreMigrated() throws IOException {
    Path destination = dir.resolve("backups");
    Map<String, String> backup = new TreeMap<>();
    backup.put("backup.json", "{}");
    backup.put("manifest/00000000000000000002.json", "m");
    backup.put("sst/nodes/Person/00000001-00000000000000000001.parquet", "p");
    backup.put("wal/00000000000000000003.wal", "w");
    LegacyLayouts.write(destination.resolve("20260101T000000Z-v2"), bytes(backup, ""));
    LegacyLayouts.write(destination.resolve("20260102T000000Z-v5"), bytes(backup, ""));

    TreeMap<String, String> expected = new TreeMap<>();
    for (String name : List.of("20260101T000000Z-v2", "20260102T000000Z-v5")) {
      backup.forEach((k, v) -> expected.put(name + "/" + k, v));
    }
    try (LocalObjectStore store = new LocalObjectStore(destination)) {
      assertThat(contents(store)).isEqualTo(expected);
    }
    try (LocalObjectStore one = new LocalObjectStore(destination.resolve("20260101T000000Z-v2"))) {
      assertThat(contents(one)).isEqualTo(backup);
    }
    assertThat(oldDirectories(destination)).isEmpty();
  }

  @Test
  void foreignFilesKeepAnOldDirectoryAndTheNextOpenFindsNothingToMove() throws IOException {
    Path root = dir.resolve("ns");
    LegacyLayouts.write(root, bytes(NAMESPACE, ""));
    Files.writeString(root.resolve("manifest.d/.DS_Store"), "finder");

    try (LocalObjectStore store = new LocalObjectStore(root)) {
      assertThat(contents(store)).isEqualTo(NAMESPACE);
    }
    assertThat(root.resolve("manifest.d/.DS_Store")).isRegularFile();
    try (LocalObjectStore again = new LocalObjectStore(root)) {
      assertThat(contents(again)).isEqualTo(NAMESPACE);
    }
  }

  @Test
  void plainDirectoriesThatEndInDotDAreNotTakenForTheOldLayout() throws IOException {
    Path root = dir.resolve("plain");
    try (LocalObjectStore store = new LocalObjectStore(root)) {
      store.putIfAbsent("y.d/z", new byte[] {1});
      store.putIfAbsent("sst.d/nodes.d/x", new byte[] {2});
    }
    try (LocalObjectStore again = new LocalObjectStore(root)) {
      assertThat(again.list(""))
          .extracting(ObjectInfo::key)
          .containsExactly("sst.d/nodes.d/x", "y.d/z");
    }
    assertThat(root.resolve("y.d/z")).isRegularFile();
  }
}
