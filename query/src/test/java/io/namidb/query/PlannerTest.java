package io.namidb.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.graph.NamespaceReader;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.query.graph.GraphStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the planner makes of queries (issue #13, "a planner that uses the engine"): point lookups,
 * index seeks, LIMIT that stops the scan, a count of an expansion that reads adjacency only, the
 * plan cache, whether a query writes, and the guard rails.
 */
class PlannerTest {
  private static final String SCHEMA =
      "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"name\":\"STRING\","
          + "\"age\":\"INT64\"},\"indexes\":[\"age\"]}},"
          + "\"edgeTypes\":{\"KNOWS\":{\"from\":\"Person\",\"to\":\"Person\"}}}";

  private static TestGraph people(int n) {
    TestGraph g = TestGraph.strict(SCHEMA);
    g.run(
        "UNWIND range(0, $n - 1) AS i CREATE (:Person {key: 'p' + toString(i), name: 'P' +"
            + " toString(i), age: i % 10})",
        Map.of("n", n));
    g.run(
        "UNWIND range(1, $n - 1) AS i MATCH (a:Person {key: 'p0'}), (b:Person {key: 'p' +"
            + " toString(i)}) CREATE (a)-[:KNOWS]->(b)",
        Map.of("n", n));
    return g;
  }

  private static String plan(QueryResult r) {
    return flatten(r.plan()).stream()
        .map(QueryResult.PlanNode::operator)
        .reduce((a, b) -> a + " | " + b)
        .orElse("");
  }

  private static List<QueryResult.PlanNode> flatten(QueryResult.PlanNode p) {
    List<QueryResult.PlanNode> out = new ArrayList<>();
    out.add(p);
    p.children().forEach(c -> out.addAll(flatten(c)));
    return out;
  }

  private static QueryResult.PlanNode operator(QueryResult r, String prefix) {
    return flatten(r.plan()).stream()
        .filter(p -> p.operator().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in " + plan(r)));
  }

  @Test
  void keyEqualityIsAPointLookupAndAnIndexedEqualityAnIndexSeek() {
    try (TestGraph g = people(20)) {
      assertThat(plan(g.run("EXPLAIN MATCH (p:Person {key: $k}) RETURN p"))).contains("KEY_LOOKUP");
      assertThat(plan(g.run("EXPLAIN MATCH (p:Person) WHERE p.key = $k RETURN p")))
          .contains("KEY_LOOKUP");
      assertThat(plan(g.run("EXPLAIN MATCH (p:Person) WHERE p.age = 3 RETURN p")))
          .contains("INDEX_SEEK");
      assertThat(plan(g.run("EXPLAIN MATCH (p:Person) RETURN p"))).contains("LABEL_SCAN");

      QueryResult seek = g.run("PROFILE MATCH (p:Person) WHERE p.age = 3 RETURN p.key AS k");
      assertThat(seek.rows()).containsExactlyInAnyOrder(List.of("p3"), List.of("p13"));
      assertThat(operator(seek, "Match").rows()).isEqualTo(2);
      QueryResult point = g.run("PROFILE MATCH (p:Person {key: 'p7'}) RETURN p.name");
      assertThat(point.rows()).containsExactly(List.of("P7"));
      assertThat(operator(point, "Match").rows()).isEqualTo(1);
    }
  }

  @Test
  void limitStopsTheMatchUnderIt() {
    try (TestGraph g = people(200)) {
      QueryResult r = g.run("PROFILE MATCH (p:Person) RETURN p.key LIMIT 3");
      assertThat(r.rows()).hasSize(3);
      assertThat(operator(r, "Match").rows()).isLessThanOrEqualTo(4); // not 200
      QueryResult hop = g.run("PROFILE MATCH (:Person {key: 'p0'})-[:KNOWS]->(b) RETURN b LIMIT 2");
      assertThat(hop.rows()).hasSize(2);
      assertThat(operator(hop, "Match").rows()).isLessThanOrEqualTo(3); // not 199
    }
  }

  @Test
  void aCountOfAnExpansionReadsTheAdjacencyAndNoNeighbour() throws Exception {
    try (TestGraph g = people(300)) {
      g.writer.flush();
      g.writer.compact();
      NodeKey p0 = NodeKey.of("Person", "p0");
      long nativeGets;
      try (NamespaceReader cold = NamespaceReader.open(g.store)) {
        long before = g.store.stats().gets();
        assertThat(cold.view().edges(p0, "KNOWS", Direction.OUT)).hasSize(299);
        nativeGets = g.store.stats().gets() - before;
      }
      assertThat(nativeGets).isPositive();
      long countGets = profiledGets(g, "MATCH (:Person {key: 'p0'})-[:KNOWS]->(b) RETURN count(*)");
      long nameGets = profiledGets(g, "MATCH (:Person {key: 'p0'})-[:KNOWS]->(b) RETURN b.name");
      assertThat(countGets)
          .as("count(*) costs what the adjacency read costs")
          .isEqualTo(nativeGets);
      assertThat(nameGets).as("reading neighbours costs more").isGreaterThan(countGets);
    }
  }

  /** GETs of a PROFILE run on a cold reader (no cached footers or blocks). */
  private static long profiledGets(TestGraph g, String query) throws Exception {
    try (NamespaceReader cold = NamespaceReader.open(g.store);
        QueryEngine engine =
            new QueryEngine(GraphStore.of(cold, g.store::stats), QueryOptions.defaults(), 1)) {
      QueryResult r = engine.executeHere("PROFILE " + query, Map.of(), QueryOptions.defaults());
      return flatten(r.plan()).stream().mapToLong(QueryResult.PlanNode::gets).sum();
    }
  }

  @Test
  void plansAreCachedByQueryText() {
    try (TestGraph g = TestGraph.open()) {
      String q = "MATCH (p:Person {key: $k}) RETURN p.name";
      QueryEngine.Prepared first = g.engine.prepare(q);
      assertThat(g.engine.prepare(q)).isSameAs(first);
      assertThat(g.engine.prepare(q + " ")).isNotSameAs(first);
      assertThat(first.planNanos()).isPositive();
      assertThat(g.engine.prepare("PROFILE " + q)).isNotSameAs(g.engine.prepare("PROFILE " + q));
    }
  }

  @Test
  void whetherAQueryWritesIsKnownBeforeItRuns() {
    for (String read :
        List.of(
            "MATCH (n) RETURN n",
            "MATCH (n)-[r]->(m) WITH n, count(r) AS c RETURN n, c ORDER BY c LIMIT 3",
            "UNWIND [1, 2] AS x RETURN x UNION RETURN 3 AS x",
            "CALL db.index.vector.queryNodes('Person.emb', 2, [1.0, 0.0]) YIELD node RETURN node",
            "CALL QUERY_VECTOR_INDEX('Person', 'emb', [1.0, 0.0], 2) RETURN node, distance")) {
      assertThat(QueryEngine.prepareUncached(read).isReadOnly()).as(read).isTrue();
    }
    for (String write :
        List.of(
            "CREATE (n)",
            "MERGE (n:Person {key: 'a'})",
            "MATCH (n) DETACH DELETE n",
            "MATCH (n) REMOVE n.name",
            "MATCH (n) SET n.x = 1",
            "RETURN 1 AS x UNION CREATE (n) RETURN 2 AS x",
            "EXPLAIN CREATE (n)")) {
      assertThat(QueryEngine.prepareUncached(write).isReadOnly()).as(write).isFalse();
    }
  }

  @Test
  void guardRailsStopRowsMemoryAndTime() {
    try (TestGraph g = TestGraph.open()) {
      QueryOptions d = QueryOptions.defaults();
      assertThatThrownBy(
              () ->
                  g.engine.executeHere(
                      "UNWIND range(1, 100) AS x RETURN x", Map.of(), d.withMaxRows(10)))
          .isInstanceOfSatisfying(
              CypherException.class, e -> assertThat(e.code()).isEqualTo("query_too_large"));
      assertThatThrownBy(
              () ->
                  g.engine.executeHere(
                      "UNWIND range(1, 1000) AS x WITH DISTINCT x RETURN count(*)",
                      Map.of(),
                      d.withMaxHeldRows(100)))
          .isInstanceOfSatisfying(
              CypherException.class, e -> assertThat(e.code()).isEqualTo("query_too_large"));
      assertThatThrownBy(
              () ->
                  g.engine.execute(
                      "UNWIND range(1, 1000000) AS x UNWIND range(1, 1000000) AS y RETURN count(*)",
                      Map.of(),
                      d.withTimeout(Duration.ofMillis(100))))
          .isInstanceOfSatisfying(
              CypherException.class,
              e -> {
                assertThat(e.code()).isEqualTo("query_timeout");
                assertThat(e.httpStatus()).isEqualTo(503);
              });
      // the engine still answers
      assertThat(g.rows("RETURN 1 AS one")).containsExactly(List.of(1L));
    }
  }
}
