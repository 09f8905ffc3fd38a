package io.namidb.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.query.graph.GraphStore;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryEngineTest {

  @Test
  void aBoundedCountRunsOnTheCallersThreadAndEverythingElseOnTheQueryThreads() throws Exception {
    try (TestGraph g = TestGraph.open()) {
      g.run(
          "CREATE (:Person {key: 'a'})-[:KNOWS]->(:Person {key: 'b'})-[:KNOWS]->(:Person {key: 'c'})");
      List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
      GraphStore real = GraphStore.of(g.writer, g.store::stats);
      GraphStore recording =
          new GraphStore() {
            @Override
            public io.namidb.engine.graph.PinnedView pinnedView() {
              threads.add(Thread.currentThread().getName());
              return real.pinnedView();
            }

            @Override
            public io.namidb.engine.schema.Schema schema() {
              return real.schema();
            }

            @Override
            public boolean writable() {
              return real.writable();
            }

            @Override
            public io.namidb.engine.schema.Schema evolveSchema(
                com.fasterxml.jackson.databind.JsonNode change) {
              return real.evolveSchema(change);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Long> write(
                io.namidb.engine.model.WriteBatch batch) {
              return real.write(batch);
            }

            @Override
            public io.namidb.engine.store.StoreStats storeStats() {
              return real.storeStats();
            }
          };
      try (QueryEngine engine = new QueryEngine(recording, QueryOptions.defaults(), 1)) {
        String twoHop =
            "MATCH (a:Person {key: $k})-[:KNOWS]->()-[:KNOWS]->(c) RETURN count(DISTINCT c) AS n";
        assertThat(engine.execute(twoHop, Map.of("k", "a")).rows()).containsExactly(List.of(1L));
        assertThat(engine.execute("MATCH (p:Person) RETURN count(*)", Map.of()).rows())
            .containsExactly(List.of(3L));
        assertThat(engine.execute("PROFILE " + twoHop, Map.of("k", "a")).rows())
            .containsExactly(List.of(1L));
      }
      String caller = Thread.currentThread().getName();
      assertThat(threads).hasSize(3);
      assertThat(threads.get(0)).as("PathCount, a bounded read").isEqualTo(caller);
      assertThat(threads.get(1)).as("a scan").startsWith("nami-query-");
      assertThat(threads.get(2)).as("PROFILE keeps the executor").startsWith("nami-query-");
    }
  }

  @Test
  void createsAndMatches() {
    try (TestGraph g = TestGraph.open()) {
      g.run(
          "CREATE (a:Person {key: 'alice', age: 34})-[:KNOWS {since: 2019}]->(b:Person {key: 'bob', age: 29})");
      assertThat(g.rows("MATCH (p:Person) WHERE p.age > 30 RETURN p.key, p.age"))
          .containsExactly(List.of("alice", 34L));
      assertThat(g.rows("MATCH (a:Person {key: 'alice'})-[r:KNOWS]->(b) RETURN b.key, r.since"))
          .containsExactly(List.of("bob", 2019L));
      assertThat(g.rows("MATCH (n) RETURN count(*)")).containsExactly(List.of(2L));
    }
  }

  @Test
  void expressions() {
    try (TestGraph g = TestGraph.open()) {
      assertThat(g.rows("RETURN 1 + 2 AS x, 'a' + 'b', [1,2,3][1], size([1,2]), 3 / 2, 3.0 / 2"))
          .containsExactly(List.of(3L, "ab", 2L, 2L, 1L, 1.5));
      assertThat(g.rows("UNWIND [3, 1, 2] AS x RETURN x ORDER BY x DESC LIMIT 2"))
          .containsExactly(List.of(3L), List.of(2L));
      assertThat(g.rows("UNWIND [1, 2, 2, null] AS x RETURN count(x), collect(DISTINCT x), sum(x)"))
          .containsExactly(List.of(3L, List.of(1L, 2L), 5L));
    }
  }

  @Test
  void syntaxErrorsHaveAPosition() {
    try (TestGraph g = TestGraph.open()) {
      assertThatThrownBy(() -> g.run("MATCH (n)\nRETURN n +"))
          .isInstanceOfSatisfying(
              CypherException.class,
              e -> {
                assertThat(e.code()).isEqualTo("invalid_query");
                assertThat(e.line()).isEqualTo(2);
              });
    }
  }

  @Test
  void aRelationshipTypeNamedTwiceMatchesEachRelationshipOnce() {
    try (TestGraph g = TestGraph.open()) {
      g.run("CREATE (:A {key: 'a'})-[:T]->(:B {key: 'b'})");
      assertThat(g.rows("MATCH (a)-[:T|:T]->(b) RETURN b.key")).containsExactly(List.of("b"));
      assertThat(g.rows("MATCH (a)-[:T|T|U]-(b) RETURN count(*)")).containsExactly(List.of(2L));
    }
  }

  @Test
  void withStarOfNoVariablesPassesItsRowsOnAndReturnStarOfNoneIsRefused() {
    try (TestGraph g = TestGraph.open()) {
      g.run("CREATE (:A {key: 'a'}), (:A {key: 'b'})");
      g.run("MATCH (:A) CREATE (:C) WITH * CREATE (:D)");
      assertThat(g.rows("MATCH (c:C) RETURN count(c)")).containsExactly(List.of(2L));
      assertThat(g.rows("MATCH (d:D) RETURN count(d)")).containsExactly(List.of(2L));
      assertRefused(g, "MATCH () RETURN *", Map.of(), "RETURN * needs variables in scope");
    }
  }

  @Test
  void mergeWithANullPropertyIsRefusedAndWritesNothing() {
    try (TestGraph g = TestGraph.open()) {
      g.run("CREATE (:A {key: 'a', num: 1}), (:A {key: 'b', num: 2})");
      for (String q :
          List.of(
              "MERGE (n:A {key: 'c', num: null})",
              "MATCH (a:A {key: 'a'}), (b:A {key: 'b'}) MERGE (a)-[:R {w: null}]->(b)",
              "MERGE (n:A {key: 'c'})-[:R]->(m:A {key: 'd', num: $x})")) {
        assertRefused(
            g,
            q,
            java.util.Collections.singletonMap("x", null),
            "MERGE cannot use a null property value");
      }
      assertThat(g.rows("MATCH (n) RETURN count(n)")).containsExactly(List.of(2L));
      assertThat(g.rows("MATCH ()-[r]->() RETURN count(r)")).containsExactly(List.of(0L));
      // a null left out of CREATE is no error: the property is simply absent
      g.run("CREATE (:A {key: 'e', num: null})");
      assertThat(g.rows("MATCH (n:A {key: 'e'}) RETURN n.num"))
          .containsExactly(java.util.Collections.singletonList(null));
    }
  }

  @Test
  void anAggregateInsideAComprehensionIsRefusedButItsListMayAggregate() {
    try (TestGraph g = TestGraph.open()) {
      g.run("CREATE (:A {key: 'a', num: 1}), (:A {key: 'b', num: 2})");
      for (String q :
          List.of(
              "MATCH (n) RETURN [x IN [1, 2, 3] | count(*)]",
              "MATCH (n) RETURN [x IN [1, 2] WHERE x > count(n)]",
              "MATCH (n) RETURN any(x IN [1, 2] WHERE x = sum(n.num))",
              "MATCH (n) RETURN reduce(s = 0, x IN [1, 2] | s + max(x))",
              "MATCH (n) WITH n ORDER BY [x IN [1] | count(*)] RETURN n")) {
        assertRefused(g, q, Map.of(), "aggregation is not allowed inside");
      }
      assertThat(g.rows("MATCH (n:A) RETURN [x IN collect(n.num) | x * 10] AS l"))
          .hasSize(1)
          .allSatisfy(
              r ->
                  assertThat(new java.util.ArrayList<Object>((List<?>) r.get(0)))
                      .containsExactlyInAnyOrder(10L, 20L));
    }
  }

  @Test
  void aPatternPredicateUsesBoundVariablesOnly() {
    try (TestGraph g = TestGraph.open()) {
      g.run("CREATE (:A {key: 'a'})-[:R]->(:B {key: 'b'}), (:A {key: 'c'})");
      assertThat(g.rows("MATCH (n:A) WHERE (n)-[:R]->() RETURN n.key"))
          .containsExactly(List.of("a"));
      assertThat(g.rows("MATCH (n:A), (m:B) WHERE NOT (n)-[:R]->(m) RETURN n.key"))
          .containsExactly(List.of("c"));
      assertThatThrownBy(() -> g.run("MATCH (n:A) WHERE (n)-[r:R]->() RETURN n"))
          .isInstanceOfSatisfying(
              CypherException.class,
              e ->
                  assertThat(e.getMessage()).contains("cannot introduce a variable").contains("r"));
    }
  }

  @Test
  void readOnlyIsKnownBeforeRunning() {
    assertThat(QueryEngine.prepareUncached("MATCH (n) RETURN n").isReadOnly()).isTrue();
    assertThat(QueryEngine.prepareUncached("CREATE (n)").isReadOnly()).isFalse();
    assertThat(QueryEngine.prepareUncached("MATCH (n) SET n.x = 1").isReadOnly()).isFalse();
  }

  @Test
  void whereAfterWithSeesTheVariablesTheWithDropsUnlessDistinct() {
    try (TestGraph g = TestGraph.open()) {
      g.run("CREATE (a:A {name: 'a'})-[:KNOWS]->(:B {name: 'b'}), (a)-[:LIKES]->(:B {name: 'c'})");
      assertThat(
              g.rows(
                  "MATCH (a:A)-->(c) OPTIONAL MATCH (a)-[r:KNOWS]->(c) WITH c WHERE r IS NULL"
                      + " RETURN c.name"))
          .containsExactly(List.of("c"));
      assertThat(g.rows("MATCH (b:B) WITH DISTINCT b.name AS n WHERE b.name = 'b' RETURN n"))
          .containsExactly(List.of("b"));
      assertThatThrownBy(
              () -> g.run("MATCH (b:B) WITH DISTINCT b.name AS n WHERE b.key > 0 RETURN n"))
          .isInstanceOfSatisfying(
              CypherException.class, e -> assertThat(e.getMessage()).contains("variable=b"));
    }
  }

  @Test
  void timestampsAreWrittenFromIsoStringsAndReadAsIsoStrings() {
    try (TestGraph g =
        TestGraph.strict(
            "{\"labels\":{\"P\":{\"key\":\"STRING\",\"properties\":{\"born\":\"TIMESTAMP\"}}}}")) {
      g.run(
          "CREATE (:P {key: 'a', born: '1990-05-01T12:00:00+02:00'}), (:P {key: 'b', born: $t})",
          Map.of("t", "2001-01-01T00:00:00Z"));
      assertThat(g.rows("MATCH (p:P) RETURN p.key, p.born ORDER BY p.born"))
          .containsExactly(
              List.of("a", "1990-05-01T10:00:00Z"), List.of("b", "2001-01-01T00:00:00Z"));
      assertThat(g.rows("MATCH (p:P) WHERE p.born > datetime('2000-01-01T00:00:00Z') RETURN p.key"))
          .containsExactly(List.of("b"));
      assertThatThrownBy(() -> g.run("CREATE (:P {key: 'c', born: 'yesterday'})"))
          .isInstanceOfSatisfying(
              CypherException.class,
              e -> {
                assertThat(e.code()).isEqualTo("query_failed");
                assertThat(e.getMessage()).contains("value=yesterday").contains("property=born");
              });
      // a zoned date-time made in the query is stored as its instant; other temporals are not
      g.run("CREATE (:P {key: 'c', born: datetime({year: 2000, hour: 1, timezone: '+01:00'})})");
      assertThat(g.rows("MATCH (p:P {key: 'c'}) RETURN p.born, p.born = datetime('2000-01-01')"))
          .containsExactly(List.of("2000-01-01T00:00:00Z", true));
      // a zoned date-time finds a stored instant by equality, as the string-made instant did
      assertThat(
              g.rows("MATCH (p:P) WHERE p.born = datetime('1990-05-01T12:00+02:00') RETURN p.key"))
          .containsExactly(List.of("a"));
      assertThat(
              g.run(
                      "MATCH (p:P {born: datetime($t)}) RETURN p.key",
                      Map.of("t", "2001-01-01T00:00Z"))
                  .rows())
          .containsExactly(List.of("b"));
      assertThat(
              g.rows(
                  "MATCH (p:P {key: 'a'}) UNWIND [p.born, datetime('1990-05-01T10:00Z')] AS t"
                      + " RETURN count(DISTINCT t)"))
          .containsExactly(List.of(1L));
      assertThatThrownBy(() -> g.run("CREATE (:P {key: 'd', born: date('2000-01-01')})"))
          .isInstanceOfSatisfying(
              CypherException.class,
              e -> {
                assertThat(e.code()).isEqualTo("unsupported");
                assertThat(e.getMessage()).contains("DATE").contains("property=born");
              });
      assertThat(g.rows("MATCH (p:P) RETURN count(*)")).containsExactly(List.of(3L));
    }
  }

  @Test
  void temporalValuesAreMadeReadComparedAndMeasuredWithinAQuery() {
    try (TestGraph g = TestGraph.open()) {
      assertThat(
              g.rows(
                  "RETURN date('2015-W30-2'), localtime('214032.142'),"
                      + " datetime('2015-07-21T21:40:32.142[Europe/London]'), duration('P5M1.5D')"))
          .containsExactly(
              List.of(
                  "2015-07-21",
                  "21:40:32.142",
                  "2015-07-21T21:40:32.142+01:00[Europe/London]",
                  "P5M1DT12H"));
      assertThat(
              g.rows(
                  "WITH date({year: 1984, month: 10, day: 11}) AS d"
                      + " RETURN d.week, d.dayOfWeek, d.quarter, d + duration({months: 3, days: 25}),"
                      + " d < date('1984-10-12'), d < localdatetime('1984-10-12T00:00')"))
          .containsExactly(Arrays.asList(41L, 4L, 4L, "1985-02-05", true, null));
      // across a daylight saving change the hours are the real ones: 23:00 to 04:00 is 6 hours
      assertThat(
              g.rows(
                  "RETURN duration.between(datetime('2017-10-28T23:00+02:00[Europe/Stockholm]'),"
                      + " datetime('2017-10-29T04:00+01:00[Europe/Stockholm]'))"))
          .containsExactly(List.of("PT6H"));
      assertThat(
              g.rows(
                  "RETURN datetime.truncate('week', datetime('2017-11-11T12:31:14+01:00'),"
                      + " {dayOfWeek: 2})"))
          .containsExactly(List.of("2017-11-07T00:00+01:00"));
      // one clock per query
      assertThat(
              g.rows(
                  "UNWIND range(1, 1000) AS i WITH localdatetime() AS t RETURN count(DISTINCT t)"))
          .containsExactly(List.of(1L));
      assertRefused(g, "RETURN date('2015-13-01')", Map.of(), "date('2015-13-01')");
      assertRefused(g, "RETURN date({year: 2015, hour: 1})", Map.of(), "no component hour");
      assertRefused(g, "RETURN duration('P1Q')", Map.of(), "not an ISO-8601 duration");
      assertThat(
              g.rows(
                  "RETURN date('2020-01-10') - duration('PT1H'),"
                      + " time(datetime('2015-07-21T21:40[Europe/London]')),"
                      + " date({year: 2020, week: null}), datetime('2024-05-01t10:00z')"))
          .containsExactly(List.of("2020-01-10", "21:40+01:00", "2020-01-01", "2024-05-01T10:00Z"));
      assertThat(
              g.rows(
                  "UNWIND [duration('P40D'), duration('P1M'), duration('PT1H')] AS d RETURN d ORDER BY d"))
          .containsExactly(List.of("PT1H"), List.of("P1M"), List.of("P40D"));
      Map<String, String> refusals = new java.util.LinkedHashMap<>();
      refusals.put("RETURN date({year: 'x'})", "component year must be an integer");
      refusals.put("RETURN datetime({epochMillis: 'x'})", "epochMillis must be an integer");
      refusals.put("RETURN datetime.fromepoch('a', 1)", "seconds must be an integer");
      refusals.put("RETURN date('2015-02-30')", "date('2015-02-30')");
      refusals.put("RETURN time('25:00')", "time('25:00')");
      refusals.put("RETURN duration({years: 1e300})", "duration out of the supported range");
      refusals.put("RETURN datetime('2015-07-21T21:40[Nowhere/Zone]')", "unknown time zone");
      refusals.put("RETURN date.truncate('fortnight', date())", "unknown truncation unit");
      refusals.put("RETURN localtime.truncate('year', localtime())", "cannot truncate to year");
      refusals.put("RETURN duration.between(1, date())", "takes two temporal values");
      refusals.put("RETURN date() + 1", "cannot apply + to DATE and INTEGER");
      refusals.put("RETURN date().hour", "a DATE has no component hour");
      refusals.put("RETURN localtime({hour: 1, microsecond: 4294968})", "microsecond out of range");
      refusals.put("RETURN duration({seconds: 10000000000}).nanoseconds", "out of range");
      refusals.put("RETURN datetime('+300000000-01-01T00:00Z').epochMillis", "out of range");
      refusals.put(
          "RETURN datetime('2015-07-21T21:40+05:00[Europe/London]')",
          "the offset does not fit the time zone");
      refusals.put("RETURN date.truncate('month', date(), 5)", "takes a map of fields");
      refusals.forEach((q, message) -> assertRefused(g, q, Map.of(), message));
    }
  }

  @Test
  void parameters() {
    try (TestGraph g = TestGraph.open()) {
      assertThat(g.run("RETURN $x + 1 AS y", Map.of("x", 41)).rows()).containsExactly(List.of(42L));
    }
  }

  /** {@code query} fails with a CypherException whose message contains {@code message}. */
  private static void assertRefused(
      TestGraph g, String query, Map<String, Object> params, String message) {
    assertThatThrownBy(() -> g.run(query, params))
        .as(query)
        .isInstanceOfSatisfying(
            CypherException.class, e -> assertThat(e.getMessage()).contains(message));
  }
}
