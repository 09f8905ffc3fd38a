package io.namidb.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.UnsupportedFormatVersionException;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.Props;
import io.namidb.engine.model.WriteBatch;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WalSegmentTest {
  private static final String OBJECT = "wal/00000000000000000007.wal";

  static WriteBatch everyType() {
    Map<String, Object> props = new HashMap<>();
    props.put("null", null);
    props.put("bool", true);
    props.put("int", Long.MIN_VALUE);
    props.put("double", -0.5);
    props.put("string", "héllo \u0000 wörld");
    props.put("empty", "");
    props.put("ts", Instant.parse("2026-11-24T07:00:00.123456789Z"));
    props.put("bytes", new byte[] {0, 1, (byte) 0xff});
    props.put("vector", new float[] {1.5f, -2f, Float.MIN_VALUE});
    props.put("bigvector", new float[4096]);
    NodeKey alice = NodeKey.of("Person", "alice");
    NodeKey n42 = NodeKey.of("Account", 42L);
    return WriteBatch.builder()
        .node(new Node(alice, props))
        .node(new Node(n42, Map.of()))
        .edge(new Edge(new EdgeKey("OWNS", alice, n42), Map.of("since", 2020L)))
        .deleteNode(NodeKey.of("Person", "bob"))
        .deleteEdge(new EdgeKey("KNOWS", alice, NodeKey.of("Person", "carol")))
        .build();
  }

  @Test
  void roundTripsEveryValueTypeIncludingNullsAndLargeVectors() {
    WriteBatch batch = everyType();
    WalSegment segment = new WalSegment(WalSegment.Kind.DATA, 7, 3, "w-1", "n-1", List.of(batch));

    WalSegment decoded = WalSegment.decode(OBJECT, segment.encode());

    assertThat(decoded.kind()).isEqualTo(WalSegment.Kind.DATA);
    assertThat(decoded.id()).isEqualTo(7);
    assertThat(decoded.epoch()).isEqualTo(3);
    assertThat(decoded.writerId()).isEqualTo("w-1");
    assertThat(decoded.nonce()).isEqualTo("n-1");
    WriteBatch got = decoded.batches().get(0);
    assertThat(got.nodes()).hasSize(2);
    assertThat(Props.equal(got.nodes().get(0).props(), batch.nodes().get(0).props())).isTrue();
    assertThat(got.nodes().get(1).id()).isEqualTo(NodeKey.of("Account", 42L));
    assertThat(got.edges().get(0).id()).isEqualTo(batch.edges().get(0).id());
    assertThat(got.edges().get(0).props()).containsEntry("since", 2020L);
    assertThat(got.deleteNodes()).isEqualTo(batch.deleteNodes());
    assertThat(got.deleteEdges()).isEqualTo(batch.deleteEdges());
  }

  @Test
  void keysAreTheZeroPaddedIdAndParseBack() {
    for (long id : new long[] {0, 1, 9, 10, 12_345, 99_999_999_999L, Long.MAX_VALUE}) {
      String key = WalSegment.key(id);
      assertThat(key).isEqualTo(String.format("wal/%020d.wal", id)).hasSize(28);
      assertThat(WalSegment.idOf(key)).isEqualTo(id);
    }
  }

  @Test
  void fenceSegmentHasNoBatches() {
    byte[] bytes = new WalSegment(WalSegment.Kind.FENCE, 7, 9, "w", "n", List.of()).encode();
    WalSegment decoded = WalSegment.decode(OBJECT, bytes);
    assertThat(decoded.kind()).isEqualTo(WalSegment.Kind.FENCE);
    assertThat(decoded.batches()).isEmpty();
  }

  @Test
  void everyFlippedBitIsDetectedAndNamesTheObject() {
    byte[] good =
        new WalSegment(WalSegment.Kind.DATA, 7, 3, "w-1", "n-1", List.of(everyType(), everyType()))
            .encode();
    Random random = new Random(42);
    for (int round = 0; round < 500; round++) {
      byte[] bad = good.clone();
      int at = random.nextInt(bad.length);
      bad[at] ^= (byte) (1 << random.nextInt(8));
      assertThatThrownBy(() -> WalSegment.decode(OBJECT, bad))
          .as("flip at byte %d", at)
          .isInstanceOfAny(CorruptObjectException.class, UnsupportedFormatVersionException.class)
          .hasMessageContaining(OBJECT);
    }
  }

  @Test
  void everyTruncationIsDetected() {
    byte[] good =
        new WalSegment(WalSegment.Kind.DATA, 7, 3, "w-1", "n-1", List.of(everyType())).encode();
    for (int length = 0; length < good.length; length += Math.max(1, good.length / 300)) {
      byte[] torn = java.util.Arrays.copyOf(good, length);
      assertThatThrownBy(() -> WalSegment.decode(OBJECT, torn))
          .isInstanceOf(CorruptObjectException.class)
          .hasMessageContaining("corrupt wal segment")
          .hasMessageContaining(OBJECT);
    }
  }

  @Test
  void unknownVersionIsRefusedWithAClearError() {
    byte[] bytes = new WalSegment(WalSegment.Kind.FENCE, 7, 1, "w", "n", List.of()).encode();
    bytes[9] = 2; // version u16 after the 8-byte magic
    assertThatThrownBy(() -> WalSegment.decode(OBJECT, bytes))
        .isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContaining("newer NamiDB")
        .hasMessageContaining("version=2");
  }

  @Test
  void segmentStoredUnderAnotherIdIsRefused() {
    byte[] bytes = new WalSegment(WalSegment.Kind.FENCE, 8, 1, "w", "n", List.of()).encode();
    assertThatThrownBy(() -> WalSegment.decode(OBJECT, bytes))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("does not match its name");
  }

  @Test
  void keysAreTwentyDigitsAndParseBack() {
    assertThat(WalSegment.key(1234)).isEqualTo("wal/00000000000000001234.wal");
    assertThat(WalSegment.idOf(WalSegment.key(1234))).isEqualTo(1234);
    assertThat(WalSegment.idOf("wal/garbage.wal")).isEqualTo(-1);
  }
}
