package io.namidb.bench;

import io.namidb.bench.harness.Agreement;
import io.namidb.bench.harness.Answers;
import io.namidb.bench.harness.GraphGenerator;
import io.namidb.bench.harness.Measurement;
import io.namidb.bench.harness.NamiRunner;
import io.namidb.bench.harness.PeerReport;
import io.namidb.bench.harness.PeerRunner;
import io.namidb.bench.harness.PeerSpec;
import io.namidb.bench.harness.Report;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.MinioServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * NamiDB side by side with Neo4j embedded and Kuzu on one generated power-law graph (see {@link
 * GraphGenerator}): bulk load, durable small writes at 1, 16 and 64 clients, node by key, one-hop
 * count, two-hop distinct count and vector top-10, plus NamiDB's object-store costs on MinIO. The
 * engines run one after another, each peer in a JVM of its own ({@code bench/peers/*}). Every
 * engine answers the same probes; the run fails, naming engine, probe and both values, when an
 * answer differs from the one computed from the generated graph.
 *
 * <pre>
 * bench/run Compare [--nodes 200000] [--edges 2000000] [--skew 2.5] [--source-skew 1.5]
 *                   [--rounds 3] [--seed 42] [--engines namidb,neo4j,kuzu] [--minio true]
 *                   [--write-seconds 3] [--read-seconds 1] [--out bench/target/compare]
 * </pre>
 *
 * <ul>
 *   <li>{@code --nodes}, {@code --edges}: graph size (edges are distinct, without self loops);
 *   <li>{@code --skew}: skew of edge destinations, {@code --source-skew} of edge sources (1 is
 *       uniform; larger puts more edges on fewer hub nodes);
 *   <li>{@code --rounds}: each round loads the graph afresh and measures every row; a figure is the
 *       median of the rounds, shown with its min–max;
 *   <li>{@code --seed}: the graph's and the probes' seed;
 *   <li>{@code --engines}: which engines run ({@code namidb} is always needed for the ratio);
 *   <li>{@code --minio}: also run NamiDB on a real MinIO (from {@code dev/testbin});
 *   <li>{@code --write-seconds}: duration of each small-write run;
 *   <li>{@code --read-seconds}: the least time each warm read figure (node by key, one-hop,
 *       two-hop, indexed vector search) is measured over, for every engine and variant: the probes
 *       are run at least the row's repeats, and again until this time has passed;
 *   <li>{@code --out}: where {@code compare.md} and {@code compare.json} go.
 * </ul>
 *
 * <p>The one-hop count of a probe is its number of outgoing {@code KNOWS} edges. Its two-hop
 * distinct count is the number of distinct nodes at the end of exactly two outgoing {@code KNOWS}
 * hops, the probe itself included when it is one of them.
 */
public final class Compare {
  private static final int LOOKUPS = 10_000;
  private static final int PROBES = 200;
  private static final int ONE_HOP_REPEATS = 10;
  private static final int TWO_HOP_REPEATS = 5;

  /** Query vectors: recall@10 over 1,000 neighbours, so an approximate path's rare misses show. */
  private static final int VECTOR_QUERIES = 100;

  private Compare() {}

  /** The options of a run; see the class javadoc. */
  public record Options(
      int nodes,
      int edges,
      double skew,
      double sourceSkew,
      int rounds,
      long seed,
      Set<String> engines,
      boolean minio,
      double writeSeconds,
      double readSeconds,
      Path out) {
    /** The defaults. */
    public static Options defaults() {
      return new Options(
          200_000,
          2_000_000,
          2.5,
          1.5,
          3,
          42,
          Set.of("namidb", "neo4j", "kuzu"),
          true,
          3,
          1,
          Path.of("bench/target/compare"));
    }

    /** The defaults overridden by {@code --name value} pairs. */
    public static Options parse(String[] args) {
      Options d = defaults();
      int nodes = d.nodes;
      int edges = d.edges;
      double skew = d.skew;
      double sourceSkew = d.sourceSkew;
      int rounds = d.rounds;
      long seed = d.seed;
      Set<String> engines = d.engines;
      boolean minio = d.minio;
      double writeSeconds = d.writeSeconds;
      double readSeconds = d.readSeconds;
      Path out = d.out;
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option without a value. option=" + args[i]);
        }
        String v = args[i + 1];
        switch (args[i]) {
          case "--nodes" -> nodes = Integer.parseInt(v);
          case "--edges" -> edges = Integer.parseInt(v);
          case "--skew" -> skew = Double.parseDouble(v);
          case "--source-skew" -> sourceSkew = Double.parseDouble(v);
          case "--rounds" -> rounds = Integer.parseInt(v);
          case "--seed" -> seed = Long.parseLong(v);
          case "--engines" -> engines = new LinkedHashSet<>(List.of(v.split(",")));
          case "--minio" -> minio = Boolean.parseBoolean(v);
          case "--write-seconds" -> writeSeconds = Double.parseDouble(v);
          case "--read-seconds" -> readSeconds = Double.parseDouble(v);
          case "--out" -> out = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option. option=" + args[i]);
        }
      }
      return new Options(
          nodes,
          edges,
          skew,
          sourceSkew,
          rounds,
          seed,
          engines,
          minio,
          writeSeconds,
          readSeconds,
          out);
    }
  }

  public static void main(String[] args) throws Exception {
    try {
      Report report = run(Options.parse(args));
      System.out.println(report.markdown());
    } catch (Agreement.MismatchException e) {
      System.err.println("bench Compare failed: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Runs the comparison, writes compare.md and compare.json, and returns the report. */
  public static Report run(Options o) throws Exception {
    if (!o.engines().contains("namidb")) {
      throw new IllegalArgumentException("--engines must include namidb. engines=" + o.engines());
    }
    long started = System.nanoTime();
    GraphGenerator.Graph graph =
        GraphGenerator.generate(
            new GraphGenerator.Spec(o.nodes(), o.edges(), o.sourceSkew(), o.skew(), o.seed()));
    Path work = o.out().resolve("work");
    deleteTree(work); // a namespace left by an earlier run would be opened, not loaded afresh
    Files.createDirectories(work);
    GraphGenerator.writeParquet(graph, work);
    PeerSpec spec = spec(graph, o, work);
    System.out.printf(
        Locale.ROOT,
        "compare: %,d nodes, %,d edges (skew %.2f, source skew %.2f, seed %d), %d round(s)%n",
        graph.nodes(),
        graph.edges(),
        o.skew(),
        o.sourceSkew(),
        o.seed(),
        o.rounds());

    List<PeerReport> reports = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    String localRoot = Files.createDirectories(work.resolve("namidb")).toAbsolutePath().toString();
    progress("namidb-local", started);
    reports.add(
        new NamiRunner("namidb-local", round -> "file://" + localRoot + "?ns=round-" + round, false)
            .run(graph, spec));
    columns.add("namidb-local");
    if (o.minio()) {
      progress("namidb-minio", started);
      try (MinioServer server = Bench.startMinio()) {
        MinioBucket bucket = server.createBucket("compare");
        reports.add(
            new NamiRunner(
                    "namidb-minio", round -> bucket.namespaceUri("compare", "round-" + round), true)
                .run(graph, spec));
      }
      columns.add("namidb-minio");
    }
    Path peers = peersDir();
    if (o.engines().contains("neo4j")) {
      progress("neo4j", started);
      reports.add(
          new PeerRunner(
                  peers.resolve("neo4j"),
                  "io.namidb.bench.peer.neo4j.Neo4jPeer",
                  List.of(
                      "-Xmx4g",
                      "--add-opens=java.base/java.nio=ALL-UNNAMED",
                      "--add-opens=java.base/java.lang=ALL-UNNAMED",
                      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"))
              .run(spec, work));
      columns.add("neo4j");
    }
    if (o.engines().contains("kuzu")) {
      progress("kuzu", started);
      reports.add(
          new PeerRunner(
                  peers.resolve("kuzu"), "io.namidb.bench.peer.kuzu.KuzuPeer", List.of("-Xmx1g"))
              .run(spec, work));
      columns.add("kuzu");
    }

    List<Measurement> all = new ArrayList<>();
    reports.forEach(r -> all.addAll(r.measurements()));
    Report report =
        new Report(
            String.format(
                Locale.ROOT,
                "Graph: %,d Person nodes (INT64 key, INT64 age, STRING name, %d-dim float vector),"
                    + " %,d KNOWS edges (skew %.2f, source skew %.2f, seed %d);"
                    + " median of %d round(s), (min–max).",
                graph.nodes(),
                GraphGenerator.DIM,
                graph.edges(),
                o.skew(),
                o.sourceSkew(),
                o.seed(),
                o.rounds()),
            columns,
            all);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put(
        "options",
        Map.of(
            "nodes",
            o.nodes(),
            "edges",
            o.edges(),
            "skew",
            o.skew(),
            "sourceSkew",
            o.sourceSkew(),
            "rounds",
            o.rounds(),
            "seed",
            o.seed(),
            "minio",
            o.minio(),
            "writeSeconds",
            o.writeSeconds(),
            "readSeconds",
            o.readSeconds()));
    run.put("engines", columns);
    run.put("probes", spec.probes());
    run.put("agreement", "passed");
    Agreement.check(
        spec.probes(),
        Answers.of(graph, spec.probes()),
        reports.stream().map(PeerReport::answers).toList());
    run.put("seconds", (System.nanoTime() - started) / 1e9);
    report.write(o.out(), run);
    System.out.printf(
        Locale.ROOT,
        "compare: every engine gave the same %d one-hop and two-hop answers; %s and compare.json%n",
        spec.probes().length,
        o.out().resolve("compare.md"));
    return report;
  }

  private static void progress(String engine, long startedNanos) {
    System.out.printf(
        Locale.ROOT, "compare: %s (at %.1f s)%n", engine, (System.nanoTime() - startedNanos) / 1e9);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The directory of the peer programs, from the repository root or from {@code bench/}. */
  static Path peersDir() {
    Path fromRoot = Path.of("bench/peers");
    return Files.isDirectory(fromRoot)
        ? fromRoot.toAbsolutePath()
        : Path.of("peers").toAbsolutePath();
  }

  /** The probes, keys, vectors and exact answers every engine gets. */
  static PeerSpec spec(GraphGenerator.Graph graph, Options o, Path work) {
    SplittableRandom random = new SplittableRandom(o.seed() + 1);
    int n = graph.nodes();
    long[] lookups = new long[LOOKUPS];
    for (int i = 0; i < lookups.length; i++) {
      lookups[i] = random.nextInt(n);
    }
    // half of the probes drawn like edge sources (so the hubs are in), half uniformly
    Set<Long> probes = new LinkedHashSet<>();
    int wanted = Math.min(PROBES, n);
    while (probes.size() < wanted) {
      probes.add(
          probes.size() % 2 == 0
              ? GraphGenerator.skewed(random, n, o.sourceSkew())
              : random.nextInt(n));
    }
    float[][] vectors = new float[VECTOR_QUERIES][GraphGenerator.DIM];
    long[][] truth = new long[VECTOR_QUERIES][];
    for (int q = 0; q < VECTOR_QUERIES; q++) {
      for (int d = 0; d < GraphGenerator.DIM; d++) {
        vectors[q][d] = (float) random.nextDouble();
      }
      truth[q] = exactTop10(graph, vectors[q]);
    }
    return new PeerSpec(
        work.resolve("nodes.parquet").toAbsolutePath().toString(),
        work.resolve("edges.parquet").toAbsolutePath().toString(),
        work.toAbsolutePath().toString(),
        graph.nodes(),
        graph.edges(),
        o.rounds(),
        lookups,
        probes.stream().mapToLong(Long::longValue).toArray(),
        ONE_HOP_REPEATS,
        TWO_HOP_REPEATS,
        o.readSeconds(),
        vectors,
        truth,
        o.writeSeconds(),
        new int[] {1, 16, 64});
  }

  /** The keys of the 10 nodes nearest to {@code query} by L2 distance, nearest first. */
  static long[] exactTop10(GraphGenerator.Graph graph, float[] query) {
    PriorityQueue<double[]> heap = new PriorityQueue<>((a, b) -> Double.compare(b[0], a[0]));
    for (int i = 0; i < graph.nodes(); i++) {
      float[] v = graph.emb()[i];
      double sum = 0;
      for (int d = 0; d < v.length; d++) {
        double diff = v[d] - query[d];
        sum += diff * diff;
      }
      if (heap.size() < 10) {
        heap.add(new double[] {sum, i});
      } else if (sum < heap.peek()[0]) {
        heap.poll();
        heap.add(new double[] {sum, i});
      }
    }
    long[] top = new long[heap.size()];
    for (int i = top.length - 1; i >= 0; i--) {
      top[i] = (long) heap.poll()[1];
    }
    return top;
  }
}
