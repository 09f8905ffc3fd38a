package io.namidb.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.NamespaceReader;
import io.namidb.engine.graph.Pins;
import io.namidb.engine.graph.Step;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.query.QueryEngine;
import io.namidb.query.QueryOptions;
import io.namidb.query.QueryResult;
import io.namidb.query.graph.GraphStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * Cypher against NamiDB's native API on GraphBench's seeded power-law graph (local directory,
 * warm): the prepared one-hop count and two-hop distinct count through the query engine directly
 * (on the caller's thread and through its executor) and through {@code POST /v1/query} of a real
 * {@code nami serve}, next to the same reads through {@link GraphView} and through the native HTTP
 * API ({@code GET /v1/nodes/{label}/{key}/edges}, {@code POST /v1/traverse}) and the bare HTTP
 * round trip ({@code GET /v1/status}); and the planning time of a cached query against an uncached
 * one.
 *
 * <pre>bench/run QueryBench [--nodes 100000] [--edges 1000000] [--queries 20000] [--http true]
 * </pre>
 */
public final class QueryBench {
  private static final String ONE_HOP =
      "MATCH (a:Person {key: $key})-[:KNOWS]->(b) RETURN count(*) AS n";
  private static final String TWO_HOP =
      "MATCH (a:Person {key: $key})-[:KNOWS]->()-[:KNOWS]->(c) RETURN count(DISTINCT c) AS n";
  private static final ObjectMapper JSON = new ObjectMapper();

  private QueryBench() {}

  public static void main(String[] args) throws Exception {
    int nodes = 100_000;
    int edges = 1_000_000;
    int queries = 20_000;
    boolean http = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
        case "--edges" -> edges = Integer.parseInt(args[i + 1]);
        case "--queries" -> queries = Integer.parseInt(args[i + 1]);
        case "--http" -> http = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("namidb-querybench");
    String uri = "file://" + dir.toAbsolutePath() + "?ns=bench";
    System.out.printf("graph: %d nodes, %d edges (power law), seed 42%n", nodes, edges);
    int twoHops = Math.max(1, queries / 10);
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri))) {
      GraphBench.ingest(store, nodes, edges);
      try (NamespaceReader reader = NamespaceReader.open(store, new Pins(), 1L << 30);
          QueryEngine engine =
              new QueryEngine(GraphStore.of(reader, store::stats), QueryOptions.defaults(), 2)) {
        GraphView view = reader.view();
        int n = nodes;
        List<Step> twoKnowsOut =
            List.of(new Step("KNOWS", Direction.OUT), new Step("KNOWS", Direction.OUT));
        LongUnaryOperator nativeOne =
            k -> view.edges(NodeKey.of("Person", k), "KNOWS", Direction.OUT).size();
        LongUnaryOperator nativeTwo =
            k ->
                view.traverse(NodeKey.of("Person", k), twoKnowsOut, true, Integer.MAX_VALUE).size();
        LongUnaryOperator reachTwo =
            k -> view.reach(NodeKey.of("Person", k), twoKnowsOut, true, Integer.MAX_VALUE).size();
        LongUnaryOperator here1 = k -> count(engine.executeHere(ONE_HOP, key(k), opts()));
        LongUnaryOperator here2 = k -> count(engine.executeHere(TWO_HOP, key(k), opts()));
        LongUnaryOperator pool1 = k -> count(engine.execute(ONE_HOP, key(k)));
        LongUnaryOperator pool2 = k -> count(engine.execute(TWO_HOP, key(k)));
        for (int round = 0; round < 2; round++) { // the first round warms the JIT and the caches
          boolean print = round == 1;
          double n1 = run("native one-hop count", nativeOne, n, queries, print);
          run("cypher one-hop count (query API, caller's thread)", here1, n, queries, print, n1);
          run("cypher one-hop count (query API, its executor)", pool1, n, queries, print, n1);
          double n2 = run("native two-hop distinct count", nativeTwo, n, twoHops, print);
          double r2 =
              run(
                  "native two-hop distinct count (reach(), keys only)",
                  reachTwo,
                  n,
                  queries,
                  print);
          run(
              "cypher two-hop distinct count (query API, caller's thread)",
              here2,
              n,
              queries,
              print,
              r2);
          run(
              "cypher two-hop distinct count (query API, its executor)",
              pool2,
              n,
              queries,
              print,
              r2);
        }
        planning(engine, queries);
        if (http) {
          http(uri, n, queries, twoHops);
        }
      }
    }
  }

  private static void http(String uri, int nodes, int queries, int twoHops) throws Exception {
    Path jar = Path.of("writer/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      jar = Path.of("../writer/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    }
    try (WriterServer server = WriterServer.start(jar, uri, List.of())) {
      LongUnaryOperator one = k -> httpCount(server, ONE_HOP, k);
      LongUnaryOperator two = k -> httpCount(server, TWO_HOP, k);
      LongUnaryOperator nativeHttpOne =
          k -> {
            try {
              String edges =
                  server.getForBody("/v1/nodes/Person/" + k + "/edges?type=KNOWS&direction=out");
              return JSON.readTree(edges).get("edges").size();
            } catch (Exception e) {
              throw new IllegalStateException("edges failed: " + e.getMessage(), e);
            }
          };
      LongUnaryOperator nativeHttpTwo =
          k -> {
            try {
              String body =
                  "{\"from\":{\"label\":\"Person\",\"key\":"
                      + k
                      + "},\"steps\":[{\"type\":\"KNOWS\",\"direction\":\"out\"},"
                      + "{\"type\":\"KNOWS\",\"direction\":\"out\"}],\"distinct\":true}";
              return JSON.readTree(server.postForBody("/v1/traverse", body)).get("nodes").size();
            } catch (Exception e) {
              throw new IllegalStateException("traverse failed: " + e.getMessage(), e);
            }
          };
      LongUnaryOperator status =
          k -> {
            try {
              return server.get("/v1/status");
            } catch (Exception e) {
              throw new IllegalStateException("status failed: " + e.getMessage(), e);
            }
          };
      int httpQueries = Math.max(1, queries / 4);
      int httpTwo = Math.max(1, twoHops / 2);
      for (int round = 0; round < 2; round++) {
        boolean print = round == 1;
        // the floor of any request through this client and server: no query, a small answer
        run(
            "GET /v1/status (1 client): the HTTP round trip alone",
            status,
            nodes,
            httpQueries,
            print);
        double n1 =
            run(
                "native one-hop count (GET .../edges, 1 client)",
                nativeHttpOne,
                nodes,
                httpQueries,
                print);
        run("cypher one-hop count (POST /v1/query, 1 client)", one, nodes, httpQueries, print, n1);
        double n2 =
            run(
                "native two-hop distinct count (POST /v1/traverse, 1 client)",
                nativeHttpTwo,
                nodes,
                httpTwo,
                print);
        run(
            "cypher two-hop distinct count (POST /v1/query, 1 client)",
            two,
            nodes,
            httpTwo,
            print,
            n2);
      }
    }
  }

  private static long httpCount(WriterServer server, String query, long key) {
    try {
      String body =
          "{\"query\":" + JSON.writeValueAsString(query) + ",\"parameters\":{\"key\":" + key + "}}";
      JsonNode r = JSON.readTree(server.postForBody("/v1/query", body));
      return r.at("/rows/0/0").asLong();
    } catch (Exception e) {
      throw new IllegalStateException("query failed: " + e.getMessage(), e);
    }
  }

  /** Parse and plan of a new query text each time, against the cache hit of a prepared one. */
  private static void planning(QueryEngine engine, int queries) {
    int n = Math.max(1000, queries / 4);
    for (int round = 0; round < 2; round++) {
      long t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        QueryEngine.prepareUncached(TWO_HOP);
      }
      double uncached = (System.nanoTime() - t) / 1e3 / n;
      t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        engine.prepare(TWO_HOP);
      }
      double cached = (System.nanoTime() - t) / 1e3 / n;
      if (round == 1) {
        System.out.printf(
            Locale.ROOT,
            "planning the two-hop query: uncached %.1f µs, cached %.2f µs (%.0fx)%n",
            uncached,
            cached,
            uncached / cached);
      }
    }
  }

  private static QueryOptions opts() {
    return QueryOptions.defaults();
  }

  private static Map<String, Object> key(long k) {
    return Map.of("key", k);
  }

  private static long count(QueryResult r) {
    return (Long) r.rows().get(0).get(0);
  }

  private static double run(String what, LongUnaryOperator q, int nodes, int n, boolean print) {
    return run(what, q, nodes, n, print, 0);
  }

  /** Runs {@code n} queries on seeded random start nodes; prints queries/s and the ratio. */
  private static double run(
      String what, LongUnaryOperator q, int nodes, int n, boolean print, double baseline) {
    SplittableRandom random = new SplittableRandom(11);
    long total = 0;
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      total += q.applyAsLong(random.nextInt(nodes));
    }
    double s = (System.nanoTime() - t) / 1e9;
    double qps = n / s;
    if (print) {
      System.out.printf(
          Locale.ROOT,
          "%-62s %,10.0f queries/s (avg result %d)%s%n",
          what,
          qps,
          total / n,
          baseline > 0 ? String.format(Locale.ROOT, "  %.2fx native", baseline / qps) : "");
    }
    return qps;
  }
}
