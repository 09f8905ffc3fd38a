package io.namidb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {
  @TempDir Path dir;

  @Override
  protected ObjectStore openAt(String path) {
    return new LocalObjectStore(dir.resolve(path), new Random(path.hashCode()));
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

  @Test
  void namespaceKeysMapToReadablePaths() {
    assertThat(local().pathOf("manifest/00000000000000000042.json"))
        .isEqualTo(local().root().resolve("manifest.d/00000000000000000042.json"));
    assertThat(local().pathOf("sst/nodes/Person/0001.parquet"))
        .isEqualTo(local().root().resolve("sst.d/nodes.d/Person.d/0001.parquet"));
    assertThat(local().location()).isEqualTo("file://" + local().root());
  }

  @Test
  void aKeyAndKeysBelowItCoexistOnDisk() {
    store.putIfAbsent("a/b", bytes("file"));
    store.putIfAbsent("a/b/c", bytes("below"));

    assertThat(local().root().resolve("a.d/b")).isRegularFile();
    assertThat(local().root().resolve("a.d/b.d/c")).isRegularFile();
    assertThat(store.get("a/b")).isEqualTo(bytes("file"));
  }

  @Test
  void segmentsAreEncodedToPlainAsciiNamesThatNeverStartWithADot() {
    assertThat(LocalObjectStore.encodeSegment(".hidden", false)).isEqualTo("%2Ehidden");
    assertThat(LocalObjectStore.encodeSegment("x.d", false)).isEqualTo("x.%64");
    assertThat(LocalObjectStore.encodeSegment("x.d", true)).isEqualTo("x.d.d");
    assertThat(LocalObjectStore.encodeSegment("é b%", false)).isEqualTo("%C3%A9%20b%25");
    assertThat(LocalObjectStore.encodeSegment("..", false)).isEqualTo("%2E.");
    for (String s : List.of(".hidden", "x.d", "é b%", "..", "Person", "\uD83D\uDE00", "a.dd")) {
      assertThat(LocalObjectStore.decodeName(LocalObjectStore.encodeSegment(s, false), false))
          .isEqualTo(s);
      assertThat(LocalObjectStore.decodeName(LocalObjectStore.encodeSegment(s, true), true))
          .isEqualTo(s);
    }
    // names that are not the canonical encoding of a key are not ours
    for (String foreign : List.of(".tmp", "%41", "%2e", "a%", "a%zz", "x.d", "é", "%FF", "%0A")) {
      assertThat(LocalObjectStore.decodeName(foreign, false)).as(foreign).isNull();
    }
    assertThat(LocalObjectStore.decodeName("plain", true)).isNull();
  }

  @Test
  void temporaryFilesAndForeignFilesAreNeverListed() throws IOException {
    store.putIfAbsent("wal/1", bytes("x"));
    Files.writeString(tempDir().resolve("w-inflight.tmp"), "half written");
    Files.writeString(local().root().resolve(".DS_Store"), "finder");
    Files.writeString(local().root().resolve("wal.d/%41"), "non-canonical name");
    Files.createDirectories(local().root().resolve("notadir/deeper"));
    Files.writeString(local().root().resolve("notadir/deeper/f"), "no .d suffix");
    Files.createSymbolicLink(local().root().resolve("link"), local().root().resolve("wal.d/1"));

    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("wal/1");
    assertThat(store.list("wal/")).extracting(ObjectInfo::key).containsExactly("wal/1");
  }

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
  void segmentsTooLongForOneFileNameAreSplitOverContinuationDirectories() {
    String longAscii = "n".repeat(250);
    String longUnicode = "日".repeat(85); // 255 bytes of UTF-8, 765 encoded characters
    List<String> keys =
        List.of(
            "a/" + longAscii,
            "a/" + longAscii + "/x",
            "a/" + longAscii.substring(0, 220),
            "a/" + longAscii.substring(0, 219) + "m",
            "b/" + longUnicode,
            longUnicode.substring(0, 70) + "/c");
    for (String key : keys) {
      store.putIfAbsent(key, bytes(key.substring(0, 3)));
    }

    assertThat(LocalObjectStore.names(longAscii, false))
        .containsExactly("+" + "n".repeat(200) + "+", "+" + "n".repeat(50));
    assertThat(LocalObjectStore.names(longUnicode, true)).hasSize(4);
    assertThat(local().pathOf("a/" + longAscii))
        .isEqualTo(
            local()
                .root()
                .resolve("a.d")
                .resolve("+" + "n".repeat(200) + "+")
                .resolve("+" + "n".repeat(50)));
    assertThat(store.list(""))
        .extracting(ObjectInfo::key)
        .containsExactlyElementsOf(keys.stream().sorted(BY_UTF8_BYTES).toList());
    assertThat(store.list("a/" + longAscii.substring(0, 230)))
        .extracting(ObjectInfo::key)
        .containsExactly("a/" + longAscii, "a/" + longAscii + "/x");
    assertThat(store.list("a/" + longAscii + "/"))
        .extracting(ObjectInfo::key)
        .containsExactly("a/" + longAscii + "/x");
    for (String key : keys) {
      assertThat(store.get(key)).isEqualTo(bytes(key.substring(0, 3)));
    }
    assertThat(LocalObjectStore.decodeNames("", "+" + "n".repeat(10), false)).isNull();
    assertThat(LocalObjectStore.decodeNames("n".repeat(200), "+", false)).isNull();
    assertThat(LocalObjectStore.decodeNames("n".repeat(200), "+n", false)).hasSize(201);
  }
}
