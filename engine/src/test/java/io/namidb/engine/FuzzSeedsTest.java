package io.namidb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.sst.EdgeSstWriter;
import io.namidb.engine.sst.SstNames;
import io.namidb.engine.wal.BatchCodec;
import io.namidb.engine.wal.WalSegment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed inputs of the fuzz targets' corpora, made by the real encoders so fuzzing starts from
 * well-formed segments, SSTs and manifests. The committed files ({@code seed-*} in each target's
 * {@code Inputs} directory) must equal what the encoders make today; after a format change, rewrite
 * them with {@code -Dnamidb.fuzz.writeSeeds=true}. Edge SSTs' blocks are compressed by libzstd
 * where it loads (CI, Linux x86-64): elsewhere their seeds are not compared.
 */
class FuzzSeedsTest {
  private static final Path RESOURCES = Path.of("src/test/resources/io/namidb/engine");

  static Map<Path, byte[]> seeds() {
    Map<Path, byte[]> seeds = new LinkedHashMap<>();
    Path wal = RESOURCES.resolve("wal/WalSegmentFuzzTestInputs/decode");
    WriteBatch batch = batch();
    seeds.put(
        wal.resolve("seed-data-segment"),
        new WalSegment(WalSegment.Kind.DATA, 7, 3, "w-1", "n-1", List.of(batch, batch)).encode());
    seeds.put(
        wal.resolve("seed-fence-segment"),
        new WalSegment(WalSegment.Kind.FENCE, 7, 4, "w-2", "n-2", List.of()).encode());
    seeds.put(wal.resolve("seed-batch-payload"), BatchCodec.encode(batch));

    Path sst = RESOURCES.resolve("sst/EdgeSstFuzzTestInputs/read");
    seeds.put(sst.resolve("seed-one-block"), edgeSst(1 << 16));
    seeds.put(sst.resolve("seed-many-blocks"), edgeSst(16));
    seeds.put(sst.resolve("seed-empty"), new EdgeSstWriter("KNOWS", Direction.OUT, 1024).finish());
    seeds.put(sst.resolve("seed-compressed-blocks"), compressibleEdgeSst());

    Path manifest = RESOURCES.resolve("manifest/ManifestFuzzTestInputs/decode");
    Manifest empty = Manifest.empty();
    Manifest v42 =
        new Manifest(
            Manifest.FORMAT_VERSION,
            42,
            3,
            "w-1",
            "c-1",
            "2026-12-01T00:00:00Z",
            17,
            Schema.parse(SCHEMA).toJson(),
            List.of(
                new SstEntry(
                    "node",
                    "Person",
                    null,
                    SstNames.node("Person", SstNames.id(3, 1)),
                    "alice",
                    "carol",
                    3,
                    900,
                    "0badcafe",
                    0),
                new SstEntry(
                    "edge",
                    "KNOWS",
                    "out",
                    SstNames.edge("KNOWS", SstNames.id(3, 2), Direction.OUT),
                    "Person:alice",
                    "Person:bob",
                    2,
                    300,
                    "00c0ffee",
                    1)),
            false);
    seeds.put(manifest.resolve("seed-manifest"), ManifestStore.encode(v42));
    seeds.put(
        manifest.resolve("seed-sealed-manifest"),
        ManifestStore.encode(empty.next(5, "w-9", "c-9", "").tombstone("c-10")));

    Path uri = RESOURCES.resolve("store/NamespaceUriFuzzTestInputs/parse");
    seeds.put(uri.resolve("seed-s3"), utf8("s3://my-bucket/data?ns=tenant-acme"));
    seeds.put(
        uri.resolve("seed-s3-every-parameter"),
        utf8(
            "s3://t-bucket.1/data/t%C3%A9nants?ns=a-1&endpoint=http%3A%2F%2F127.0.0.1%3A9000"
                + "&region=us-east-1&pathStyle=true"));
    seeds.put(uri.resolve("seed-file"), utf8("file:///var/lib/nami/data?ns=demo"));
    seeds.put(uri.resolve("seed-location"), utf8("s3://backups/tenant-acme?region=eu-west-3"));
    return seeds;
  }

  private static final String SCHEMA =
      "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"age\":\"INT64\","
          + "\"emb\":\"VECTOR(3)\"},\"indexes\":[\"age\"]}},"
          + "\"edgeTypes\":{\"KNOWS\":{\"from\":\"Person\",\"to\":\"Person\","
          + "\"properties\":{\"since\":\"INT64\"}}}}";

  /** One value of every type, null included, in a fixed order. */
  private static Map<String, Object> everyValue() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("since", 2020L);
    props.put("w", 0.25);
    props.put("note", "héllo");
    props.put("at", Instant.ofEpochSecond(1_700_000_000L, 5));
    props.put("raw", new byte[] {0, 1, (byte) 0xff});
    props.put("v", new float[] {1.5f, -2f});
    props.put("ok", false);
    props.put("none", null);
    return props;
  }

  /** Both key types and every kind of mutation. */
  private static WriteBatch batch() {
    NodeKey alice = NodeKey.of("Person", "alice");
    NodeKey city = NodeKey.of("City", 7L);
    WriteBatch.Builder b = WriteBatch.builder();
    b.node(new Node(alice, everyValue())).node(new Node(city, Map.of()));
    b.edge(new Edge(new EdgeKey("LIVES_IN", alice, city), everyValue()));
    b.deleteNode(NodeKey.of("City", 8L));
    b.deleteEdge(new EdgeKey("KNOWS", alice, NodeKey.of("Person", "bob")));
    return b.build();
  }

  /** An edge SST of a few sources, with props of every type and a tombstone. */
  private static byte[] edgeSst(int targetBlockBytes) {
    EdgeSstWriter writer = new EdgeSstWriter("KNOWS", Direction.OUT, targetBlockBytes);
    writer.add(NodeKey.of("Person", 7L), NodeKey.of("Person", 8L), Map.of("since", 1L));
    writer.add(NodeKey.of("Person", "alice"), NodeKey.of("Person", "bob"), everyValue());
    writer.add(NodeKey.of("Person", "alice"), NodeKey.of("Person", "carol"), null);
    writer.add(NodeKey.of("Person", "bob"), NodeKey.of("City", 1L), Map.of());
    return writer.finish();
  }

  /** An edge SST whose blocks zstd compresses: long runs of neighbours with consecutive keys. */
  private static byte[] compressibleEdgeSst() {
    EdgeSstWriter writer = new EdgeSstWriter("KNOWS", Direction.OUT, 512);
    for (long source = 0; source < 4; source++) {
      for (long n = 0; n < 120; n++) {
        writer.add(
            NodeKey.of("Person", source),
            NodeKey.of("Person", 1000 + 3 * n),
            n % 7 == 0 ? null : Map.of("since", 2000L + n % 5));
      }
    }
    return writer.finish();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void committedSeedsAreWhatTheEncodersMakeToday() throws IOException {
    boolean write = Boolean.getBoolean("namidb.fuzz.writeSeeds");
    for (Map.Entry<Path, byte[]> seed : seeds().entrySet()) {
      if (!EdgeSstWriter.compressesWithLibzstd() && seed.getKey().toString().contains("EdgeSst")) {
        continue; // the seeds' blocks were compressed by libzstd; the Java codec's bytes differ
      }
      if (write) {
        Files.createDirectories(seed.getKey().getParent());
        Files.write(seed.getKey(), seed.getValue());
      }
      assertThat(seed.getKey())
          .as("seed %s (rewrite with -Dnamidb.fuzz.writeSeeds=true)", seed.getKey())
          .exists()
          .hasBinaryContent(seed.getValue());
    }
  }
}
