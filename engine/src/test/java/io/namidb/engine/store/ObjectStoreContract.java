package io.namidb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Every clause of the {@link ObjectStore} javadoc, run against each implementation (Lucene's {@code
 * BaseDirectoryTestCase} pattern). A subclass says how to open a store rooted at a path of its
 * backend (a map, a directory, a bucket); the suite does the rest.
 */
public abstract class ObjectStoreContract {
  private final List<ObjectStore> opened = new ArrayList<>();
  private String base;

  /** The store under test: fresh and empty for each test. */
  protected ObjectStore store;

  /**
   * A store rooted at {@code path} ({@code /}-separated, no trailing slash) of this test's backend.
   * Two calls with one path give two clients of the same objects; different paths that are not
   * prefixes of each other must be isolated.
   */
  protected abstract ObjectStore openAt(String path);

  @BeforeEach
  void openStoreUnderTest(TestInfo test) {
    String method = test.getTestMethod().map(m -> m.getName()).orElse("test");
    base = "c-" + method.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    store = open("main");
  }

  @AfterEach
  void closeStores() {
    opened.forEach(ObjectStore::close);
  }

  /** A further store of this test, rooted at {@code name} next to the store under test. */
  protected ObjectStore open(String name) {
    ObjectStore s = openAt(base + "/" + name);
    opened.add(s);
    return s;
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- create-if-absent ----

  @Test
  void putIfAbsentCreatesAnObject() {
    store.putIfAbsent("manifest/00000000000000000001.json", bytes("v1"));

    assertThat(store.get("manifest/00000000000000000001.json")).isEqualTo(bytes("v1"));
    assertThat(store.head("manifest/00000000000000000001.json"))
        .hasValueSatisfying(
            i -> {
              assertThat(i.key()).isEqualTo("manifest/00000000000000000001.json");
              assertThat(i.size()).isEqualTo(2);
            });
  }

  @Test
  void putIfAbsentOnATakenKeyThrowsObjectExistsAndKeepsTheFirstObject() {
    store.putIfAbsent("wal/00000000000000000007.wal", bytes("first"));

    assertThatThrownBy(() -> store.putIfAbsent("wal/00000000000000000007.wal", bytes("second")))
        .isInstanceOfSatisfying(
            ObjectExistsException.class,
            e -> {
              assertThat(e.key()).isEqualTo("wal/00000000000000000007.wal");
              assertThat(e.kind()).isEqualTo(NamiException.Kind.CONFLICT);
              assertThat(e.getMessage()).contains("key=wal/00000000000000000007.wal");
            });
    assertThat(store.get("wal/00000000000000000007.wal")).isEqualTo(bytes("first"));
  }

  @Test
  void putIfAbsentNeverReplacesAnObjectWrittenByPut() {
    store.put("k", bytes("put"));

    assertThatThrownBy(() -> store.putIfAbsent("k", bytes("create")))
        .isInstanceOf(ObjectExistsException.class);
    assertThat(store.get("k")).isEqualTo(bytes("put"));
  }

  @Test
  void ofManyConcurrentCreatorsOfOneKeyExactlyOneWinsAndItsBytesAreStored() throws Exception {
    int threads = 12;
    List<ObjectStore> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      clients.add(i % 2 == 0 ? store : openAt(base + "/main")); // shared and separate clients
    }
    clients.stream().filter(c -> c != store).forEach(opened::add);
    for (int round = 0; round < 5; round++) {
      String key = "race/" + round;
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger wins = new AtomicInteger();
      AtomicReference<byte[]> winner = new AtomicReference<>();
      ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
      List<Thread> racers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        ObjectStore client = clients.get(i);
        byte[] mine = bytes("writer-" + i + "-round-" + round);
        Thread t =
            new Thread(
                () -> {
                  try {
                    start.await();
                    client.putIfAbsent(key, mine);
                    wins.incrementAndGet();
                    winner.set(mine);
                  } catch (ObjectExistsException lost) {
                    // expected for all but one
                  } catch (Throwable e) {
                    unexpected.add(e);
                  }
                },
                "contract-racer-" + round + "-" + i);
        racers.add(t);
        t.start();
      }
      start.countDown();
      for (Thread t : racers) {
        t.join();
      }

      assertThat(unexpected).isEmpty();
      assertThat(wins.get()).as("winners of round %d", round).isEqualTo(1);
      assertThat(store.get(key)).isEqualTo(winner.get());
    }
  }

  // ---- put ----

  @Test
  void putCreatesAndReplaces() {
    store.put("a/b", bytes("one"));
    store.put("a/b", bytes("two, longer"));

    assertThat(store.get("a/b")).isEqualTo(bytes("two, longer"));
    assertThat(store.head("a/b")).map(ObjectInfo::size).hasValue(11L);
    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("a/b");
  }

  @Test
  void callersMayReuseTheirArrays() {
    byte[] data = bytes("abc");
    store.putIfAbsent("k", data);
    data[0] = 'X';
    byte[] read = store.get("k");
    read[1] = 'Y';

    assertThat(store.get("k")).isEqualTo(bytes("abc"));
  }

  // ---- missing keys ----

  @Test
  void missingKeysThrowNotFoundFromGetsAndAreEmptyForHeadAndANoOpForDelete() {
    store.put("present", bytes("x"));

    assertThatThrownBy(() -> store.get("absent"))
        .isInstanceOfSatisfying(
            ObjectNotFoundException.class,
            e -> {
              assertThat(e.key()).isEqualTo("absent");
              assertThat(e.kind()).isEqualTo(NamiException.Kind.NOT_FOUND);
            });
    assertThatThrownBy(() -> store.getRange("absent", 0, 10))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> store.getRange("absent", 0, 0))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> store.get("dir/absent")).isInstanceOf(ObjectNotFoundException.class);
    assertThat(store.head("absent")).isEmpty();
    assertThatCode(() -> store.delete("absent")).doesNotThrowAnyException();
    assertThatCode(() -> store.delete("no/such/dir/key")).doesNotThrowAnyException();
  }

  @Test
  void aPrefixOfKeysIsNotAnObject() {
    store.put("a/b/c", bytes("x"));

    assertThat(store.head("a/b")).isEmpty();
    assertThatThrownBy(() -> store.get("a/b")).isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> store.get("a")).isInstanceOf(ObjectNotFoundException.class);
  }

  // ---- ranged reads ----

  @Test
  void rangedReadsReturnTheRangeAndFewerBytesOnlyAtTheEnd() {
    byte[] data = bytes("0123456789");
    store.putIfAbsent("r", data);

    assertThat(store.getRange("r", 0, 10)).isEqualTo(data);
    assertThat(store.getRange("r", 2, 3)).isEqualTo(bytes("234"));
    assertThat(store.getRange("r", 0, 1)).isEqualTo(bytes("0"));
    assertThat(store.getRange("r", 9, 1)).isEqualTo(bytes("9"));
    assertThat(store.getRange("r", 7, 100)).isEqualTo(bytes("789"));
    assertThat(store.getRange("r", 0, Integer.MAX_VALUE)).isEqualTo(data);
    assertThat(store.getRange("r", 10, 5)).isEmpty();
    assertThat(store.getRange("r", 11, 5)).isEmpty();
    assertThat(store.getRange("r", Long.MAX_VALUE - 1, Integer.MAX_VALUE)).isEmpty();
    assertThat(store.getRange("r", 4, 0)).isEmpty();
    assertThat(store.getRange("r", 50, 0)).isEmpty();
  }

  @Test
  void rangedReadsRejectNegativeArguments() {
    store.putIfAbsent("r", bytes("0123"));

    assertThatThrownBy(() -> store.getRange("r", -1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset=-1");
    assertThatThrownBy(() -> store.getRange("r", 0, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length=-2");
  }

  // ---- empty and large objects ----

  @Test
  void emptyObjectsAreObjects() {
    store.putIfAbsent("empty", new byte[0]);

    assertThat(store.get("empty")).isEmpty();
    assertThat(store.getRange("empty", 0, 10)).isEmpty();
    assertThat(store.getRange("empty", 0, 0)).isEmpty();
    assertThat(store.head("empty")).map(ObjectInfo::size).hasValue(0L);
    assertThat(store.list(""))
        .extracting(ObjectInfo::key, ObjectInfo::size)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("empty", 0L));
    assertThatThrownBy(() -> store.putIfAbsent("empty", new byte[0]))
        .isInstanceOf(ObjectExistsException.class);
  }

  @Test
  void largeObjectsRoundTripWholeAndInRanges() {
    byte[] data = new byte[9 * 1024 * 1024 + 17];
    new Random(7).nextBytes(data);
    store.putIfAbsent("sst/nodes/Person/big.parquet", data);

    assertThat(store.get("sst/nodes/Person/big.parquet")).isEqualTo(data);
    assertThat(store.head("sst/nodes/Person/big.parquet"))
        .map(ObjectInfo::size)
        .hasValue((long) data.length);
    int offset = 5 * 1024 * 1024 + 3;
    assertThat(store.getRange("sst/nodes/Person/big.parquet", offset, 70_000))
        .isEqualTo(Arrays.copyOfRange(data, offset, offset + 70_000));
    assertThat(store.getRange("sst/nodes/Person/big.parquet", data.length - 10, 1000))
        .isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
  }

  // ---- listing ----

  /**
   * Keys whose order trips naive implementations ({@code /} sorts after {@code -} and {@code .}, a
   * directory walk does not), names special to the local store's first layout ({@code .d}), and
   * Unicode beyond the BMP (UTF-8 order differs from UTF-16 order there). No key is a whole-segment
   * prefix of another and no segment starts with a dot; see {@link #keysMayAlsoBePrefixes()} and
   * {@link #dotSegmentsAreKeys()}.
   */
  static final List<String> TRICKY_KEYS =
      List.of(
          "a-b",
          "a/b/c",
          "a/bc",
          "a.b",
          "a0",
          "a/c",
          "a b",
          "a+b",
          "a%b",
          "a~b",
          "A",
          "b",
          "x.d",
          "y.d/z",
          "x/y.d",
          "é",
          "e\u0301",
          "日本/語",
          "\uFFFD",
          "\uD83D\uDE00", // U+1F600: after U+FFFD in UTF-8, before it in UTF-16
          "z/\uD83D\uDE00/z");

  /** Byte order, computed independently of the code under test. */
  static final Comparator<String> BY_UTF8_BYTES =
      (x, y) -> Arrays.compareUnsigned(bytes(x), bytes(y));

  @Test
  void listingReturnsEveryObjectUnderAPrefixInUtf8ByteOrder() {
    List<String> shuffled = new ArrayList<>(TRICKY_KEYS);
    java.util.Collections.shuffle(shuffled, new Random(3));
    for (String key : shuffled) {
      store.putIfAbsent(key, bytes("value of " + key));
    }

    List<String> all = TRICKY_KEYS.stream().sorted(BY_UTF8_BYTES).toList();
    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactlyElementsOf(all);
    for (String prefix :
        List.of("a", "a/", "a/b", "a/b/", "a.", "x.d", "y.d/", "x/", "日本", "z/", "\uD83D\uDE00")) {
      assertThat(store.list(prefix))
          .as("list(%s)", prefix)
          .extracting(ObjectInfo::key)
          .containsExactlyElementsOf(all.stream().filter(k -> k.startsWith(prefix)).toList());
    }
    assertThat(store.list("nothing-here/")).isEmpty();
    for (ObjectInfo info : store.list("")) {
      assertThat(info.size()).isEqualTo(bytes("value of " + info.key()).length);
      assertThat(store.get(info.key())).isEqualTo(bytes("value of " + info.key()));
    }
  }

  /**
   * Whether the backend holds a key and keys below it at once ({@code a/b} and {@code a/b/c}).
   * Memory and AWS S3 do; MinIO hides the deeper keys from listings; a local directory, where a
   * file cannot also be a directory, refuses them.
   */
  protected boolean keysMayAlsoBePrefixes() {
    return true;
  }

  @Test
  void aKeyCanAlsoBeThePrefixOfOtherKeysWhereTheBackendAllows() {
    Assumptions.assumeTrue(keysMayAlsoBePrefixes(), "this backend cannot hold a/b next to a/b/c");
    List<String> keys = List.of("a", "a/b", "a-b", "a/b/c", "x.d", "x.d/y", "a/b/c/d");
    for (String key : keys) {
      store.putIfAbsent(key, bytes(key));
    }

    assertThat(store.list(""))
        .extracting(ObjectInfo::key)
        .containsExactlyElementsOf(keys.stream().sorted(BY_UTF8_BYTES).toList());
    assertThat(store.list("a/b"))
        .extracting(ObjectInfo::key)
        .containsExactly("a/b", "a/b/c", "a/b/c/d");
    for (String key : keys) {
      assertThat(store.get(key)).isEqualTo(bytes(key));
    }
    store.delete("a/b");
    assertThat(store.list("a/")).extracting(ObjectInfo::key).containsExactly("a/b/c", "a/b/c/d");
  }

  /**
   * Whether keys may have segments starting with a dot. Memory and S3 hold them; a local directory
   * refuses them (dot names are its temporary files and other tools' hidden files).
   */
  protected boolean dotSegmentsAreKeys() {
    return true;
  }

  @Test
  void segmentsStartingWithADotAreKeysWhereTheBackendAllows() {
    Assumptions.assumeTrue(dotSegmentsAreKeys(), "this backend refuses segments starting with .");
    List<String> keys = List.of(".hidden", "a/.b", "a/b");
    for (String key : keys) {
      store.putIfAbsent(key, bytes(key));
    }

    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactlyElementsOf(keys);
    assertThat(store.list("a/")).extracting(ObjectInfo::key).containsExactly("a/.b", "a/b");
    for (String key : keys) {
      assertThat(store.get(key)).isEqualTo(bytes(key));
    }
  }

  @Test
  void listingPagesThroughMoreThanAThousandObjects() throws Exception {
    int n = 1105;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(String.format("wal/%020d.wal", i));
    }
    parallel(keys, k -> store.putIfAbsent(k, bytes(k.substring(4, 24))));
    store.putIfAbsent("walrus", bytes("not in wal/"));

    List<ObjectInfo> listed = store.list("wal/");
    assertThat(listed).extracting(ObjectInfo::key).containsExactlyElementsOf(keys);
    assertThat(listed).allSatisfy(i -> assertThat(i.size()).isEqualTo(20));
    assertThat(store.list("wal/0000000000000000100"))
        .extracting(ObjectInfo::key)
        .containsExactlyElementsOf(
            keys.stream().filter(k -> k.startsWith("wal/0000000000000000100")).toList());
    assertThat(store.list("")).hasSize(n + 1);
  }

  @Test
  void etagsInListingsMatchHeadAndAreNormalised() {
    store.putIfAbsent("e/1", bytes("one"));
    store.putIfAbsent("e/2", bytes("two"));

    for (ObjectInfo listed : store.list("e/")) {
      ObjectInfo head = store.head(listed.key()).orElseThrow();
      assertThat(listed.etag()).isEqualTo(head.etag());
      assertThat(listed.etag()).doesNotContain("\"").doesNotStartWith("W/");
    }
  }

  // ---- delete ----

  @Test
  void deleteRemovesAndIsIdempotent() {
    store.putIfAbsent("gc/old", bytes("x"));
    store.putIfAbsent("gc/kept", bytes("y"));

    store.delete("gc/old");
    store.delete("gc/old");

    assertThat(store.head("gc/old")).isEmpty();
    assertThatThrownBy(() -> store.get("gc/old")).isInstanceOf(ObjectNotFoundException.class);
    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("gc/kept");
    store.putIfAbsent("gc/old", bytes("again"));
    assertThat(store.get("gc/old")).isEqualTo(bytes("again"));
  }

  // ---- visibility and isolation ----

  @Test
  void aWriteIsVisibleToAnotherClientOfTheSameRoot() {
    ObjectStore other = open("main");
    store.putIfAbsent("manifest/1", bytes("m1"));

    assertThat(other.get("manifest/1")).isEqualTo(bytes("m1"));
    assertThat(other.head("manifest/1")).isPresent();
    assertThat(other.list("manifest/")).extracting(ObjectInfo::key).containsExactly("manifest/1");
    assertThatThrownBy(() -> other.putIfAbsent("manifest/1", bytes("m1'")))
        .isInstanceOf(ObjectExistsException.class);
  }

  @Test
  void storesAtDifferentRootsShareNothing() {
    ObjectStore a = open("tenant-a");
    ObjectStore ab = open("tenant-ab");
    ObjectStore nested = open("tenant-a-x");
    for (ObjectStore s : List.of(a, ab, nested)) {
      s.putIfAbsent("manifest/1", bytes(s.location()));
    }
    ab.putIfAbsent("only-in-ab", bytes("x"));

    assertThat(a.get("manifest/1")).isEqualTo(bytes(a.location()));
    assertThat(ab.get("manifest/1")).isEqualTo(bytes(ab.location()));
    assertThat(a.list("")).extracting(ObjectInfo::key).containsExactly("manifest/1");
    assertThat(a.head("only-in-ab")).isEmpty();
    a.delete("manifest/1");
    assertThat(ab.get("manifest/1")).isEqualTo(bytes(ab.location()));
    assertThat(nested.get("manifest/1")).isEqualTo(bytes(nested.location()));
    assertThat(store.list("")).isEmpty();
    assertThat(a.location()).isNotEqualTo(ab.location());
  }

  // ---- keys ----

  @Test
  void malformedKeysAreRejected() {
    String tooLong = "k".repeat(200) + "/" + "k".repeat(200) + "/" + "k".repeat(112);
    String longSegment = "k".repeat(256);
    for (String bad :
        List.of("", "/a", "a/", "a//b", "tab\there", "bad\uD800surrogate", tooLong, longSegment)) {
      assertThatThrownBy(() -> store.putIfAbsent(bad, bytes("x")))
          .as("key %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid object key");
      assertThatThrownBy(() -> store.get(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.list("/a")).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void theLongestKeysWork() {
    String longest = "k".repeat(255) + "/" + "l".repeat(254) + "/m"; // 512 bytes
    String unicode = "日".repeat(85); // 255 bytes in one segment
    store.putIfAbsent(longest, bytes("longest key"));
    store.putIfAbsent(unicode, bytes("longest segment"));

    assertThat(store.get(longest)).isEqualTo(bytes("longest key"));
    assertThat(store.get(unicode)).isEqualTo(bytes("longest segment"));
    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly(longest, unicode);
  }

  // ---- counters ----

  @Test
  void callsAndBytesAreCountedPerOperation() {
    store.putIfAbsent("s/1", bytes("12345"));
    assertThatThrownBy(() -> store.putIfAbsent("s/1", bytes("123")))
        .isInstanceOf(ObjectExistsException.class);
    store.put("s/2", bytes("12"));
    store.get("s/1");
    store.getRange("s/1", 1, 2);
    assertThatThrownBy(() -> store.get("s/none")).isInstanceOf(ObjectNotFoundException.class);
    store.head("s/1");
    store.list("s/");
    store.delete("s/2");

    StoreStats stats = store.stats();
    assertThat(stats.calls(StoreOp.PUT_IF_ABSENT)).isEqualTo(2);
    assertThat(stats.bytes(StoreOp.PUT_IF_ABSENT)).isEqualTo(5);
    assertThat(stats.calls(StoreOp.PUT)).isEqualTo(1);
    assertThat(stats.puts()).isEqualTo(3);
    assertThat(stats.bytesWritten()).isEqualTo(7);
    assertThat(stats.gets()).isEqualTo(3);
    assertThat(stats.bytesRead()).isEqualTo(7);
    assertThat(stats.heads()).isEqualTo(1);
    assertThat(stats.lists()).isEqualTo(1);
    assertThat(stats.deletes()).isEqualTo(1);
    assertThat(stats.errors(StoreOp.GET)).isZero();

    StoreStats.Snapshot before = stats.snapshot();
    store.get("s/1");
    StoreStats.Snapshot diff = stats.snapshot().minus(before);
    assertThat(diff.gets()).isEqualTo(1);
    assertThat(diff.bytesRead()).isEqualTo(5);
    assertThat(diff.puts()).isZero();
  }

  @Test
  void locationNamesTheStore() {
    assertThat(store.location()).isNotBlank().doesNotEndWith("/");
    assertThat(open("other").location()).isNotEqualTo(store.location());
  }

  // ---- helpers ----

  /** Runs {@code action} for every item on 4 named threads; rethrows the first failure. */
  protected static void parallel(List<String> items, java.util.function.Consumer<String> action)
      throws InterruptedException {
    int threads = 4;
    AtomicInteger next = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                for (int i = next.getAndIncrement(); i < items.size(); i = next.getAndIncrement()) {
                  try {
                    action.accept(items.get(i));
                  } catch (Throwable e) {
                    failures.add(e);
                    return;
                  }
                }
              },
              "contract-worker-" + t);
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("parallel action failed", failures.peek());
    }
  }
}
