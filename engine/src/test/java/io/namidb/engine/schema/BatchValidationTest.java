package io.namidb.engine.schema;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchValidationTest {
  private static final NodeKey ALICE = NodeKey.of("Person", "alice");
  private static final NodeKey BOB = NodeKey.of("Person", "bob");
  private static final NodeKey ACME = NodeKey.of("Company", 7L);

  private final Schema schema = Fixtures.allTypes();

  @Test
  void acceptsEveryTypeAndNulls() {
    Map<String, Object> all = new HashMap<>();
    all.put("age", 41L);
    all.put("emb", new float[] {1f, -0f, Float.MAX_VALUE, Float.MIN_VALUE});
    all.put("name", "");
    all.put("score", -0.5);
    all.put("active", false);
    all.put("born", Values.MIN_TIMESTAMP);
    all.put("photo", new byte[0]);
    Map<String, Object> nulls = new HashMap<>();
    all.keySet().forEach(k -> nulls.put(k, null));
    Map<String, Object> since = new HashMap<>();
    since.put("since", null);
    WriteBatch batch =
        WriteBatch.builder()
            .node(new Node(ALICE, all))
            .node(new Node(BOB, nulls))
            .node(new Node(NodeKey.of("Person", "carol"), Map.of("born", Values.MAX_TIMESTAMP)))
            .node(new Node(ACME, Map.of()))
            .node(new Node(NodeKey.of("Company", Long.MIN_VALUE), Map.of("name", "\uD83D\uDE00")))
            .edge(new Edge(new EdgeKey("KNOWS", ALICE, BOB), since))
            .edge(new Edge(new EdgeKey("WORKS_AT", ALICE, ACME), Map.of("role", "cto")))
            .deleteNode(NodeKey.of("Person", "dave"))
            .deleteEdge(new EdgeKey("WORKS_AT", BOB, ACME))
            .build();
    assertThatCode(() -> schema.validate(batch)).doesNotThrowAnyException();
  }

  // ---- nodes

  @Test
  void refusesUnknownLabels() {
    assertRefused(
        nodes(new Node(ALICE, Map.of()), new Node(NodeKey.of("Robot", "r2"), Map.of())),
        "nodes[1].label: unknown label. label=Robot key=r2");
    assertRefused(
        nodes(new Node(ALICE, Map.of())),
        Schema.EMPTY,
        "nodes[0].label: unknown label. label=Person key=alice");
  }

  @Test
  void refusesKeysOfTheWrongType() {
    assertRefused(
        nodes(new Node(NodeKey.of("Person", 42L), Map.of())),
        "nodes[0].key: expected STRING, got INT64. label=Person key=42");
    assertRefused(
        nodes(new Node(NodeKey.of("Company", "acme"), Map.of())),
        "nodes[0].key: expected INT64, got STRING. label=Company key=acme");
    assertRefused(
        nodes(new Node(NodeKey.of("Person", ""), Map.of())),
        "nodes[0].key: STRING key must not be empty. label=Person key=");
    assertRefused(
        nodes(new Node(NodeKey.of("Person", "a\uD800"), Map.of())),
        "nodes[0].key: string has an unpaired surrogate. index=1 label=Person key=a\uD800");
  }

  @Test
  void refusesUnknownProperties() {
    assertRefused(
        nodes(new Node(BOB, Map.of("height", 1.8))),
        "nodes[0].props.height: unknown property. label=Person key=bob");
  }

  @Test
  void refusesValuesOfTheWrongType() {
    assertRefused(
        nodes(
            new Node(ALICE, Map.of("age", 1L)),
            new Node(ACME, Map.of()),
            new Node(NodeKey.of("Person", "carol"), Map.of()),
            new Node(BOB, Map.of("age", "old"))),
        "nodes[3].props.age: expected INT64, got STRING. label=Person key=bob");
    assertProp("score", 1L, "expected DOUBLE, got INT64");
    assertProp("active", "true", "expected BOOL, got STRING");
    assertProp("born", 1700000000000L, "expected TIMESTAMP, got INT64");
    assertProp("photo", new float[] {1f}, "expected BYTES, got VECTOR(1)");
    assertProp("emb", new byte[4], "expected VECTOR(4), got BYTES");
    assertProp("name", 3L, "expected STRING, got INT64");
  }

  @Test
  void refusesWrongVectorDimensions() {
    assertProp("emb", new float[3], "expected VECTOR(4), got VECTOR(3)");
    assertProp("emb", new float[0], "expected VECTOR(4), got VECTOR(0)");
  }

  @Test
  void refusesNanAndInfinity() {
    assertProp("score", Double.NaN, "DOUBLE must be finite. value=NaN");
    assertProp("score", Double.NEGATIVE_INFINITY, "DOUBLE must be finite. value=-Infinity");
    assertRefused(
        nodes(new Node(BOB, Map.of("emb", new float[] {0f, 1f, Float.NaN, 2f}))),
        "nodes[0].props.emb[2]: VECTOR element must be finite. value=NaN label=Person key=bob");
    assertRefused(
        nodes(new Node(BOB, Map.of("emb", new float[] {Float.POSITIVE_INFINITY, 0f, 0f, 0f}))),
        "nodes[0].props.emb[0]: VECTOR element must be finite. value=Infinity label=Person key=bob");
  }

  @Test
  void refusesTimestampsOutsideInt64Nanoseconds() {
    String range =
        "TIMESTAMP out of range, must be within"
            + " 1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z";
    assertProp(
        "born",
        Instant.parse("2262-04-11T23:47:16.854775808Z"),
        range + ". value=2262-04-11T23:47:16.854775808Z");
    assertProp(
        "born",
        Instant.parse("1677-09-21T00:12:43.145224191Z"),
        range + ". value=1677-09-21T00:12:43.145224191Z");
  }

  @Test
  void refusesStringsWithUnpairedSurrogates() {
    assertProp("name", "a\uDC00b", "string has an unpaired surrogate. index=1");
    assertProp("name", "ab\uD83D", "string has an unpaired surrogate. index=2");
  }

  // ---- edges

  @Test
  void refusesUnknownEdgeTypes() {
    assertRefused(
        edges(new Edge(new EdgeKey("LIKES", ALICE, BOB), Map.of())),
        "edges[0].type: unknown edge type. type=LIKES from=Person:alice to=Person:bob");
  }

  @Test
  void refusesEndpointLabelsTheEdgeTypeDoesNotAllow() {
    assertRefused(
        edges(
            new Edge(new EdgeKey("KNOWS", ALICE, BOB), Map.of()),
            new Edge(new EdgeKey("WORKS_AT", ACME, NodeKey.of("Company", 8L)), Map.of())),
        "edges[1].from.label: label not allowed by the edge type."
            + " allowed=Person type=WORKS_AT from=Company:7 to=Company:8");
    assertRefused(
        edges(new Edge(new EdgeKey("KNOWS", ALICE, ACME), Map.of())),
        "edges[0].to.label: label not allowed by the edge type."
            + " allowed=Person type=KNOWS from=Person:alice to=Company:7");
    assertRefused(
        edges(new Edge(new EdgeKey("KNOWS", ALICE, NodeKey.of("Robot", "r2")), Map.of())),
        "edges[0].to.label: label not allowed by the edge type."
            + " allowed=Person type=KNOWS from=Person:alice to=Robot:r2");
  }

  @Test
  void refusesEndpointKeysOfTheWrongType() {
    assertRefused(
        edges(new Edge(new EdgeKey("WORKS_AT", ALICE, NodeKey.of("Company", "acme")), Map.of())),
        "edges[0].to.key: expected INT64, got STRING."
            + " type=WORKS_AT from=Person:alice to=Company:acme");
  }

  @Test
  void refusesBadEdgeProperties() {
    assertRefused(
        edges(new Edge(new EdgeKey("KNOWS", ALICE, BOB), Map.of("since", "2020"))),
        "edges[0].props.since: expected INT64, got STRING. type=KNOWS from=Person:alice to=Person:bob");
    assertRefused(
        edges(new Edge(new EdgeKey("KNOWS", ALICE, BOB), Map.of("role", "x"))),
        "edges[0].props.role: unknown property. type=KNOWS from=Person:alice to=Person:bob");
  }

  // ---- deletes

  @Test
  void refusesDeletesOfUnknownLabelsOrTypes() {
    assertRefused(
        WriteBatch.builder().deleteNode(ALICE).deleteNode(NodeKey.of("Robot", "r2")).build(),
        "deleteNodes[1].label: unknown label. label=Robot key=r2");
    assertRefused(
        WriteBatch.builder().deleteNode(NodeKey.of("Company", "acme")).build(),
        "deleteNodes[0].key: expected INT64, got STRING. label=Company key=acme");
    assertRefused(
        WriteBatch.builder().deleteEdge(new EdgeKey("LIKES", ALICE, BOB)).build(),
        "deleteEdges[0].type: unknown edge type. type=LIKES from=Person:alice to=Person:bob");
    assertRefused(
        WriteBatch.builder().deleteEdge(new EdgeKey("WORKS_AT", ALICE, BOB)).build(),
        "deleteEdges[0].to.label: label not allowed by the edge type."
            + " allowed=Company type=WORKS_AT from=Person:alice to=Person:bob");
  }

  @Test
  void namesTheFirstBadItemInBatchOrder() {
    WriteBatch batch =
        WriteBatch.builder()
            .node(new Node(ALICE, Map.of()))
            .node(new Node(BOB, Map.of("age", 1.5)))
            .edge(new Edge(new EdgeKey("LIKES", ALICE, BOB), Map.of()))
            .deleteNode(NodeKey.of("Robot", "r2"))
            .build();
    assertRefused(batch, "nodes[1].props.age: expected INT64, got DOUBLE. label=Person key=bob");
  }

  private void assertProp(String property, Object value, String problem) {
    String message = "nodes[0].props." + property + ": " + problem;
    message += problem.contains(". ") ? " label=Person key=bob" : ". label=Person key=bob";
    assertRefused(nodes(new Node(BOB, Map.of(property, value))), message);
  }

  private static WriteBatch nodes(Node... nodes) {
    WriteBatch.Builder b = WriteBatch.builder();
    for (Node n : nodes) {
      b.node(n);
    }
    return b.build();
  }

  private static WriteBatch edges(Edge... edges) {
    WriteBatch.Builder b = WriteBatch.builder();
    for (Edge e : edges) {
      b.edge(e);
    }
    return b.build();
  }

  private void assertRefused(WriteBatch batch, String message) {
    assertRefused(batch, schema, message);
  }

  private static void assertRefused(WriteBatch batch, Schema schema, String message) {
    assertThatThrownBy(() -> schema.validate(batch))
        .isInstanceOf(NamiException.class)
        .hasMessage(message)
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.INVALID_INPUT);
  }
}
