package io.namidb.engine.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.UnsupportedFormatVersionException;
import io.namidb.engine.model.Props;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeSstTest {
  private static final String OBJECT = "sst/nodes/Person/000001.parquet";
  private static final NodeColumns COLUMNS =
      new NodeColumns(
          "STRING",
          new LinkedHashMap<>(
              Map.of(
                  "flag", "BOOL",
                  "age", "INT64",
                  "score", "DOUBLE",
                  "name", "STRING",
                  "born", "TIMESTAMP",
                  "blob", "BYTES",
                  "emb", "VECTOR(64)")));

  private static List<NodeRow> rows(Random random, int n) {
    List<NodeRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = String.format("k%08d", i);
      if (random.nextInt(10) == 0) {
        rows.add(new NodeRow(key, null));
        continue;
      }
      Map<String, Object> props = new HashMap<>();
      if (random.nextBoolean()) {
        props.put("flag", random.nextBoolean());
      }
      props.put("age", (long) random.nextInt(100));
      props.put("score", random.nextDouble());
      props.put("name", random.nextInt(5) == 0 ? "" : "näme-" + i);
      props.put("born", Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)));
      props.put("blob", new byte[] {(byte) i, 0, -1});
      float[] emb = new float[64];
      for (int d = 0; d < 64; d++) {
        emb[d] = random.nextFloat();
      }
      props.put("emb", emb);
      rows.add(new NodeRow(key, props));
    }
    return rows;
  }

  @Test
  void roundTripsEveryTypeNullsAndTombstones() {
    List<NodeRow> rows = rows(new Random(1), 5000);
    byte[] file = NodeSstWriter.write("Person", COLUMNS, rows);
    try (NodeSstReader reader = NodeSstReader.open(OBJECT, new EdgeSstTest.CountingSource(file))) {
      assertThat(reader.label()).isEqualTo("Person");
      assertThat(reader.columns()).isEqualTo(COLUMNS);
      assertThat(reader.rows()).isEqualTo(5000);
      List<NodeRow> all = reader.all();
      assertThat(all).hasSize(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        NodeRow want = rows.get(i);
        NodeRow got = all.get(i);
        assertThat(got.key()).isEqualTo(want.key());
        assertThat(got.tombstone()).isEqualTo(want.tombstone());
        if (!want.tombstone()) {
          assertThat(Props.equal(got.props(), want.props())).as("row %d", i).isTrue();
        }
      }
    }
  }

  @Test
  void pointLookupFindsPresentKeysAndTombstonesAndNothingElse() {
    List<NodeRow> rows = rows(new Random(2), 20_000);
    byte[] file = NodeSstWriter.write("Person", COLUMNS, rows);
    EdgeSstTest.CountingSource source = new EdgeSstTest.CountingSource(file);
    try (NodeSstReader reader = NodeSstReader.open(OBJECT, source)) {
      NodeRow some = rows.get(12_345);
      assertThat(reader.get(some.key()))
          .get()
          .extracting(NodeRow::tombstone)
          .isEqualTo(some.tombstone());
      assertThat(reader.get("absent")).isEmpty();
      assertThat(reader.get("k99999999")).isEmpty();
    }
  }

  @Test
  void intKeysSortAndLookUpNumerically() {
    NodeColumns cols = new NodeColumns("INT64", Map.of("v", "INT64"));
    List<NodeRow> rows = new ArrayList<>();
    for (long k = -500; k < 500; k++) {
      rows.add(new NodeRow(k, Map.of("v", k * 2)));
    }
    byte[] file = NodeSstWriter.write("Account", cols, rows);
    try (NodeSstReader reader = NodeSstReader.open(OBJECT, new EdgeSstTest.CountingSource(file))) {
      assertThat(reader.get(-7L)).get().extracting(r -> r.props().get("v")).isEqualTo(-14L);
      assertThat(reader.get(10_000L)).isEmpty();
    }
  }

  @Test
  void damagedFileIsRefusedNamingTheObject() {
    byte[] file = NodeSstWriter.write("Person", COLUMNS, rows(new Random(3), 100));
    byte[] truncated = java.util.Arrays.copyOf(file, file.length - 10);
    assertThatThrownBy(() -> NodeSstReader.open(OBJECT, new EdgeSstTest.CountingSource(truncated)))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining(OBJECT);
  }

  @Test
  void flippedBytesAnywhereAreDetectedNamingTheObject() {
    byte[] good = NodeSstWriter.write("Person", COLUMNS, rows(new Random(5), 300));
    Random random = new Random(6);
    int detected = 0;
    for (int round = 0; round < 200; round++) {
      byte[] bad = good.clone();
      int at = 4 + random.nextInt(bad.length - 8); // past the leading PAR1 magic
      bad[at] ^= (byte) (1 << random.nextInt(8));
      try (NodeSstReader reader = NodeSstReader.open(OBJECT, new EdgeSstTest.CountingSource(bad))) {
        List<NodeRow> all = reader.all();
        // a flip that decodes must not silently change data: only padding/unused bytes may
        assertThat(all).hasSize(300);
      } catch (CorruptObjectException | UnsupportedFormatVersionException e) {
        assertThat(e).hasMessageContaining(OBJECT);
        detected++;
      }
    }
    assertThat(detected).as("corruptions detected out of 200").isGreaterThan(190);
  }

  @Test
  void unknownFormatVersionIsRefused() {
    byte[] file = NodeSstWriter.write("Person", COLUMNS, rows(new Random(4), 10), 7);
    assertThatThrownBy(() -> NodeSstReader.open(OBJECT, new EdgeSstTest.CountingSource(file)))
        .isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContaining("node sst")
        .hasMessageContaining("version=7");
  }
}
