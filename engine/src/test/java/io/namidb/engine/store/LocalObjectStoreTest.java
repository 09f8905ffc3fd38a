package io.namidb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {
  @TempDir Path dir;

  @Override
  protected ObjectStore openAt(String path) {
    return new LocalObjectStore(dir.resolve(path), new Random(path.hashCode()));
  }

  /** A file cannot also be a directory. */
  @Override
  protected boolean keysMayAlsoBePrefixes() {
    return false;
  }

  /** Dot names are temporary files (and other tools' hidden files). */
  @Override
  protected boolean dotSegmentsAreKeys() {
    return false;
  }

  private LocalObjectStore local() {
    return (LocalObjectStore) store;
  }

  private Path tempDir() {
    return local().root().resolve(LocalObjectStore.TEMP_DIR);
  }

  private static List<Path> filesIn(Path d) throws IOException {
    if (!Files.exists(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }

  /** Every regular file below {@code root} outside dot directories, as relative path -> text. */
  static TreeMap<String, String> plainFiles(Path root) throws IOException {
    TreeMap<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String relative = root.relativize(p).toString();
        if (!relative.startsWith(".") && !relative.contains("/.")) {
          files.put(relative, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }

  // ---- the layout is the keys ----

  @Test
  void namespaceKeysAreTheirPaths() {
    assertThat(local().pathOf("manifest/00000000000000000042.json"))
        .isEqualTo(local().root().resolve("manifest/00000000000000000042.json"));
    assertThat(local().pathOf("sst/nodes/Person/00000003-00000000000000000001.parquet"))
        .isEqualTo(
            local().root().resolve("sst/nodes/Person/00000003-00000000000000000001.parquet"));
    assertThat(local().location()).isEqualTo("file://" + local().root());
    assertThat(local().putsAreLocal()).isTrue();
  }

  @Test
  void theFilesOnDiskAreExactlyTheKeys() throws IOException {
    List<String> keys = new ArrayList<>(TRICKY_KEYS);
    keys.addAll(
        List.of(
            "manifest/00000000000000000042.json",
            "wal/00000000000000001234.wal",
            "sst/nodes/Person/00000001-00000000000000000002.parquet",
            "sst/edges/KNOWS/00000001-00000000000000000003.out.edg",
            "probe/w-1"));
    TreeMap<String, String> expected = new TreeMap<>();
    for (String key : keys) {
      store.putIfAbsent(key, bytes("value of " + key));
      expected.put(key, "value of " + key);
    }
    store.put("probe/w-1", bytes("replaced"));
    expected.put("probe/w-1", "replaced");

    assertThat(plainFiles(local().root())).isEqualTo(expected);
    assertThat(filesIn(tempDir())).isEmpty();
  }

  @Test
  void filesCopiedInPlainlyAreObjects() throws IOException {
    Path root = local().root();
    Files.createDirectories(root.resolve("manifest"));
    Files.writeString(root.resolve("manifest/00000000000000000001.json"), "m1");
    Files.createDirectories(root.resolve("sst/nodes/Person"));
    Files.writeString(root.resolve("sst/nodes/Person/1.parquet"), "p");
    Files.writeString(root.resolve("é"), "unicode");

    assertThat(store.list(""))
        .extracting(ObjectInfo::key)
        .containsExactly("manifest/00000000000000000001.json", "sst/nodes/Person/1.parquet", "é");
    assertThat(store.get("sst/nodes/Person/1.parquet")).isEqualTo(bytes("p"));
    assertThat(store.get("é")).isEqualTo(bytes("unicode"));
    assertThatThrownBy(() -> store.putIfAbsent("manifest/00000000000000000001.json", bytes("x")))
        .isInstanceOf(ObjectExistsException.class);
  }

  @Test
  void temporaryDotAndForeignFilesAreNeverListed() throws IOException {
    store.putIfAbsent("wal/1", bytes("x"));
    Path root = local().root();
    Files.writeString(tempDir().resolve("w-inflight.tmp"), "half written");
    Files.writeString(root.resolve(".DS_Store"), "finder");
    Files.writeString(root.resolve("wal/.1.Xy12Ab"), "an rsync in flight");
    Files.createDirectories(root.resolve("nested/.tmp"));
    Files.writeString(root.resolve("nested/.tmp/w-1.tmp"), "a nested store's temp file");
    Files.createSymbolicLink(root.resolve("link"), root.resolve("wal/1"));
    Files.createDirectories(root.resolve("empty/dirs"));

    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("wal/1");
    assertThat(store.list("wal/")).extracting(ObjectInfo::key).containsExactly("wal/1");
    assertThat(store.list("nested/")).isEmpty();
    assertThat(store.list(".tmp/")).isEmpty();
  }

  // ---- keys that cannot be laid out plainly ----

  @Test
  void keysWithDotSegmentsAreRefusedNamingTheKey() {
    for (String bad : List.of(".", "..", "a/..", "./a", ".tmp/w-1.tmp", "a/.hidden", ".tmp")) {
      for (Runnable call :
          List.<Runnable>of(
              () -> store.putIfAbsent(bad, bytes("x")),
              () -> store.put(bad, bytes("x")),
              () -> store.get(bad),
              () -> store.head(bad),
              () -> store.delete(bad))) {
        assertThatThrownBy(call::run)
            .as("key %s", bad)
            .isInstanceOfSatisfying(
                ObjectStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.INVALID_INPUT))
            .hasMessageStartingWith("key cannot be laid out in a local directory")
            .hasMessageEndingWith("key=" + Keys.quote(bad));
      }
    }
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void aKeyBelowAnObjectIsRefused() {
    store.putIfAbsent("a/b", bytes("file"));

    for (String below : List.of("a/b/c", "a/b/c/d")) {
      assertThatThrownBy(() -> store.putIfAbsent(below, bytes("below")))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.INVALID_INPUT))
          .hasMessageContaining("an object lies on its path")
          .hasMessageContaining("object=\"a/b\"")
          .hasMessageEndingWith("key=\"" + below + "\"");
      assertThatThrownBy(() -> store.put(below, bytes("below")))
          .isInstanceOf(ObjectStoreException.class)
          .hasMessageContaining("object=\"a/b\"");
      assertThatThrownBy(() -> store.get(below)).isInstanceOf(ObjectNotFoundException.class);
      assertThatThrownBy(() -> store.getRange(below, 0, 1))
          .isInstanceOf(ObjectNotFoundException.class);
      assertThat(store.head(below)).isEmpty();
      store.delete(below);
    }
    assertThat(store.get("a/b")).isEqualTo(bytes("file"));
    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("a/b");
  }

  @Test
  void aKeyThatIsTheDirectoryOfOtherKeysIsRefused() throws IOException {
    store.putIfAbsent("a/b/c", bytes("below"));

    assertThatThrownBy(() -> store.putIfAbsent("a/b", bytes("file")))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.INVALID_INPUT))
        .hasMessageContaining("the directory of other keys")
        .hasMessageEndingWith("key=\"a/b\"");
    assertThatThrownBy(() -> store.put("a/b", bytes("file")))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("the directory of other keys");
    assertThatThrownBy(() -> store.getRange("a/b", 1 << 20, 1))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> store.getRange("a/b", 0, 0))
        .isInstanceOf(ObjectNotFoundException.class);
    store.delete("a/b");
    store.delete("a/b/c");
    assertThat(local().root().resolve("a/b")).isDirectory(); // kept, never removed by a delete
    assertThatThrownBy(() -> store.putIfAbsent("a/b", bytes("file")))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("the directory of other keys");
    assertThat(store.list("")).isEmpty();
    assertThat(filesIn(tempDir())).isEmpty();
  }

  @Test
  void keysBeyondAsciiAreRefusedWhenFileNamesAreNotUtf8() throws IOException {
    LocalObjectStore ascii =
        new LocalObjectStore(dir.resolve("ascii"), new Random(2), StandardCharsets.US_ASCII);
    ascii.putIfAbsent("manifest/00000000000000000001.json", bytes("m"));
    Files.writeString(ascii.root().resolve("\u00e9"), "not addressable");

    assertThatThrownBy(() -> ascii.putIfAbsent("sst/\u00e9", bytes("x")))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.CONFIGURATION))
        .hasMessageContaining("LANG=C.UTF-8")
        .hasMessageEndingWith("key=\"sst/\u00e9\"");
    assertThat(ascii.list(""))
        .extracting(ObjectInfo::key)
        .containsExactly("manifest/00000000000000000001.json");
  }

  // ---- the local store's own guarantees ----

  @Test
  void noTemporaryFileIsLeftAfterACreateAWriteOrACollision() throws IOException {
    store.putIfAbsent("m/1", bytes("first"));
    store.put("m/2", bytes("plain"));
    store.put("m/2", bytes("replaced"));
    assertThatThrownBy(() -> store.putIfAbsent("m/1", bytes("second")))
        .isInstanceOf(ObjectExistsException.class);

    assertThat(tempDir()).isDirectory();
    assertThat(filesIn(tempDir())).isEmpty();
    assertThat(store.get("m/1")).isEqualTo(bytes("first"));
  }

  @Test
  void createdObjectsHaveOneLinkOnceTheTemporaryNameIsGone() throws IOException {
    store.putIfAbsent("m/1", bytes("x"));

    assertThat(Files.getAttribute(local().pathOf("m/1"), "unix:nlink")).isEqualTo(1);
  }

  @Test
  void aFileAlreadyAtTheObjectsPathIsNeverReplaced() throws IOException {
    Path target = local().pathOf("manifest/00000000000000000001.json");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "written by another process");

    assertThatThrownBy(() -> store.putIfAbsent("manifest/00000000000000000001.json", bytes("me")))
        .isInstanceOf(ObjectExistsException.class);
    assertThat(Files.readString(target)).isEqualTo("written by another process");
  }

  @Test
  void aMissingRootIsAnEmptyStoreAndIsCreatedByTheFirstWrite() {
    LocalObjectStore fresh = new LocalObjectStore(dir.resolve("not/yet/there"), new Random(1));

    assertThat(fresh.list("")).isEmpty();
    assertThat(fresh.head("k")).isEmpty();
    assertThatThrownBy(() -> fresh.get("k")).isInstanceOf(ObjectNotFoundException.class);
    fresh.putIfAbsent("k", bytes("v"));
    assertThat(dir.resolve("not/yet/there/k")).hasContent("v");
  }

  @Test
  void aTemporaryNameTakenByAnotherWriterIsDrawnAgain() throws IOException {
    LocalObjectStore seeded = new LocalObjectStore(dir.resolve("same"), new Random(5));
    Path taken =
        seeded
            .root()
            .resolve(LocalObjectStore.TEMP_DIR)
            .resolve("w-" + Long.toHexString(new Random(5).nextLong()) + ".tmp");
    Files.createDirectories(taken.getParent());
    Files.writeString(taken, "another writer's file in flight");

    seeded.putIfAbsent("a", bytes("1"));

    assertThat(seeded.get("a")).isEqualTo(bytes("1"));
    assertThat(taken).hasContent("another writer's file in flight");
  }

  @Test
  void directoriesRemovedBehindTheStoresBackAreCreatedAgain() throws IOException {
    store.putIfAbsent("wal/1", bytes("1"));
    store.delete("wal/1");
    Files.delete(local().root().resolve("wal"));
    Files.delete(tempDir());

    store.putIfAbsent("wal/2", bytes("2"));
    store.put("wal/3", bytes("3"));

    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("wal/2", "wal/3");
  }
}
