package io.namidb.engine.schema;

import static io.namidb.engine.schema.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.NamiException;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.Props;
import io.namidb.engine.model.WriteBatch;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphJsonTest {
  private static final NodeKey ALICE = NodeKey.of("Person", "alice");
  private static final NodeKey BOB = NodeKey.of("Person", "bob");
  private static final NodeKey ACME = NodeKey.of("Company", 7L);

  private final Schema schema = Fixtures.allTypes();

  @Test
  void buildsAWholeBatch() {
    WriteBatch batch =
        schema.batchFromJson(
            json(
                "{'nodes':[{'label':'Person','key':'alice','props':{'age':41,'emb':[1,2,3,4],"
                    + "'name':null,'score':0.5,'active':true,'born':'2026-11-24T07:00:00Z',"
                    + "'photo':'AQ=='}},"
                    + "{'label':'Company','key':7}],"
                    + "'edges':[{'type':'WORKS_AT','from':{'label':'Person','key':'alice'},"
                    + "'to':{'label':'Company','key':7},'props':{'role':'cto'}}],"
                    + "'deleteNodes':[{'label':'Person','key':'bob'}],"
                    + "'deleteEdges':[{'type':'KNOWS','from':{'label':'Person','key':'alice'},"
                    + "'to':{'label':'Person','key':'bob'}}]}"));
    Node alice = batch.nodes().get(0);
    assertThat(alice.id()).isEqualTo(ALICE);
    Map<String, Object> expected = new HashMap<>();
    expected.put("age", 41L);
    expected.put("emb", new float[] {1, 2, 3, 4});
    expected.put("score", 0.5);
    expected.put("active", true);
    expected.put("born", Instant.parse("2026-11-24T07:00:00Z"));
    expected.put("photo", new byte[] {1});
    // JSON null means absent: graph.Props does not keep null values
    assertThat(Props.equal(alice.props(), expected)).as("%s", alice.props()).isTrue();
    assertThat(batch.nodes().get(1)).isEqualTo(new Node(ACME, Map.of()));
    assertThat(batch.edges().get(0).id()).isEqualTo(new EdgeKey("WORKS_AT", ALICE, ACME));
    assertThat(batch.edges().get(0).props()).isEqualTo(Map.of("role", "cto"));
    assertThat(batch.deleteNodes()).containsExactly(BOB);
    assertThat(batch.deleteEdges()).containsExactly(new EdgeKey("KNOWS", ALICE, BOB));
  }

  @Test
  void everyPartIsOptional() {
    assertThat(schema.batchFromJson(json("{}")).isEmpty()).isTrue();
    assertThat(schema.batchFromJson(json("{'nodes':null}")).isEmpty()).isTrue();
  }

  @Test
  void nodesAndEdgesRoundTrip() {
    Map<String, Object> props = new HashMap<>();
    props.put("age", Long.MIN_VALUE);
    props.put("emb", new float[] {Float.MIN_VALUE, -0f, 1e-3f, Float.MAX_VALUE});
    props.put("name", "");
    props.put("score", null);
    props.put("born", Instant.parse("2001-02-03T04:05:06.000000007Z"));
    props.put("photo", new byte[] {(byte) 0x80, 0});
    Node node = new Node(ALICE, props);
    ObjectNode out = schema.toJson(node);
    assertThat(out.get("label").textValue()).isEqualTo("Person");
    assertThat(out.get("key").textValue()).isEqualTo("alice");
    assertThat(out.get("props").get("born").textValue())
        .isEqualTo("2001-02-03T04:05:06.000000007Z");
    assertThat(out.get("props").has("score")).isFalse();
    Node back = schema.nodeFromJson("Person", out.get("key"), out.get("props"));
    assertThat(back.id()).isEqualTo(node.id());
    assertThat(Props.equal(back.props(), node.props())).isTrue();

    Edge edge = new Edge(new EdgeKey("WORKS_AT", ALICE, ACME), Map.of("role", "cto"));
    ObjectNode e = schema.toJson(edge);
    // compared as text: Jackson's IntNode(7) and LongNode(7) are not equal
    assertThat(e.toString())
        .isEqualTo(
            json("{'type':'WORKS_AT','from':{'label':'Person','key':'alice'},"
                    + "'to':{'label':'Company','key':7},'props':{'role':'cto'}}")
                .toString());
    Edge edgeBack =
        schema.edgeFromJson("edge", "WORKS_AT", e.get("from"), e.get("to"), e.get("props"));
    assertThat(edgeBack).isEqualTo(edge);
    assertThat(schema.toJson(ACME).toString()).isEqualTo("{\"label\":\"Company\",\"key\":7}");
    assertThat(schema.nodeKeyFromJson("k", schema.toJson(ACME))).isEqualTo(ACME);
    assertThat(schema.nodeKeyFromJson("k", "Company", json("7"))).isEqualTo(ACME);
    assertThat(
            schema.edgeKeyFromJson(
                "e",
                json(
                    "{'type':'KNOWS','from':{'label':'Person','key':'alice'},'to':{'label':'Person','key':'bob'}}")))
        .isEqualTo(new EdgeKey("KNOWS", ALICE, BOB));
  }

  @Test
  void keysFromUrlText() {
    assertThat(schema.nodeKeyFromText("Company", "7")).isEqualTo(ACME);
    assertThat(schema.nodeKeyFromText("Person", "alice")).isEqualTo(ALICE);
    assertRefused(() -> schema.nodeKeyFromText("Robot", "r2"), "label: unknown label. label=Robot");
    assertRefused(
        () -> schema.nodeKeyFromText("Company", "acme"), "key: expected an INT64 key. value=acme");
  }

  @Test
  void propertyValuesForQueries() {
    assertThat((float[]) schema.propertyFromJson("vector", "Person", "emb", json("[1,2,3,4]")))
        .containsExactly(1f, 2f, 3f, 4f);
    assertRefused(
        () -> schema.propertyFromJson("vector", "Person", "emb", json("[1,2]")),
        "vector: expected VECTOR(4), got an array of 2 elements. label=Person");
    assertRefused(
        () -> schema.propertyFromJson("filter.x", "Person", "x", json("1")),
        "filter.x: unknown property. label=Person property=x");
    assertRefused(
        () -> schema.propertyFromJson("label", "Robot", "x", json("1")),
        "label: unknown label. label=Robot");
  }

  // ---- refusals name the field path

  @Test
  void namesTheOffendingItemAndField() {
    assertBatchRefused(
        "{'nodes':[{'label':'Person','key':'a'},{'label':'Person','key':'b'},"
            + "{'label':'Company','key':1},{'label':'Person','key':'bob','props':{'age':'x'}}]}",
        "nodes[3].props.age: expected INT64, got JSON string. label=Person key=bob");
    assertBatchRefused(
        "{'nodes':[{'label':'Person','key':'bob','props':{'emb':[1,2,3]}}]}",
        "nodes[0].props.emb: expected VECTOR(4), got an array of 3 elements. label=Person key=bob");
    assertBatchRefused(
        "{'nodes':[{'label':'Person','key':'bob','props':{'height':1}}]}",
        "nodes[0].props.height: unknown property. label=Person key=bob");
    assertBatchRefused(
        "{'nodes':[{'label':'Robot','key':'r2'}]}", "nodes[0].label: unknown label. label=Robot");
    assertBatchRefused(
        "{'nodes':[{'label':'Company','key':'acme'}]}",
        "nodes[0].key: expected INT64, got JSON string. label=Company");
    assertBatchRefused(
        "{'nodes':[{'label':'Person'}]}", "nodes[0].key: key is required. label=Person");
    assertBatchRefused("{'nodes':[{'key':'x'}]}", "nodes[0].label: field is required");
    assertBatchRefused(
        "{'nodes':[{'label':3,'key':'x'}]}", "nodes[0].label: expected a string, got JSON number");
    assertBatchRefused(
        "{'nodes':[{'label':'Person','key':'bob','props':[]}]}",
        "nodes[0].props: expected a JSON object, got JSON array");
  }

  @Test
  void edgeRefusalsNameTheEndpoint() {
    assertBatchRefused(
        "{'edges':[{'type':'LIKES','from':{'label':'Person','key':'a'},'to':{'label':'Person','key':'b'}}]}",
        "edges[0].type: unknown edge type. type=LIKES");
    assertBatchRefused(
        "{'edges':[{'type':'WORKS_AT','from':{'label':'Company','key':1},'to':{'label':'Company','key':2}}]}",
        "edges[0].from.label: label not allowed by the edge type."
            + " allowed=Person type=WORKS_AT label=Company");
    assertBatchRefused(
        "{'edges':[{'type':'KNOWS','from':{'label':'Person','key':'a'}}]}",
        "edges[0].to: node reference is required. type=KNOWS");
    assertBatchRefused(
        "{'edges':[{'type':'KNOWS','from':{'label':'Person','key':'a'},'to':{'label':'Person','key':1}}]}",
        "edges[0].to.key: expected STRING, got JSON number. label=Person");
    assertBatchRefused(
        "{'edges':[{'type':'KNOWS','from':{'label':'Person','key':'a'},'to':{'label':'Person','key':'b'},"
            + "'props':{'since':1.5}}]}",
        "edges[0].props.since: expected INT64, got a number with a fraction or exponent."
            + " value=1.5 type=KNOWS from=Person:a to=Person:b");
    assertBatchRefused(
        "{'deleteEdges':[{'type':'WORKS_AT','from':{'label':'Person','key':'a'},'to':{'label':'Person','key':'b'}}]}",
        "deleteEdges[0].to.label: label not allowed by the edge type."
            + " allowed=Company type=WORKS_AT label=Person");
    assertBatchRefused(
        "{'deleteNodes':[{'label':'Robot','key':'r2'}]}",
        "deleteNodes[0].label: unknown label. label=Robot");
  }

  @Test
  void refusesUnknownFieldsAndWrongShapes() {
    assertBatchRefused(
        "{'node':[]}", "unknown field. field=node allowed=nodes,edges,deleteNodes,deleteEdges");
    assertBatchRefused(
        "{'nodes':[{'label':'Person','key':'a','properties':{}}]}",
        "nodes[0]: unknown field. field=properties allowed=label,key,props");
    assertBatchRefused(
        "{'edges':[{'type':'KNOWS','from':{'label':'Person','key':'a','x':1},'to':{'label':'Person','key':'b'}}]}",
        "edges[0].from: unknown field. field=x allowed=label,key");
    assertBatchRefused(
        "{'deleteEdges':[{'type':'KNOWS','from':{'label':'Person','key':'a'},"
            + "'to':{'label':'Person','key':'b'},'props':{}}]}",
        "deleteEdges[0]: unknown field. field=props allowed=type,from,to");
    assertBatchRefused(
        "{'deleteNodes':[{'label':'Person','key':'a','props':{}}]}",
        "deleteNodes[0]: unknown field. field=props allowed=label,key");
    assertBatchRefused("{'nodes':{}}", "nodes: expected an array, got JSON object");
    assertBatchRefused("{'nodes':[1]}", "nodes[0]: expected a JSON object, got JSON number");
    assertRefused(
        () -> schema.batchFromJson(json("[]")), "write body must be a JSON object, got JSON array");
    assertRefused(
        () -> schema.batchFromJson(null), "write body must be a JSON object, got JSON missing");
  }

  private void assertBatchRefused(String body, String message) {
    JsonNode json = json(body);
    assertRefused(() -> schema.batchFromJson(json), message);
  }

  private static void assertRefused(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(NamiException.class)
        .hasMessage(message)
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.INVALID_INPUT);
  }
}
