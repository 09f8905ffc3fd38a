package io.namidb.engine.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.UnsupportedFormatVersionException;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.Props;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.StoreStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EdgeSstTest {
  private static final String OBJECT = "sst/edges/KNOWS/000001.out.edg";

  /** Counts reads, so tests can check the GET budget of the format. */
  static final class CountingSource implements RangeSource {
    final byte[] bytes;
    int reads;

    CountingSource(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public byte[] read(long offset, int length) {
      reads++;
      int end = (int) Math.min(bytes.length, offset + length);
      return Arrays.copyOfRange(bytes, (int) offset, end);
    }

    @Override
    public long size() {
      return bytes.length;
    }
  }

  /** source sort key → neighbour sort key → props (null: tombstone). */
  private static TreeMap<byte[], TreeMap<byte[], Map<String, Object>>> randomGraph(
      Random random, int sources, int maxDegree) {
    TreeMap<byte[], TreeMap<byte[], Map<String, Object>>> graph = new TreeMap<>(SortKey::compare);
    for (int s = 0; s < sources; s++) {
      NodeKey src =
          random.nextBoolean()
              ? NodeKey.of("Person", (long) random.nextInt(1_000_000) - 500_000)
              : NodeKey.of("Person", "p" + random.nextInt(1_000_000));
      TreeMap<byte[], Map<String, Object>> adj = new TreeMap<>(SortKey::compare);
      int degree = 1 + random.nextInt(maxDegree);
      for (int d = 0; d < degree; d++) {
        NodeKey n = NodeKey.of("City", (long) random.nextInt(10_000));
        Map<String, Object> props = null;
        if (random.nextInt(10) != 0) {
          props = new HashMap<>();
          props.put("since", (long) random.nextInt(3000));
          props.put("note", random.nextBoolean() ? "" : "n" + random.nextInt());
          props.put("at", Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)));
          props.put("w", random.nextDouble());
          props.put("nil", null);
          props.put("emb", new float[] {random.nextFloat(), random.nextFloat()});
        }
        adj.put(SortKey.encode(n), props);
      }
      graph.put(SortKey.encode(src), adj);
    }
    return graph;
  }

  private static byte[] write(
      TreeMap<byte[], TreeMap<byte[], Map<String, Object>>> graph, int blockBytes) {
    EdgeSstWriter w = new EdgeSstWriter("KNOWS", Direction.OUT, blockBytes);
    graph.forEach(
        (s, adj) -> adj.forEach((n, props) -> w.add(SortKey.decode(s), SortKey.decode(n), props)));
    return w.finish();
  }

  @Test
  void roundTripsEveryAdjacencyListAcrossManyBlocks() {
    Random random = new Random(7);
    var graph = randomGraph(random, 2000, 20);
    byte[] file = write(graph, 4096);
    CountingSource source = new CountingSource(file);
    EdgeSstReader reader = EdgeSstReader.open(OBJECT, source);
    assertThat(reader.blocks()).isGreaterThan(10);
    assertThat(reader.sources()).isEqualTo(graph.size());

    for (var e : graph.entrySet()) {
      List<AdjacencyEntry> got = reader.neighbours(SortKey.decode(e.getKey()));
      assertThat(got).hasSize(e.getValue().size());
      int i = 0;
      for (var n : e.getValue().entrySet()) {
        AdjacencyEntry entry = got.get(i++);
        assertThat(entry.neighbour()).isEqualTo(SortKey.decode(n.getKey()));
        assertThat(entry.tombstone()).isEqualTo(n.getValue() == null);
        if (n.getValue() != null) {
          assertThat(Props.equal(entry.props(), n.getValue())).isTrue();
        }
      }
    }
    long total = graph.values().stream().mapToLong(Map::size).sum();
    assertThat(reader.all()).hasSize((int) total);
    assertThat(reader.rows()).isEqualTo(total);
  }

  @Test
  void coldOneHopCostsAtMostThreeReads() {
    var graph = randomGraph(new Random(3), 3000, 10);
    byte[] file = write(graph, 64 * 1024);
    NodeKey some = SortKey.decode(graph.keySet().stream().skip(1234).findFirst().orElseThrow());
    CountingSource source = new CountingSource(file);
    EdgeSstReader reader = EdgeSstReader.open(OBJECT, source);
    assertThat(reader.neighbours(some)).isNotEmpty();
    assertThat(source.reads).isLessThanOrEqualTo(3);
  }

  /**
   * The benchmark's default graph in one edge SST (bench {@code GraphGenerator}'s shape: 200k
   * Person nodes, 2M distinct edges without self loops, sources drawn as {@code floor(u^1.5 N)},
   * destinations as {@code floor(u^2.5 N)}, no properties), written with the block size flushes and
   * compactions use. Sorted {@code from * N + to}.
   */
  private static long[] benchSizedEdges(int nodes, int edges) {
    Random random = new Random(42);
    long[] packed = new long[edges + edges / 4];
    int n = 0;
    while (n < packed.length) {
      long from = (long) (Math.pow(random.nextDouble(), 1.5) * nodes);
      long to = (long) (Math.pow(random.nextDouble(), 2.5) * nodes);
      if (from != to) {
        packed[n++] = from * nodes + to;
      }
    }
    long[] distinct = Arrays.stream(packed).sorted().distinct().toArray();
    for (int i = distinct.length - 1; i > 0; i--) { // keep a random `edges` of them
      int j = random.nextInt(i + 1);
      long t = distinct[i];
      distinct[i] = distinct[j];
      distinct[j] = t;
    }
    assertThat(distinct.length).isGreaterThanOrEqualTo(edges);
    long[] kept = Arrays.copyOf(distinct, edges);
    Arrays.sort(kept);
    return kept;
  }

  @Test
  void coldOneHopOnABenchSizedSstIsThreeGetsAndUnder64KiB() {
    int nodes = 200_000;
    long[] edges = benchSizedEdges(nodes, 2_000_000);
    EdgeSstWriter w = new EdgeSstWriter("KNOWS", Direction.OUT, EdgeSstFormat.BLOCK_BYTES);
    for (long e : edges) {
      w.add(NodeKey.of("Person", e / nodes), NodeKey.of("Person", e % nodes), Map.of());
    }
    byte[] file = w.finish();
    MemoryObjectStore store = new MemoryObjectStore();
    store.put(OBJECT, file);

    Random random = new Random(7);
    long maxGets = 0;
    long maxBytes = 0;
    long totalBytes = 0;
    int probes = 50;
    for (int i = 0; i < probes; i++) {
      // half drawn like edge sources (hubs among them), half uniform, as bench/run Compare does
      long probe =
          i % 2 == 0 ? (long) (Math.pow(random.nextDouble(), 1.5) * nodes) : random.nextInt(nodes);
      StoreStats.Snapshot before = store.stats().snapshot();
      EdgeSstReader reader =
          EdgeSstReader.open(
              OBJECT, new SstCache(1 << 20).source(store, OBJECT, file.length), DecodedCache.NONE);
      List<AdjacencyEntry> got = reader.neighbours(NodeKey.of("Person", probe));
      StoreStats.Snapshot cost = store.stats().snapshot().minus(before);

      int lo = lowerBound(edges, probe * nodes);
      int hi = lowerBound(edges, (probe + 1) * nodes);
      assertThat(got).as("degree of %d", probe).hasSize(hi - lo);
      for (int j = 0; j < got.size(); j++) {
        assertThat(got.get(j).neighbour()).isEqualTo(NodeKey.of("Person", edges[lo + j] % nodes));
      }
      maxGets = Math.max(maxGets, cost.gets());
      maxBytes = Math.max(maxBytes, cost.bytesRead());
      totalBytes += cost.bytesRead();
    }
    System.out.printf(
        "bench-sized out SST: %d bytes (%.2f per edge), %d blocks; cold one-hop: max %d GETs,"
            + " max %d bytes, mean %d bytes%n",
        file.length,
        (double) file.length / edges.length,
        EdgeSstReader.open(OBJECT, new CountingSource(file)).blocks(),
        maxGets,
        maxBytes,
        totalBytes / probes);
    assertThat(maxGets).isLessThanOrEqualTo(3);
    assertThat(maxBytes).isLessThanOrEqualTo(64 * 1024);
  }

  private static int lowerBound(long[] sorted, long value) {
    int i = Arrays.binarySearch(sorted, value);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && sorted[i - 1] == value) {
      i--;
    }
    return i;
  }

  @Test
  void longRunsOfNeighboursAreStoredCompressed() {
    EdgeSstWriter w = new EdgeSstWriter("KNOWS", Direction.OUT, EdgeSstFormat.BLOCK_BYTES);
    int rows = 0;
    for (long s = 0; s < 50; s++) {
      for (long n = 0; n < 2000; n++) {
        w.add(NodeKey.of("Person", s), NodeKey.of("Person", 3 * n), Map.of("since", 2020L));
        rows++;
      }
    }
    byte[] file = w.finish();
    // uncompressed, each row takes at least 1 + 1 + 1 + 1 + 1 + 9 + 9 bytes
    assertThat(file.length).isLessThan(rows * 4);
    EdgeSstReader reader = EdgeSstReader.open(OBJECT, new CountingSource(file));
    assertThat(reader.version()).isEqualTo(EdgeSstFormat.VERSION);
    assertThat(reader.all()).hasSize(rows);
    List<AdjacencyEntry> seven = reader.neighbours(NodeKey.of("Person", 7L));
    assertThat(seven).hasSize(2000);
    assertThat(seven.get(1999).neighbour()).isEqualTo(NodeKey.of("Person", 3 * 1999L));
    assertThat(seven.get(1999).props()).containsEntry("since", 2020L);
  }

  @Test
  void blocksCompressedByLibzstdAndInJavaAreReadAlike() throws IOException {
    // on Linux x86-64 (CI, the images) libzstd must load, or the native path would go untested;
    // elsewhere, where it may not, the Java half runs alone
    if (System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").equals("amd64")) {
      assertThat(BlockCodec.nativeCompression()).as("libzstd loaded").isTrue();
    }
    Random random = new Random(5);
    for (int i = 0; i < 60; i++) {
      byte[] body = new byte[i == 0 ? 0 : random.nextInt(40_000)];
      for (int at = 0; at < body.length; ) { // runs of one byte between random stretches
        int run = Math.min(body.length - at, 1 + random.nextInt(64));
        byte b = (byte) random.nextInt();
        boolean repeat = random.nextBoolean();
        for (int k = 0; k < run; k++) {
          body[at++] = repeat ? b : (byte) random.nextInt();
        }
      }
      for (boolean nativeCodec : new boolean[] {BlockCodec.nativeCompression(), false}) {
        BlockCodec.Encoded e = BlockCodec.encode(body, nativeCodec);
        if (body.length > 1000) {
          assertThat(e.codec())
              .as("codec of %s bytes", body.length)
              .isEqualTo(EdgeSstFormat.CODEC_ZSTD);
        }
        assertThat(BlockCodec.decode(e.codec(), body.length, e.payload(), 0, e.payload().length))
            .isEqualTo(body);
      }
    }
  }

  @Test
  void blocksThatWouldExpandBeyondTheRatioLimitAreRefused() {
    byte[] payload = BlockCodec.encode(new byte[100_000]).payload();
    assertThatThrownBy(
            () ->
                BlockCodec.decode(
                    EdgeSstFormat.CODEC_ZSTD,
                    payload.length * EdgeSstFormat.MAX_RATIO + 1,
                    payload,
                    0,
                    payload.length))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("expands too much");
    assertThatThrownBy(() -> BlockCodec.decode(7, 3, new byte[3], 0, 3))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unknown block codec 7");
  }

  /**
   * Version 1 files (written before per-block bloom filters and compression) are still read: the
   * committed fixtures are {@code FuzzSeedsTest}'s edge SSTs as the version 1 writer made them.
   */
  @Test
  void readsVersion1Files() throws IOException {
    Path dir = Path.of("src/test/resources/io/namidb/engine/sst/EdgeSstFuzzTestInputs/read");
    for (String name : List.of("v1-one-block", "v1-many-blocks")) {
      EdgeSstReader reader =
          EdgeSstReader.open(OBJECT, new CountingSource(Files.readAllBytes(dir.resolve(name))));
      assertThat(reader.version()).as(name).isEqualTo(1);
      assertThat(reader.rows()).isEqualTo(4);
      assertThat(reader.sources()).isEqualTo(3);
      assertThat(reader.all()).hasSize(4);
      List<AdjacencyEntry> seven = reader.neighbours(NodeKey.of("Person", 7L));
      assertThat(seven).hasSize(1);
      assertThat(seven.get(0).neighbour()).isEqualTo(NodeKey.of("Person", 8L));
      assertThat(seven.get(0).props()).containsEntry("since", 1L);
      List<AdjacencyEntry> alice = reader.neighbours(NodeKey.of("Person", "alice"));
      assertThat(alice).extracting(AdjacencyEntry::tombstone).containsExactly(false, true);
      assertThat(alice.get(0).props()).containsEntry("since", 2020L);
      assertThat(reader.neighbours(NodeKey.of("Person", "bob")))
          .extracting(AdjacencyEntry::neighbour)
          .containsExactly(NodeKey.of("City", 1L));
      assertThat(reader.neighbours(NodeKey.of("Person", "zed"))).isEmpty();
    }
    EdgeSstReader empty =
        EdgeSstReader.open(OBJECT, new CountingSource(Files.readAllBytes(dir.resolve("v1-empty"))));
    assertThat(empty.rows()).isZero();
    assertThat(empty.neighbours(NodeKey.of("Person", 7L))).isEmpty();
  }

  @Test
  void absentSourceIsMostlyAnsweredByTheBloomFilterWithoutReads() {
    var graph = randomGraph(new Random(5), 1000, 5);
    CountingSource source = new CountingSource(write(graph, 4096));
    EdgeSstReader reader = EdgeSstReader.open(OBJECT, source);
    int before = source.reads;
    for (int i = 0; i < 1000; i++) {
      assertThat(reader.neighbours(NodeKey.of("Nobody", "n" + i))).isEmpty();
    }
    assertThat(source.reads - before).as("false positives ~1%").isLessThan(50);
  }

  @Test
  void emptySstIsValid() {
    byte[] file = new EdgeSstWriter("KNOWS", Direction.IN, 4096).finish();
    EdgeSstReader reader = EdgeSstReader.open(OBJECT, new CountingSource(file));
    assertThat(reader.rows()).isZero();
    assertThat(reader.neighbours(NodeKey.of("Person", "x"))).isEmpty();
  }

  @Test
  void anyFlippedByteInABlockOrFooterIsDetectedNamingTheObject() {
    var graph = randomGraph(new Random(11), 200, 5);
    byte[] good = write(graph, 1024);
    Random random = new Random(13);
    for (int round = 0; round < 300; round++) {
      byte[] bad = good.clone();
      int at = 8 + 2 + 1 + 4 + 5 + random.nextInt(bad.length - 20); // past the header
      bad[at] ^= (byte) (1 << random.nextInt(8));
      assertThatThrownBy(
              () -> {
                EdgeSstReader reader = EdgeSstReader.open(OBJECT, new CountingSource(bad));
                reader.all();
                graph.keySet().forEach(s -> reader.neighbours(SortKey.decode(s))); // blooms
              })
          .as("flip at %d", at)
          .isInstanceOfAny(CorruptObjectException.class, UnsupportedFormatVersionException.class)
          .hasMessageContaining(OBJECT);
    }
  }

  @Test
  void unknownFormatVersionIsRefused() {
    byte[] file = write(randomGraph(new Random(1), 10, 2), 4096);
    EdgeSstReader.open(OBJECT, new CountingSource(file)); // fine as written
    // rewrite the footer's version and fix its checksum, as a newer writer would produce
    long footerOffset = java.nio.ByteBuffer.wrap(file, file.length - 20, 8).getLong();
    int footerLength = java.nio.ByteBuffer.wrap(file, file.length - 12, 4).getInt();
    file[(int) footerOffset + 1] = 9;
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(file, (int) footerOffset, footerLength - 4);
    java.nio.ByteBuffer.wrap(file, (int) footerOffset + footerLength - 4, 4)
        .putInt((int) crc.getValue());
    assertThatThrownBy(() -> EdgeSstReader.open(OBJECT, new CountingSource(file)))
        .isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContaining("edge sst")
        .hasMessageContaining("version=9");
  }

  @Test
  void rowsOutOfOrderAreRefusedByTheWriter() {
    EdgeSstWriter w = new EdgeSstWriter("KNOWS", Direction.OUT, 4096);
    w.add(NodeKey.of("P", 2L), NodeKey.of("P", 1L), Map.of());
    assertThatThrownBy(() -> w.add(NodeKey.of("P", 1L), NodeKey.of("P", 1L), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.add(NodeKey.of("P", 2L), NodeKey.of("P", 1L), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theWritersOrderCheckAgreesWithSortKeyOrderForEveryPair() {
    // ints, strings that are prefixes of one another, bytes above 0x7f, the empty string
    List<NodeKey> keys = new ArrayList<>();
    for (String s : List.of("", "a", "ab", "abc", "b", "z", "\u00e9", "\u00e9t\u00e9", "a\u0000")) {
      keys.add(NodeKey.of("P", s));
      keys.add(NodeKey.of("Q", s));
    }
    for (long v : new long[] {Long.MIN_VALUE, -256, -1, 0, 1, 127, 128, 255, 256, Long.MAX_VALUE}) {
      keys.add(NodeKey.of("P", v));
    }
    NodeKey source = NodeKey.of("S", 1L);
    for (NodeKey first : keys) {
      for (NodeKey second : keys) {
        EdgeSstWriter w = new EdgeSstWriter("KNOWS", Direction.OUT, 4096);
        w.add(source, first, Map.of());
        boolean after = SortKey.compare(SortKey.encode(second), SortKey.encode(first)) > 0;
        if (after) {
          w.add(source, second, Map.of());
          EdgeSstReader reader = EdgeSstReader.open(OBJECT, new CountingSource(w.finish()));
          assertThat(reader.neighbours(source))
              .extracting(AdjacencyEntry::neighbour)
              .containsExactly(first, second);
        } else {
          assertThatThrownBy(() -> w.add(source, second, Map.of()))
              .as("%s after %s", second, first)
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("neighbours out of order or repeated");
        }
      }
    }
  }

  @Test
  void int64NeighboursGivenAsPrefixAndKeyWriteTheSameBytesAsTheirSortKeys() {
    Random random = new Random(11);
    TreeMap<byte[], TreeMap<byte[], Map<String, Object>>> graph = new TreeMap<>(SortKey::compare);
    for (int s = 0; s < 300; s++) {
      TreeMap<byte[], Map<String, Object>> adj = new TreeMap<>(SortKey::compare);
      int degree = 1 + random.nextInt(random.nextInt(10) == 0 ? 2000 : 20);
      for (int d = 0; d < degree; d++) {
        // two INT64 labels, one a prefix of the other, around 0 and the extremes; STRING keys too
        NodeKey n =
            switch (random.nextInt(5)) {
              case 0 -> NodeKey.of("City", (long) random.nextInt(2000) - 1000);
              case 1 -> NodeKey.of("Cit", random.nextLong());
              case 2 -> NodeKey.of("City", Long.MAX_VALUE - random.nextInt(3));
              case 3 -> NodeKey.of("City", Long.MIN_VALUE + random.nextInt(3));
              default -> NodeKey.of("City", "c" + random.nextInt(500));
            };
        adj.put(SortKey.encode(n), random.nextInt(20) == 0 ? null : Map.of("since", (long) d));
      }
      graph.put(SortKey.encode(NodeKey.of("Person", (long) s * 7 - 1000)), adj);
    }
    EdgeSstWriter asArrays = new EdgeSstWriter("KNOWS", Direction.OUT, 4096);
    EdgeSstWriter asInt64 = new EdgeSstWriter("KNOWS", Direction.OUT, 4096);
    Map<String, byte[]> prefixes = new HashMap<>();
    graph.forEach(
        (s, adj) ->
            adj.forEach(
                (n, props) -> {
                  asArrays.add(s, n, props);
                  NodeKey key = SortKey.decode(n);
                  if (key.key() instanceof Long l) {
                    byte[] prefix = prefixes.computeIfAbsent(key.label(), SortKey::int64Prefix);
                    asInt64.add(s, prefix, l, props);
                  } else {
                    asInt64.add(s, n, props);
                  }
                }));
    assertThat(asInt64.rows()).isEqualTo(asArrays.rows());
    assertThat(asInt64.finish()).isEqualTo(asArrays.finish());
  }

  @Test
  void anInt64NeighbourOutOfOrderOrRepeatedIsRefused() {
    byte[] source = SortKey.encode(NodeKey.of("P", 1L));
    byte[] prefix = SortKey.int64Prefix("Q");
    EdgeSstWriter w = new EdgeSstWriter("KNOWS", Direction.OUT, 4096);
    w.add(source, prefix, -1L, Map.of());
    w.add(source, prefix, 5L, Map.of());
    assertThatThrownBy(() -> w.add(source, prefix, 5L, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neighbours out of order or repeated: Q:5");
    assertThatThrownBy(() -> w.add(source, prefix, 3L, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Q:3");
    // a refused key leaves the last one as it was: 4 is still before 5, 5 still a repeat
    assertThatThrownBy(() -> w.add(source, prefix, 4L, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Q:4");
    assertThatThrownBy(() -> w.add(source, prefix, 5L, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Q:5");
    w.add(source, prefix, 6L, Map.of());
    // a STRING key of the same label sorts after every INT64 one
    w.add(source, SortKey.encode(NodeKey.of("Q", "a")), Map.of());
    assertThatThrownBy(() -> w.add(source, prefix, 7L, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    EdgeSstReader reader = EdgeSstReader.open(OBJECT, new CountingSource(w.finish()));
    assertThat(reader.neighbours(NodeKey.of("P", 1L)))
        .extracting(AdjacencyEntry::neighbour)
        .containsExactly(
            NodeKey.of("Q", -1L), NodeKey.of("Q", 5L), NodeKey.of("Q", 6L), NodeKey.of("Q", "a"));
  }

  @Test
  void aSourceGivenAgainAsAnotherArrayContinuesItsList() {
    EdgeSstWriter w = new EdgeSstWriter("KNOWS", Direction.OUT, 4096);
    NodeKey source = NodeKey.of("P", 7L);
    w.add(SortKey.encode(source), SortKey.encode(NodeKey.of("P", 1L)), Map.of());
    w.add(SortKey.encode(source), SortKey.encode(NodeKey.of("P", 2L)), Map.of());
    EdgeSstReader reader = EdgeSstReader.open(OBJECT, new CountingSource(w.finish()));
    assertThat(reader.neighbours(source)).hasSize(2);
    assertThat(reader.all()).hasSize(2);
  }

  @Test
  void sortKeysOrderIntsNumericallyBeforeStrings() {
    List<NodeKey> keys =
        new ArrayList<>(
            List.of(
                NodeKey.of("A", "b"),
                NodeKey.of("A", 5L),
                NodeKey.of("A", -5L),
                NodeKey.of("A", "a"),
                NodeKey.of("B", Long.MIN_VALUE),
                NodeKey.of("A", Long.MAX_VALUE)));
    keys.sort((x, y) -> SortKey.compare(SortKey.encode(x), SortKey.encode(y)));
    assertThat(keys)
        .containsExactly(
            NodeKey.of("A", -5L),
            NodeKey.of("A", 5L),
            NodeKey.of("A", Long.MAX_VALUE),
            NodeKey.of("A", "a"),
            NodeKey.of("A", "b"),
            NodeKey.of("B", Long.MIN_VALUE));
    for (NodeKey k : keys) {
      assertThat(SortKey.decode(SortKey.encode(k))).isEqualTo(k);
    }
  }
}
