package io.namidb.writer;

import static io.namidb.writer.TestGraph.knows;
import static io.namidb.writer.TestGraph.nodes;
import static io.namidb.writer.TestGraph.person;
import static io.namidb.writer.TestGraph.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.namidb.writer.Http.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every endpoint of DESIGN §8 through a real {@code nami serve} process. Subclasses choose the
 * store (local directory, MinIO). One writer per class; each test works on keys of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpApiContract {
  WriterProcess writer;
  Http http;

  /** The namespace URI to serve. */
  abstract String namespaceUri();

  /** Environment of the writer process (credentials). */
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

  Reply write(String body) {
    return http.post("/v1/write", body);
  }

  long writeOk(String body) {
    Reply r = write(body);
    assertThat(r.status()).as("write %s -> %s", body, r).isEqualTo(200);
    assertThat(r.json().get("lsn").isIntegralNumber()).isTrue();
    return r.json().get("lsn").asLong();
  }

  @Test
  void statusReportsTheWriter() {
    Reply r = http.get("/v1/status");
    assertThat(r.status()).isEqualTo(200);
    JsonNode s = r.json();
    assertThat(s.get("state").asText()).isEqualTo("WRITER");
    assertThat(namespaceUri()).contains("ns=" + s.get("namespace").asText());
    assertThat(s.get("epoch").asLong()).isPositive();
    assertThat(s.get("manifestVersion").asLong()).isPositive();
    assertThat(s.get("walSegment").asLong()).isPositive();
  }

  @Test
  void schemaIsReadAndChangedAdditively() {
    Reply get = http.get("/v1/schema");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.json().at("/labels/Person/properties/age").asText()).isEqualTo("INT64");
    assertThat(get.json().at("/edgeTypes/KNOWS/from").asText()).isEqualTo("Person");
    long version = manifestVersion();

    String change =
        "{\"labels\":{\"Tag\":{\"key\":\"STRING\",\"properties\":{\"color\":\"STRING\"}},"
            + "\"Person\":{\"key\":\"STRING\",\"properties\":{\"nick\":\"STRING\"}}}}";
    Reply put = http.put("/v1/schema", change);
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    assertThat(put.json().at("/labels/Tag/properties/color").asText()).isEqualTo("STRING");
    assertThat(put.json().at("/labels/Person/properties/nick").asText()).isEqualTo("STRING");
    assertThat(put.json().at("/labels/Person/properties/age").asText()).isEqualTo("INT64");
    assertThat(http.get("/v1/schema").json()).isEqualTo(put.json());
    assertThat(manifestVersion()).isEqualTo(version + 1);

    Reply again = http.put("/v1/schema", change);
    assertThat(again.status()).isEqualTo(200);
    assertThat(manifestVersion()).as("re-stating the schema writes nothing").isEqualTo(version + 1);

    Reply conflict = http.put("/v1/schema", "{\"labels\":{\"Tag\":{\"key\":\"INT64\"}}}");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.error()).isEqualTo("conflict");
    assertThat(conflict.message()).contains("Tag");
    assertThat(manifestVersion()).isEqualTo(version + 1);
  }

  @Test
  void writesAndReadsEveryPropertyType() {
    long first =
        writeOk(
            nodes(
                person(
                    "t-alice",
                    "{\"name\":\"Alice\",\"age\":34,\"score\":1.5,\"active\":true,"
                        + "\"born\":\"1990-05-01T12:30:00Z\",\"avatar\":\"AQID\","
                        + "\"emb\":[0.5,1,-2]}"),
                "{\"label\":\"City\",\"key\":42,\"props\":{\"name\":\"Lisbon\"}}"));
    Reply alice = http.get("/v1/nodes/Person/t-alice");
    assertThat(alice.status()).as("%s", alice).isEqualTo(200);
    JsonNode node = alice.json();
    assertThat(node.get("label").asText()).isEqualTo("Person");
    assertThat(node.get("key").asText()).isEqualTo("t-alice");
    JsonNode p = node.get("props");
    assertThat(p.get("name").asText()).isEqualTo("Alice");
    assertThat(p.get("age").isIntegralNumber()).isTrue();
    assertThat(p.get("age").asLong()).isEqualTo(34);
    assertThat(p.get("score").asDouble()).isEqualTo(1.5);
    assertThat(p.get("active").asBoolean()).isTrue();
    assertThat(Instant.parse(p.get("born").asText()))
        .isEqualTo(Instant.parse("1990-05-01T12:30:00Z"));
    assertThat(p.get("avatar").asText()).isEqualTo("AQID");
    assertThat(p.get("emb").isArray()).isTrue();
    assertThat(p.get("emb").get(2).asDouble()).isEqualTo(-2.0);

    Reply city = http.get("/v1/nodes/City/42");
    assertThat(city.status()).isEqualTo(200);
    assertThat(city.json().get("key").isIntegralNumber()).isTrue();
    assertThat(city.json().get("key").asLong()).isEqualTo(42);

    long second = writeOk(nodes(person("t-alice", "{\"age\":35}")));
    assertThat(second).as("lsn grows").isGreaterThan(first);
    JsonNode replaced = http.get("/v1/nodes/Person/t-alice").json().get("props");
    assertThat(replaced.get("age").asLong()).isEqualTo(35);
    assertThat(replaced.has("name")).as("an upsert replaces the props").isFalse();
  }

  @Test
  void nodeLookupsAnswer404And400() {
    Reply missing = http.get("/v1/nodes/Person/t-nobody");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.error()).isEqualTo("not_found");
    assertThat(missing.message()).contains("key=t-nobody");

    Reply notNumber = http.get("/v1/nodes/City/forty-two");
    assertThat(notNumber.status()).isEqualTo(400);
    assertThat(notNumber.error()).isEqualTo("invalid_input");
    assertThat(notNumber.message()).startsWith("key:");

    Reply unknownLabel = http.get("/v1/nodes/Planet/x");
    assertThat(unknownLabel.status()).isEqualTo(400);
    assertThat(unknownLabel.message()).contains("label=Planet");
  }

  @Test
  void edgesOfANodeByTypeAndDirection() {
    writeOk(
        "{\"nodes\":["
            + person("e-a", "{}")
            + ","
            + person("e-b", "{}")
            + ","
            + person("e-c", "{}")
            + ",{\"label\":\"City\",\"key\":7}],\"edges\":["
            + knows("e-a", "e-b", "{\"since\":2020}")
            + ","
            + knows("e-c", "e-a", "{}")
            + ",{\"type\":\"LIVES_IN\",\"from\":"
            + ref("Person", "e-a")
            + ",\"to\":{\"label\":\"City\",\"key\":7}}]}");
    assertThat(edges("/v1/nodes/Person/e-a/edges")).hasSize(3);
    assertThat(edges("/v1/nodes/Person/e-a/edges?direction=both")).hasSize(3);
    assertThat(edges("/v1/nodes/Person/e-a/edges?direction=out")).hasSize(2);
    List<JsonNode> in = edges("/v1/nodes/Person/e-a/edges?direction=in");
    assertThat(in).hasSize(1);
    assertThat(in.get(0).at("/from/key").asText()).isEqualTo("e-c");
    List<JsonNode> knows = edges("/v1/nodes/Person/e-a/edges?type=KNOWS&direction=out");
    assertThat(knows).hasSize(1);
    JsonNode edge = knows.get(0);
    assertThat(edge.get("type").asText()).isEqualTo("KNOWS");
    assertThat(edge.at("/from/label").asText()).isEqualTo("Person");
    assertThat(edge.at("/to/key").asText()).isEqualTo("e-b");
    assertThat(edge.at("/props/since").asLong()).isEqualTo(2020);
    assertThat(edges("/v1/nodes/City/7/edges?direction=in")).hasSize(1);
    assertThat(edges("/v1/nodes/Person/e-a/edges?limit=1")).hasSize(1);

    assertThat(http.get("/v1/nodes/Person/e-a/edges?direction=sideways").status()).isEqualTo(400);
    assertThat(http.get("/v1/nodes/Person/e-a/edges?type=LIKES").status()).isEqualTo(400);
    Reply badLimit = http.get("/v1/nodes/Person/e-a/edges?limit=0");
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.message()).startsWith("limit:");
    assertThat(http.get("/v1/nodes/Person/e-none/edges").status()).isEqualTo(404);
  }

  private List<JsonNode> edges(String path) {
    Reply r = http.get(path);
    assertThat(r.status()).as("%s -> %s", path, r).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.json().get("edges").forEach(out::add);
    return out;
  }

  @Test
  void traversesHops() {
    writeOk(
        "{\"nodes\":["
            + String.join(
                ",",
                person("h-1", "{}"),
                person("h-2", "{}"),
                person("h-3", "{\"name\":\"end\"}"),
                person("h-4", "{}"))
            + "],\"edges\":["
            + String.join(
                ",",
                knows("h-1", "h-2", "{}"),
                knows("h-2", "h-3", "{}"),
                knows("h-1", "h-4", "{}"),
                knows("h-4", "h-3", "{}"))
            + "]}");
    String from = "\"from\":" + ref("Person", "h-1");
    String twoHops = "\"steps\":[{\"type\":\"KNOWS\",\"direction\":\"out\"},{\"type\":\"KNOWS\"}]";
    List<JsonNode> distinct = traverse("{" + from + "," + twoHops + "}");
    assertThat(distinct).hasSize(1);
    assertThat(distinct.get(0).get("key").asText()).isEqualTo("h-3");
    assertThat(distinct.get(0).at("/props/name").asText()).isEqualTo("end");
    assertThat(traverse("{" + from + "," + twoHops + ",\"distinct\":false}")).hasSize(2);
    assertThat(traverse("{" + from + ",\"steps\":[{}],\"limit\":1}")).hasSize(1);
    List<JsonNode> back =
        traverse("{\"from\":" + ref("Person", "h-3") + ",\"steps\":[{\"direction\":\"in\"}]}");
    assertThat(back).extracting(n -> n.get("key").asText()).containsExactlyInAnyOrder("h-2", "h-4");

    Reply noSteps = http.post("/v1/traverse", "{" + from + "}");
    assertThat(noSteps.status()).isEqualTo(400);
    assertThat(noSteps.message()).startsWith("steps:");
    Reply missingStart =
        http.post("/v1/traverse", "{\"from\":" + ref("Person", "h-0") + "," + twoHops + "}");
    assertThat(missingStart.status()).isEqualTo(404);
  }

  private List<JsonNode> traverse(String body) {
    Reply r = http.post("/v1/traverse", body);
    assertThat(r.status()).as("%s -> %s", body, r).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.json().get("nodes").forEach(out::add);
    return out;
  }

  @Test
  void vectorSearchNearestFirstWithFilterAndMetric() {
    writeOk(
        "{\"nodes\":["
            + "{\"label\":\"Doc\",\"key\":\"v-x\",\"props\":{\"emb\":[1,0,0],\"grp\":1}},"
            + "{\"label\":\"Doc\",\"key\":\"v-y\",\"props\":{\"emb\":[0,1,0],\"grp\":2}},"
            + "{\"label\":\"Doc\",\"key\":\"v-z\",\"props\":{\"emb\":[0.9,0.1,0],\"grp\":1}},"
            + "{\"label\":\"Doc\",\"key\":\"v-none\",\"props\":{\"grp\":1}}]}");
    List<JsonNode> l2 =
        search("{\"label\":\"Doc\",\"property\":\"emb\",\"vector\":[1,0,0],\"k\":2}");
    assertThat(l2).extracting(r -> r.get("key").asText()).containsExactly("v-x", "v-z");
    assertThat(l2.get(0).get("distance").asDouble()).isEqualTo(0.0);
    assertThat(l2.get(1).get("distance").asDouble()).isCloseTo(Math.sqrt(0.02), within());
    assertThat(l2.get(0).get("label").asText()).isEqualTo("Doc");
    assertThat(l2.get(0).at("/props/grp").asLong()).isEqualTo(1);

    List<JsonNode> filtered =
        search(
            "{\"label\":\"Doc\",\"property\":\"emb\",\"vector\":[1,0,0],\"k\":5,"
                + "\"filter\":{\"grp\":2}}");
    assertThat(filtered).extracting(r -> r.get("key").asText()).containsExactly("v-y");

    List<JsonNode> cosine =
        search(
            "{\"label\":\"Doc\",\"property\":\"emb\",\"vector\":[2,0,0],\"k\":3,"
                + "\"metric\":\"cosine\"}");
    assertThat(cosine).extracting(r -> r.get("key").asText()).containsExactly("v-x", "v-z", "v-y");
    assertThat(cosine.get(0).get("distance").asDouble()).isCloseTo(0.0, within());
    assertThat(cosine.get(2).get("distance").asDouble()).isCloseTo(1.0, within());

    Reply badMetric =
        http.post(
            "/v1/vectors/search",
            "{\"label\":\"Doc\",\"property\":\"emb\",\"vector\":[1,0,0],\"metric\":\"dot\"}");
    assertThat(badMetric.status()).isEqualTo(400);
    assertThat(badMetric.message()).startsWith("metric:");

    List<JsonNode> exact =
        search(
            "{\"label\":\"Doc\",\"property\":\"emb\",\"vector\":[1,0,0],\"k\":2,"
                + "\"exact\":true}");
    assertThat(exact).extracting(r -> r.get("key").asText()).containsExactly("v-x", "v-z");
    Reply badExact =
        http.post(
            "/v1/vectors/search",
            "{\"label\":\"Doc\",\"property\":\"emb\",\"vector\":[1,0,0],\"exact\":\"yes\"}");
    assertThat(badExact.status()).isEqualTo(400);
    assertThat(badExact.message()).startsWith("exact:");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-6);
  }

  private List<JsonNode> search(String body) {
    Reply r = http.post("/v1/vectors/search", body);
    assertThat(r.status()).as("%s -> %s", body, r).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.json().get("results").forEach(out::add);
    return out;
  }

  @Test
  void deletesEdgesAndNodesWithTheirEdges() {
    writeOk(
        "{\"nodes\":["
            + String.join(",", person("d-a", "{}"), person("d-b", "{}"), person("d-c", "{}"))
            + "],\"edges\":["
            + knows("d-a", "d-b", "{}")
            + ","
            + knows("d-c", "d-a", "{}")
            + "]}");
    writeOk(
        "{\"deleteEdges\":[{\"type\":\"KNOWS\",\"from\":"
            + ref("Person", "d-a")
            + ",\"to\":"
            + ref("Person", "d-b")
            + "}]}");
    assertThat(edges("/v1/nodes/Person/d-a/edges?direction=out")).isEmpty();
    assertThat(edges("/v1/nodes/Person/d-b/edges")).isEmpty();
    writeOk("{\"deleteNodes\":[" + ref("Person", "d-a") + "]}");
    assertThat(http.get("/v1/nodes/Person/d-a").status()).isEqualTo(404);
    assertThat(edges("/v1/nodes/Person/d-c/edges")).as("edges go with the node").isEmpty();
  }

  @Test
  void aRefusedBatchLeavesNothingBehind() {
    Reply r =
        write(
            "{\"nodes\":["
                + person("w-new", "{}")
                + "],\"edges\":["
                + knows("w-new", "w-missing", "{}")
                + "]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("invalid_input");
    assertThat(r.message()).contains("edges[0].to").contains("w-missing");
    assertThat(http.get("/v1/nodes/Person/w-new").status()).isEqualTo(404);
  }

  @Test
  void healthAndMetrics() {
    Reply live = http.get("/q/health/live");
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().get("status").asText()).isEqualTo("UP");
    Reply ready = http.get("/q/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().at("/checks/0/data/state").asText()).isEqualTo("WRITER");
    Reply started = http.get("/q/health/started");
    assertThat(started.status()).isEqualTo(200);
    assertThat(started.json().at("/checks/0/name").asText()).isEqualTo("nami-writer-started");

    writeOk(nodes(person("m-1", "{}")));
    writeOk(nodes(person("m-2", "{}")));
    Reply metrics = http.get("/q/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("nami_write_seconds_bucket{outcome=\"ok\"")
        .contains("nami_group_commit_batches_bucket")
        .contains("nami_wal_segments_written_total")
        .contains("nami_manifests_written_total")
        .contains("nami_store_requests_total{op=\"put_if_absent\"}")
        .contains("nami_store_requests_total{op=\"get\"}")
        .contains("nami_store_bytes_total{op=\"put_if_absent\"}")
        .contains("nami_writer_epoch")
        .contains("nami_manifest_version")
        .contains("nami_writer_fenced 0.0")
        .contains("nami_writer_ready 1.0")
        .contains("nami_flush_seconds_count")
        .contains("nami_compaction_seconds_count")
        .contains("nami_wal_put_seconds_sum")
        .contains("nami_group_commit_wait_seconds_count")
        .contains("nami_memtable_bytes")
        .contains("nami_writes_throttled_total 0.0");
    assertThat(metricValue(metrics.body(), "nami_wal_segments_written_total")).isGreaterThan(1);
    assertThat(metricValue(metrics.body(), "nami_wal_put_seconds_count")).isGreaterThan(0);
  }

  static double metricValue(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + name);
  }

  long manifestVersion() {
    return http.get("/v1/status").json().get("manifestVersion").asLong();
  }
}
