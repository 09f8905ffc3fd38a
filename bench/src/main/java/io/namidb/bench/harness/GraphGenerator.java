package io.namidb.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * A seeded power-law property graph: {@code Person} nodes with keys {@code 0..nodes-1}, an INT64
 * {@code age}, a STRING {@code name} and a 64-dim float vector {@code emb}; and {@code KNOWS} edges
 * whose sources and destinations are drawn with a skew toward low keys (the hubs). The same seed
 * gives the same graph. There are no self loops and no duplicate (from, to) pairs, so every
 * engine's upsert, walk and trail semantics count the same edges.
 *
 * <p>A key is drawn as {@code floor(u^skew * nodes)} for a uniform {@code u}: skew 1 is uniform,
 * larger values concentrate more edges on fewer nodes.
 */
public final class GraphGenerator {
  /** Dimensions of every node's vector. */
  public static final int DIM = 64;

  /** Parquet schema of {@code nodes.parquet}: the vector is a LIST of FLOAT, not text. */
  static final MessageType NODE_SCHEMA =
      MessageTypeParser.parseMessageType(
          "message Person { required int64 key; required int64 age; required binary name (STRING);"
              + " required group emb (LIST) { repeated group list { required float element; } } }");

  /** Parquet schema of {@code edges.parquet}: source and destination keys. */
  static final MessageType EDGE_SCHEMA =
      MessageTypeParser.parseMessageType(
          "message KNOWS { required int64 src; required int64 dst; }");

  private GraphGenerator() {}

  /**
   * The generator's settings.
   *
   * @param nodes number of Person nodes
   * @param edges number of distinct KNOWS edges
   * @param sourceSkew skew of edge sources (1 = uniform)
   * @param destinationSkew skew of edge destinations (1 = uniform)
   * @param seed the random seed
   */
  public record Spec(int nodes, int edges, double sourceSkew, double destinationSkew, long seed) {
    public Spec {
      if (nodes < 2 || edges < 0 || sourceSkew < 1 || destinationSkew < 1) {
        throw new IllegalArgumentException(
            "bad graph spec. nodes=" + nodes + " edges=" + edges + " skew must be >= 1");
      }
      if (edges > (long) nodes * (nodes - 1) / 4) {
        throw new IllegalArgumentException(
            "too many edges for a graph without duplicates. nodes=" + nodes + " edges=" + edges);
      }
    }
  }

  /**
   * A generated graph, held in arrays (node {@code i} has key {@code i}). Edges are sorted by
   * (from, to).
   */
  public record Graph(Spec spec, long[] age, float[][] emb, long[] edgeFrom, long[] edgeTo) {
    /** Number of nodes. */
    public int nodes() {
      return age.length;
    }

    /** Number of edges. */
    public int edges() {
      return edgeFrom.length;
    }

    /** The name property of a node. */
    public static String name(long key) {
      return "person-" + key;
    }

    /** Outgoing degree of every node. */
    public int[] outDegrees() {
      int[] degree = new int[nodes()];
      for (long from : edgeFrom) {
        degree[(int) from]++;
      }
      return degree;
    }
  }

  /** Generates the graph of {@code spec}. */
  public static Graph generate(Spec spec) {
    SplittableRandom random = new SplittableRandom(spec.seed());
    int n = spec.nodes();
    long[] age = new long[n];
    float[][] emb = new float[n][];
    for (int i = 0; i < n; i++) {
      age[i] = random.nextInt(100);
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextDouble();
      }
      emb[i] = v;
    }
    // draw (from, to) pairs as from * n + to; sort and drop duplicates and loops; draw again
    // for what was dropped until there are enough
    long[] pairs = new long[0];
    while (pairs.length < spec.edges()) {
      int missing = spec.edges() - pairs.length;
      long[] more = Arrays.copyOf(pairs, pairs.length + missing);
      for (int i = pairs.length; i < more.length; i++) {
        long from = skewed(random, n, spec.sourceSkew());
        long to = skewed(random, n, spec.destinationSkew());
        more[i] = from == to ? -1 : from * n + to;
      }
      Arrays.sort(more);
      int kept = 0;
      for (int i = 0; i < more.length; i++) {
        if (more[i] >= 0 && (kept == 0 || more[kept - 1] != more[i])) {
          more[kept++] = more[i];
        }
      }
      pairs = Arrays.copyOf(more, kept);
    }
    long[] from = new long[pairs.length];
    long[] to = new long[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      from[i] = pairs[i] / n;
      to[i] = pairs[i] % n;
    }
    return new Graph(spec, age, emb, from, to);
  }

  /** A key in {@code [0, n)}, skewed toward 0. */
  public static long skewed(SplittableRandom random, int n, double skew) {
    return Math.min(n - 1, (long) Math.floor(Math.pow(random.nextDouble(), skew) * n));
  }

  /** Writes {@code nodes.parquet} and {@code edges.parquet} of {@code graph} into {@code dir}. */
  public static void writeParquet(Graph graph, Path dir) throws IOException {
    Files.createDirectories(dir);
    SimpleGroupFactory nodeRows = new SimpleGroupFactory(NODE_SCHEMA);
    try (ParquetWriter<Group> w = writer(dir.resolve("nodes.parquet"), NODE_SCHEMA)) {
      for (int i = 0; i < graph.nodes(); i++) {
        Group row =
            nodeRows
                .newGroup()
                .append("key", (long) i)
                .append("age", graph.age()[i])
                .append("name", Graph.name(i));
        Group list = row.addGroup("emb");
        for (float f : graph.emb()[i]) {
          list.addGroup("list").append("element", f);
        }
        w.write(row);
      }
    }
    SimpleGroupFactory edgeRows = new SimpleGroupFactory(EDGE_SCHEMA);
    try (ParquetWriter<Group> w = writer(dir.resolve("edges.parquet"), EDGE_SCHEMA)) {
      for (int i = 0; i < graph.edges(); i++) {
        w.write(
            edgeRows
                .newGroup()
                .append("src", graph.edgeFrom()[i])
                .append("dst", graph.edgeTo()[i]));
      }
    }
  }

  private static ParquetWriter<Group> writer(Path file, MessageType schema) throws IOException {
    return ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration())
        .withType(schema)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
        .build();
  }
}
