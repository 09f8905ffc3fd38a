package io.namidb.writer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.namidb.writer.Http.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /v1/query} through a real {@code nami serve} process (DESIGN §8, round 2): Cypher
 * reads and writes on the ITs' strict schema, the answer's shapes, errors, guard rails, plans and
 * vector search. Subclasses choose the store. Each test works on keys of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QueryApiContract {
  WriterProcess writer;
  Http http;

  abstract String namespaceUri();

  abstract Map<String, String> environment();

  @BeforeAll
  void startWriter() {
    writer = WriterProcess.serveReady(getClass().getSimpleName(), namespaceUri(), environment());
    http = writer.http();
    Reply schema = http.put("/v1/schema", TestGraph.SCHEMA);
    assertThat(schema.status()).as("%s", schema).isEqualTo(200);
  }

  @AfterAll
  void stopWriter() {
    if (writer != null) {
      writer.stopCleanly();
    }
  }

  Reply query(String query, String parameters) {
    return http.post(
        "/v1/query",
        "{\"query\":"
            + quote(query)
            + (parameters == null ? "" : ",\"parameters\":" + parameters)
            + "}");
  }

  static String quote(String s) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  JsonNode ok(String query, String parameters) {
    Reply r = query(query, parameters);
    assertThat(r.status()).as("%s -> %s", query, r).isEqualTo(200);
    return r.json();
  }

  @Test
  void writesAreOneDurableBatchAndReadsSeeThem() {
    JsonNode created =
        ok(
            "CREATE (a:Person {key: $a, name: 'Alice', age: 34})-[:KNOWS {since: 2019}]->"
                + "(b:Person {key: $b, name: 'Bob', age: 29}), (a)-[:LIVES_IN]->(:City {key: 7, name: 'Lisbon'})",
            "{\"a\":\"q-alice\",\"b\":\"q-bob\"}");
    assertThat(created.get("columns")).isEmpty();
    assertThat(created.at("/stats/nodesCreated").asLong()).isEqualTo(3);
    assertThat(created.at("/stats/relationshipsCreated").asLong()).isEqualTo(2);
    assertThat(created.at("/stats/lsn").asLong()).isPositive();

    // the native API sees the same node
    Reply node = http.get("/v1/nodes/Person/q-alice");
    assertThat(node.status()).isEqualTo(200);
    assertThat(node.json().at("/props/age").asLong()).isEqualTo(34);

    JsonNode read =
        ok("MATCH (a:Person {key: 'q-alice'})-[r:KNOWS]->(b) RETURN a, r, b.name AS name", null);
    assertThat(read.get("columns").toString()).isEqualTo("[\"a\",\"r\",\"name\"]");
    JsonNode row = read.at("/rows/0");
    assertThat(row.at("/0/label").asText()).isEqualTo("Person");
    assertThat(row.at("/0/key").asText()).isEqualTo("q-alice");
    assertThat(row.at("/0/props/name").asText()).isEqualTo("Alice");
    assertThat(row.at("/1/type").asText()).isEqualTo("KNOWS");
    assertThat(row.at("/1/from/key").asText()).isEqualTo("q-alice");
    assertThat(row.at("/1/to/key").asText()).isEqualTo("q-bob");
    assertThat(row.at("/1/props/since").asLong()).isEqualTo(2019);
    assertThat(row.at("/2").asText()).isEqualTo("Bob");

    JsonNode city =
        ok("MATCH (:Person {key: 'q-alice'})-[:LIVES_IN]->(c) RETURN c.key, c.name", null);
    assertThat(city.at("/rows/0/0").asLong()).isEqualTo(7);
    assertThat(city.at("/rows/0/1").asText()).isEqualTo("Lisbon");
  }

  @Test
  void timestampsAreIsoStrings() {
    ok("CREATE (:Person {key: 'ts-1', born: '1990-05-01T12:00:00+02:00'})", null);
    JsonNode r =
        ok(
            "MATCH (p:Person {key: 'ts-1'}) WHERE p.born < datetime($t) RETURN p.born, p",
            "{\"t\":\"2000-01-01T00:00:00Z\"}");
    assertThat(r.at("/rows/0/0").asText()).isEqualTo("1990-05-01T10:00:00Z");
    assertThat(r.at("/rows/0/1/props/born").asText()).isEqualTo("1990-05-01T10:00:00Z");
    assertThat(http.get("/v1/nodes/Person/ts-1").json().at("/props/born").asText())
        .isEqualTo("1990-05-01T10:00:00Z");
  }

  @Test
  void temporalValuesOfAQueryAreIsoStringsAndOnlyZonedDateTimesAreStored() {
    JsonNode r =
        ok(
            "WITH date($d) AS d RETURN d, d + duration('P1M'), duration.between(d, date('2015-09-01')),"
                + " datetime({year: 2015, month: 7, day: 21, hour: 21, timezone: 'Europe/London'})",
            "{\"d\":\"2015-07-21\"}");
    assertThat(r.at("/rows/0/0").asText()).isEqualTo("2015-07-21");
    assertThat(r.at("/rows/0/1").asText()).isEqualTo("2015-08-21");
    assertThat(r.at("/rows/0/2").asText()).isEqualTo("P1M11D");
    assertThat(r.at("/rows/0/3").asText()).isEqualTo("2015-07-21T21:00+01:00[Europe/London]");

    ok("CREATE (:Person {key: 'ts-2', born: datetime('2015-07-21T21:00+01:00')})", null);
    assertThat(http.get("/v1/nodes/Person/ts-2").json().at("/props/born").asText())
        .isEqualTo("2015-07-21T20:00:00Z");
    Reply refused = query("CREATE (:Person {key: 'ts-3', born: date('2015-07-21')})", null);
    assertRefused(refused, "unsupported", "DATE", "property=born");
    assertThat(http.get("/v1/nodes/Person/ts-3").status()).isEqualTo(404);
  }

  @Test
  void aggregatesAndPaths() {
    ok("UNWIND range(1, 5) AS i CREATE (:Person {key: 'agg-' + toString(i), age: i * 10})", null);
    JsonNode r =
        ok(
            "MATCH (p:Person) WHERE p.key STARTS WITH 'agg-' RETURN count(*) AS n, sum(p.age) AS s,"
                + " collect(p.key)[0] AS first",
            null);
    assertThat(r.at("/rows/0/0").asLong()).isEqualTo(5);
    assertThat(r.at("/rows/0/1").asLong()).isEqualTo(150);
    ok("MATCH (a:Person {key: 'agg-1'}), (b:Person {key: 'agg-2'}) CREATE (a)-[:KNOWS]->(b)", null);
    JsonNode path = ok("MATCH p = (:Person {key: 'agg-1'})-[:KNOWS]->() RETURN p", null);
    JsonNode elements = path.at("/rows/0/0");
    assertThat(elements.size()).isEqualTo(3);
    assertThat(elements.at("/1/type").asText()).isEqualTo("KNOWS");
    assertThat(elements.at("/2/key").asText()).isEqualTo("agg-2");
  }

  @Test
  void aSyntaxErrorNamesItsLineAndColumn() {
    Reply r = query("MATCH (n:Person)\nRETURN n.name +", null);
    assertRefused(r, "invalid_query", "line=2", "column=");
  }

  @Test
  void whatTheModelCannotHoldIsUnsupportedByName() {
    Reply r = query("CREATE (:Person:City {key: 'two-labels'})", null);
    assertRefused(r, "unsupported", "several labels on one node");
    assertThat(http.get("/v1/nodes/Person/two-labels").status()).isEqualTo(404);
  }

  @Test
  void aWriteTheStrictSchemaRefusesWritesNothing() {
    Reply r = query("CREATE (:Person {key: 'bad-age', age: 'old'}), (:Person {key: 'fine'})", null);
    assertRefused(r, "invalid_input", "age", "INT64");
    assertThat(http.get("/v1/nodes/Person/fine").status()).isEqualTo(404);
  }

  @Test
  void aRunawayQueryTimesOutAndTheWriterStaysReady() {
    Reply r =
        http.post(
            "/v1/query",
            "{\"query\":\"UNWIND range(1, 1000000) AS x UNWIND range(1, 1000000) AS y"
                + " RETURN count(*)\",\"timeout\":200}");
    assertThat(r.status()).as("%s", r).isEqualTo(503);
    assertThat(r.error()).isEqualTo("query_timeout");
    assertThat(http.get("/q/health/ready").status()).isEqualTo(200);
    assertThat(ok("RETURN 1 AS one", null).at("/rows/0/0").asLong()).isEqualTo(1);
  }

  @Test
  void profileCountsRowsAndGetsPerOperator() {
    ok("CREATE (:Person {key: 'prof-1', age: 77})", null);
    JsonNode r = ok("PROFILE MATCH (p:Person {key: 'prof-1'}) RETURN p.age", null);
    assertThat(r.at("/rows/0/0").asLong()).isEqualTo(77);
    JsonNode plan = r.get("plan");
    assertThat(plan.get("rows").asLong()).isEqualTo(1);
    assertThat(plan.toString()).contains("KEY_LOOKUP").contains("\"gets\"");
    JsonNode explain = ok("EXPLAIN MATCH (p:Person) WHERE p.age = 77 RETURN p", null);
    assertThat(explain.get("rows")).isEmpty();
    assertThat(explain.get("plan").toString()).contains("INDEX_SEEK");
  }

  @Test
  void vectorSearchUnderBothNames() {
    ok(
        "CREATE (:Doc {key: 'v-x', emb: [1.0, 0.0, 0.0]}), (:Doc {key: 'v-y', emb: [0.0, 1.0, 0.0]})",
        null);
    JsonNode neo =
        ok(
            "CALL db.index.vector.queryNodes('Doc.emb', 1, $v) YIELD node, score"
                + " RETURN node.key AS key, score",
            "{\"v\":[0.9,0.1,0.0]}");
    assertThat(neo.at("/rows/0/0").asText()).isEqualTo("v-x");
    assertThat(neo.at("/rows/0/1").asDouble()).isBetween(0.9, 1.0);
    JsonNode kuzu =
        ok(
            "CALL QUERY_VECTOR_INDEX('Doc', 'emb', $v, 1) RETURN node.key AS key, distance",
            "{\"v\":[0.0,1.0,0.0]}");
    assertThat(kuzu.at("/rows/0/0").asText()).isEqualTo("v-y");
    assertThat(kuzu.at("/rows/0/1").asDouble()).isBetween(0.0, 0.01);
  }

  @Test
  void badRequestsAreRefusedWithTheField() {
    assertThat(http.post("/v1/query", "{\"parameters\":{}}").error()).isEqualTo("invalid_input");
    Reply bad = http.post("/v1/query", "{\"query\":\"RETURN 1\",\"timeout\":-5}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("message").asText()).startsWith("timeout:");
  }

  /** {@code r} is a 400 of this error whose message holds every part. */
  private static void assertRefused(Reply r, String error, String... parts) {
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).isEqualTo(error);
    String message = r.json().get("message").asText();
    for (String part : parts) {
      assertThat(message).contains(part);
    }
  }
}
