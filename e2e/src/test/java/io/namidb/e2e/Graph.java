package io.namidb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A small graph the lifecycle tests write through a tenant's Service and expect back after suspend,
 * restore and failover: the README quickstart's people and cities. Its label and keys are
 * distinctive so that a purge can be checked byte by byte.
 */
final class Graph {
  static final String LABEL = "E2ePerson";
  static final List<String> PEOPLE = List.of("e2e-alice", "e2e-bob", "e2e-carol");

  static final String SCHEMA =
      """
      {"labels": {
         "E2ePerson": {"key": "STRING", "properties": {"name": "STRING", "age": "INT64", "emb": "VECTOR(3)"}, "indexes": ["age"]},
         "E2eCity": {"key": "INT64", "properties": {"name": "STRING"}}},
       "edgeTypes": {
         "E2E_KNOWS": {"from": "E2ePerson", "to": "E2ePerson", "properties": {"since": "INT64"}},
         "E2E_LIVES_IN": {"from": "E2ePerson", "to": "E2eCity"}}}
      """;

  static final String BATCH =
      """
      {"nodes": [
         {"label": "E2ePerson", "key": "e2e-alice", "props": {"name": "Alice", "age": 34, "emb": [0.9, 0.1, 0.0]}},
         {"label": "E2ePerson", "key": "e2e-bob",   "props": {"name": "Bob",   "age": 29, "emb": [0.8, 0.3, 0.1]}},
         {"label": "E2ePerson", "key": "e2e-carol", "props": {"name": "Carol", "age": 41, "emb": [0.0, 0.2, 1.0]}},
         {"label": "E2eCity",   "key": 1,           "props": {"name": "Lisbon"}}],
       "edges": [
         {"type": "E2E_KNOWS",    "from": {"label": "E2ePerson", "key": "e2e-alice"}, "to": {"label": "E2ePerson", "key": "e2e-bob"}, "props": {"since": 2019}},
         {"type": "E2E_KNOWS",    "from": {"label": "E2ePerson", "key": "e2e-bob"},   "to": {"label": "E2ePerson", "key": "e2e-carol"}},
         {"type": "E2E_LIVES_IN", "from": {"label": "E2ePerson", "key": "e2e-alice"}, "to": {"label": "E2eCity", "key": 1}}]}
      """;

  /** One more person, written after a restore; {@link #AFTER_RESTORE_PATH} reads it. */
  static final String AFTER_RESTORE =
      """
      {"nodes": [{"label": "E2ePerson", "key": "e2e-dave", "props": {"name": "Dave", "age": 52}}]}
      """;

  static final String AFTER_RESTORE_PATH = "/v1/nodes/E2ePerson/e2e-dave";

  private Graph() {}

  static void write(WriterApi api) throws Exception {
    api.put("/v1/schema", SCHEMA).require(200);
    JsonNode ack = api.post("/v1/write", BATCH).require(200).json();
    assertThat(ack.get("lsn").asLong()).isPositive();
  }

  /** Every node and edge of {@link #BATCH} is served. */
  static void assertServed(WriterApi api) throws Exception {
    for (String key : PEOPLE) {
      JsonNode node = api.get("/v1/nodes/" + LABEL + "/" + key).require(200).json();
      assertThat(node.get("key").asText()).isEqualTo(key);
    }
    assertThat(api.get("/v1/nodes/E2eCity/1").require(200).json().at("/props/name").asText())
        .isEqualTo("Lisbon");
    JsonNode edges =
        api.get("/v1/nodes/E2ePerson/e2e-alice/edges?direction=out").require(200).json();
    List<String> targets = new ArrayList<>();
    edges
        .get("edges")
        .forEach(e -> targets.add(e.get("type").asText() + "->" + e.at("/to/key").asText()));
    assertThat(targets).containsExactlyInAnyOrder("E2E_KNOWS->e2e-bob", "E2E_LIVES_IN->1");
    JsonNode reached =
        api.post(
                "/v1/traverse",
                """
                {"from": {"label": "E2ePerson", "key": "e2e-alice"},
                 "steps": [{"type": "E2E_KNOWS", "direction": "out"}, {"type": "E2E_KNOWS", "direction": "out"}]}
                """)
            .require(200)
            .json();
    assertThat(reached.at("/nodes/0/key").asText()).isEqualTo("e2e-carol");
  }

  /** The object {@code bucket/key} as UTF-8 text. */
  static String text(S3Client s3, String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  /** Keys of every object under {@code bucket/prefix}. */
  static List<String> objects(S3Client s3, String bucket, String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  /**
   * Objects under the prefix that still hold tenant data: any SST, WAL data segment or manifest
   * that carries the graph's label, keys or property names.
   */
  static List<String> objectsHoldingTenantData(S3Client s3, String bucket, String prefix) {
    List<String> holding = new ArrayList<>();
    for (String key : objects(s3, bucket, prefix)) {
      if (key.contains("/sst/")) {
        holding.add(key + " (an SST)");
        continue;
      }
      ResponseBytes<?> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
      String text = bytes.asString(java.nio.charset.StandardCharsets.ISO_8859_1);
      for (String marker : List.of(LABEL, "E2eCity", "E2E_KNOWS", "e2e-alice", "Lisbon")) {
        if (text.contains(marker)) {
          holding.add(key + " (holds '" + marker + "')");
          break;
        }
      }
    }
    return holding;
  }

  static void deletePrefix(S3Client s3, String bucket, String prefix) {
    for (String key : objects(s3, bucket, prefix)) {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
  }
}
