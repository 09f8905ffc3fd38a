package io.namidb.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.graph.Snapshot;
import io.namidb.engine.model.Direction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The planner's count of a short pattern from a node given by key ({@code PathCount}) against the
 * general path, which is the same query with {@code WHERE true} (a WHERE keeps the shape from being
 * recognised). Seeded random graphs with self-loops, edges both ways between two nodes, two types
 * between the same nodes and two labels; read from the memtables, from flushed SSTs through the
 * adjacency index, and from both at once.
 */
class PathCountTest {
  private static final String[] DIRS = {"->", "<-", "-"};
  private static final String[] END_LABELS = {"", ":A", ":B"};

  @Test
  void everyShapeCountsWhatTheGeneralPathCounts() {
    for (long seed = 1; seed <= 3; seed++) {
      try (TestGraph g = TestGraph.open()) {
        SplittableRandom random = new SplittableRandom(seed);
        int nodes = 24;
        Graph graph = Graph.random(random, nodes, 70);
        graph.load(g);
        compareAll(g, nodes, "memtables, seed " + seed);
        g.writer.flush();
        Snapshot s = g.writer.view().snapshot();
        for (String t : List.of("T", "U")) {
          assertThat(s.awaitAdjacencyIndex(t, Direction.OUT)).isTrue();
          assertThat(s.awaitAdjacencyIndex(t, Direction.IN)).isTrue();
        }
        compareAll(g, nodes, "adjacency index, seed " + seed);
        // newer writes over the flushed ones: deleted and new edges in the memtables
        graph.churn(g, random, 15);
        compareAll(g, nodes, "index and memtables, seed " + seed);
      }
    }
  }

  @Test
  void theCountIsOneOperatorAndOtherShapesFallBack() {
    try (TestGraph g = TestGraph.open()) {
      Graph.random(new SplittableRandom(7), 10, 20).load(g);
      String two = "MATCH (a:A {key: $key})-[:T]->()-[:T]->(c) RETURN count(DISTINCT c) AS n";
      assertThat(plan(g, "EXPLAIN " + two)).startsWith("PathCount (:A {key})-[:T]->()-[:T]->()");
      QueryResult profiled = g.run("PROFILE " + two, Map.of("key", 1L));
      assertThat(profiled.plan().operator()).startsWith("PathCount");
      assertThat(profiled.plan().rows()).isEqualTo(1L);
      for (String other :
          List.of(
              "MATCH (a:A {key: $key})-[:T]->(b:A)-[:T]->(c) RETURN count(*) AS n",
              "MATCH (a:A {key: $key})-[:T]->(b)-[:T]->(a) RETURN count(*) AS n",
              "MATCH (a:A {key: $key})-[:T]->()-[:T]->()-[:T]->(c) RETURN count(*) AS n",
              "MATCH (a:A {key: $key})-[:T|U]->(c) RETURN count(*) AS n",
              "MATCH (a:A {key: $key})-[:T*1..2]->(c) RETURN count(*) AS n",
              "MATCH (a:A {key: $key})-[:T]->(c) WHERE c.key > 3 RETURN count(*) AS n",
              "MATCH (a:A {key: $key})-[:T]->(c) RETURN count(DISTINCT a) AS n",
              "MATCH (a:A {key: $key})-[:T]->(c) RETURN c.key, count(*) AS n",
              "OPTIONAL MATCH (a:A {key: $key})-[:T]->(c) RETURN count(c) AS n",
              "MATCH (a:A)-[:T]->(c) RETURN count(*) AS n")) {
        assertThat(plan(g, "EXPLAIN " + other)).as(other).doesNotContain("PathCount");
      }
    }
  }

  @Test
  void aMissingNullOrMistypedKeyCountsZero() {
    try (TestGraph g = TestGraph.open()) {
      Graph.random(new SplittableRandom(5), 10, 30).load(g);
      String q = "MATCH (a:A {key: $key})-[:T]-()-[:T]-(c) RETURN count(*) AS n";
      Map<String, Object> params = new HashMap<>();
      params.put("key", null);
      assertThat(g.run(q, params).rows()).containsExactly(List.of(0L));
      assertThat(g.run(q, Map.of("key", 999L)).rows()).containsExactly(List.of(0L));
      assertThat(g.run(q, Map.of("key", "1")).rows()).containsExactly(List.of(0L));
      assertThat(g.run(q, Map.of("key", 1.0)).rows()).isEqualTo(g.run(q, Map.of("key", 1L)).rows());
    }
  }

  @Test
  void aReusedRelationshipIsNotAPath() {
    try (TestGraph g = TestGraph.open()) {
      g.run("CREATE (a:A {key: 1}), (b:A {key: 2}) CREATE (a)-[:T]->(a), (a)-[:T]->(b)");
      Map<String, Object> a = Map.of("key", 1L);
      // a->a->a would take the loop twice: only a->a->b
      assertThat(g.run("MATCH (x:A {key: $key})-[:T]->()-[:T]->(c) RETURN count(*) AS n", a).rows())
          .containsExactly(List.of(1L));
      assertThat(
              g.run("MATCH (x:A {key: $key})-[:T]->()-[:T]->(c) RETURN count(DISTINCT c) AS n", a)
                  .rows())
          .containsExactly(List.of(1L));
      // a->b<-a is the same relationship twice; a->a<-a too
      assertThat(g.run("MATCH (x:A {key: $key})-[:T]->()<-[:T]-(c) RETURN count(*) AS n", a).rows())
          .containsExactly(List.of(0L));
      // undirected: a-a-b only (a-a-a would take the loop twice, a-b-a the edge a-b twice)
      assertThat(g.run("MATCH (x:A {key: $key})-[:T]-()-[:T]-(c) RETURN count(*) AS n", a).rows())
          .containsExactly(List.of(1L));
    }
  }

  private static String plan(TestGraph g, String query) {
    return g.run(query, Map.of("key", 1L)).plan().operator();
  }

  /** Every recognised shape, from every node (and one missing), fast against general. */
  private static void compareAll(TestGraph g, int nodes, String phase) {
    List<String> queries = new ArrayList<>();
    for (String d1 : DIRS) {
      for (String t1 : List.of("T", "U")) {
        for (String end : END_LABELS) {
          String one = "MATCH (a:A {key: $key})" + rel(d1, t1) + "(c" + end + ")";
          queries.add(one + " RETURN count(*) AS n");
          queries.add(one + " RETURN count(DISTINCT c) AS n");
          queries.add(one + " RETURN count(c)");
        }
      }
    }
    for (String d1 : DIRS) {
      for (String d2 : DIRS) {
        for (String t2 : List.of("T", "U")) {
          for (String end : List.of("", ":A")) {
            String two = "MATCH (a:A {key: $key})" + rel(d1, "T") + "(b)" + rel(d2, t2);
            two += "(c" + end + ")";
            queries.add(two + " RETURN count(*) AS n");
            queries.add(two + " RETURN count(DISTINCT c) AS n");
          }
        }
      }
    }
    for (String q : queries) {
      assertThat(plan(g, "EXPLAIN " + q)).as(q).startsWith("PathCount");
      String general = q.replace(" RETURN", " WHERE true RETURN");
      assertThat(plan(g, "EXPLAIN " + general)).as(general).doesNotContain("PathCount");
      for (long key = 0; key <= nodes; key++) {
        Map<String, Object> p = Map.of("key", key);
        assertThat(g.run(q, p).rows())
            .as("%s, key %d, %s", q, key, phase)
            .isEqualTo(g.run(general, p).rows());
      }
    }
  }

  private static String rel(String dir, String type) {
    return switch (dir) {
      case "->" -> "-[:" + type + "]->";
      case "<-" -> "<-[:" + type + "]-";
      default -> "-[:" + type + "]-";
    };
  }

  /** Nodes 0..n-1 (label B when the key is a multiple of 3, else A) and typed edges. */
  private record Graph(int nodes, LinkedHashSet<List<Object>> edges) {
    static Graph random(SplittableRandom random, int nodes, int edges) {
      LinkedHashSet<List<Object>> set = new LinkedHashSet<>();
      for (int i = 0; i < edges; i++) {
        long from = random.nextInt(nodes);
        // one in six a self-loop; both types and both directions come up between the same nodes
        long to = random.nextInt(6) == 0 ? from : random.nextInt(nodes);
        set.add(List.of(from, to, random.nextBoolean() ? "T" : "U"));
      }
      return new Graph(nodes, set);
    }

    static String label(long key) {
      return key % 3 == 0 ? "B" : "A";
    }

    void load(TestGraph g) {
      for (String l : List.of("A", "B")) {
        List<Long> keys = new ArrayList<>();
        for (long k = 0; k < nodes; k++) {
          if (label(k).equals(l)) {
            keys.add(k);
          }
        }
        g.run("UNWIND $keys AS k CREATE (:" + l + " {key: k})", Map.of("keys", keys));
      }
      Map<String, List<List<Long>>> byShape =
          edges.stream()
              .collect(
                  Collectors.groupingBy(
                      e -> label((Long) e.get(0)) + label((Long) e.get(1)) + e.get(2),
                      Collectors.mapping(
                          e -> List.of((Long) e.get(0), (Long) e.get(1)), Collectors.toList())));
      byShape.forEach((shape, pairs) -> create(g, shape, pairs));
    }

    private static void create(TestGraph g, String shape, List<List<Long>> pairs) {
      g.run(
          "UNWIND $pairs AS p MATCH (x:"
              + shape.charAt(0)
              + " {key: p[0]}), (y:"
              + shape.charAt(1)
              + " {key: p[1]}) CREATE (x)-[:"
              + shape.substring(2)
              + "]->(y)",
          Map.of("pairs", pairs));
    }

    /** Deletes some edges and adds new ones (self-loops among them). */
    void churn(TestGraph g, SplittableRandom random, int n) {
      List<List<Object>> all = new ArrayList<>(edges);
      for (int i = 0; i < n && !all.isEmpty(); i++) {
        List<Object> e = all.remove(random.nextInt(all.size()));
        edges.remove(e);
        g.run(
            "MATCH (x {key: $from})-[r:" + e.get(2) + "]->(y {key: $to}) DELETE r",
            Map.of("from", e.get(0), "to", e.get(1)));
      }
      for (int i = 0; i < n; i++) {
        long from = random.nextInt(nodes);
        long to = random.nextInt(4) == 0 ? from : random.nextInt(nodes);
        List<Object> e = List.of(from, to, random.nextBoolean() ? "T" : "U");
        if (edges.add(e)) {
          create(g, label(from) + label(to) + e.get(2), List.of(List.of(from, to)));
        }
      }
    }
  }
}
