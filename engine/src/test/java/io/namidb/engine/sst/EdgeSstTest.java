package io.namidb.engine.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.UnsupportedFormatVersionException;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.Props;
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
