package io.namidb.engine.schema;

import static io.namidb.engine.schema.Fixtures.json;
import static io.namidb.engine.schema.Fixtures.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {
  private final Schema v1 = Fixtures.designExample();

  // ---- additions

  @Test
  void addsALabel() {
    Schema v2 = v1.evolve(schema("{'labels':{'Company':{'key':'INT64'}}}"));
    assertThat(v2.labels().keySet()).containsExactly("Person", "Company");
    assertThat(v2.labels().get("Person")).isEqualTo(v1.labels().get("Person"));
    assertThat(v2.edgeTypes()).isEqualTo(v1.edgeTypes());
  }

  @Test
  void addsAProperty() {
    Schema v2 =
        v1.evolve(json("{'labels':{'Person':{'key':'STRING','properties':{'height':'DOUBLE'}}}}"));
    assertThat(v2.labels().get("Person").properties().keySet())
        .containsExactly("age", "emb", "height");
    assertThat(v2.labels().get("Person").indexes()).containsExactly("age");
  }

  @Test
  void addsAnIndex() {
    Schema v2 =
        v1.evolve(
            json(
                "{'labels':{'Person':{'key':'STRING','properties':{'name':'STRING'},"
                    + "'indexes':['name']}}}"));
    assertThat(v2.labels().get("Person").indexes()).containsExactly("age", "name");

    // an index on a property that exists only in the current schema: the change need not repeat it
    Schema v3 =
        v2.evolve(json("{'labels':{'Person':{'key':'STRING','properties':{'nick':'STRING'}}}}"))
            .evolve(json("{'labels':{'Person':{'key':'STRING','indexes':['nick']}}}"));
    assertThat(v3.labels().get("Person").indexes()).containsExactly("age", "name", "nick");
  }

  @Test
  void addsAnEdgeTypeAndEdgeProperties() {
    Schema v2 =
        v1.evolve(
            json(
                "{'labels':{'Movie':{'key':'INT64'}},"
                    + "'edgeTypes':{'LIKES':{'from':'Person','to':'Movie'},"
                    + "'KNOWS':{'from':'Person','to':'Person','properties':{'weight':'DOUBLE'}}}}"));
    assertThat(v2.edgeTypes().keySet()).containsExactly("KNOWS", "LIKES");
    assertThat(v2.edgeTypes().get("LIKES")).isEqualTo(EdgeTypeDef.of("Person", "Movie"));
    assertThat(v2.edgeTypes().get("KNOWS").properties().keySet())
        .containsExactly("since", "weight");
  }

  @Test
  void aJsonChangeMayConnectExistingLabelsOnly() {
    Schema v2 = v1.evolve(json("{'edgeTypes':{'FOLLOWS':{'from':'Person','to':'Person'}}}"));
    assertThat(v2.edgeTypes()).containsKey("FOLLOWS");
    // as a complete schema the same document is invalid: Person is not in it
    assertThatThrownBy(
            () -> v1.evolve(schema("{'edgeTypes':{'FOLLOWS':{'from':'Person','to':'Person'}}}")))
        .hasMessage("edgeTypes.FOLLOWS.from: unknown label. edgeType=FOLLOWS label=Person");
  }

  @Test
  void resubmittingOrOmittingIsANoOp() {
    assertThat(v1.evolve(v1)).isSameAs(v1);
    assertThat(v1.evolve(v1.toJson())).isSameAs(v1);
    assertThat(v1.evolve(Fixtures.designExample())).isSameAs(v1);
    assertThat(v1.evolveTo(Fixtures.designExample())).isSameAs(v1);
    assertThat(v1.evolve(Schema.EMPTY)).isSameAs(v1);
    assertThat(v1.evolve(json("{}"))).isSameAs(v1);
    // merge semantics: what the change leaves out is kept, not removed
    assertThat(v1.evolve(json("{'labels':{'Person':{'key':'STRING'}}}"))).isSameAs(v1);
    assertThat(v1.evolve(json("{'labels':{'Person':{'key':'STRING','indexes':[]}}}"))).isSameAs(v1);
  }

  @Test
  void evolveToTheFullSchemaAdds() {
    Schema desired =
        schema(
            "{'labels':{'Person':{'key':'STRING','properties':{'age':'INT64','emb':'VECTOR(64)',"
                + "'name':'STRING'},'indexes':['name','age']},'Company':{'key':'INT64'}},"
                + "'edgeTypes':{'KNOWS':{'from':'Person','to':'Person','properties':{'since':'INT64'}}}}");
    Schema v2 = v1.evolveTo(desired);
    assertThat(v2.labels().keySet()).containsExactly("Person", "Company");
    assertThat(v2.labels().get("Person").indexes()).containsExactlyInAnyOrder("age", "name");
    assertThat(v2.labels().get("Person").properties())
        .isEqualTo(desired.labels().get("Person").properties());
  }

  @Test
  void evolvingFromEmptyGivesTheProposal() {
    assertThat(Schema.EMPTY.evolve(v1)).isEqualTo(v1);
    assertThat(Schema.EMPTY.evolve(json(Fixtures.DESIGN_EXAMPLE))).isEqualTo(v1);
  }

  // ---- conflicts, one per rule

  @Test
  void refusesAChangedKeyType() {
    assertConflict(
        "{'labels':{'Person':{'key':'INT64'}}}",
        "key type cannot change, stored keys have the old type. label=Person from=STRING to=INT64");
  }

  @Test
  void refusesAChangedPropertyType() {
    assertConflict(
        "{'labels':{'Person':{'key':'STRING','properties':{'age':'STRING'}}}}",
        "property type cannot change, stored values have the old type."
            + " label=Person property=age from=INT64 to=STRING");
    assertConflict(
        "{'labels':{'Person':{'key':'STRING','properties':{'emb':'VECTOR(32)'}}}}",
        "property type cannot change, stored values have the old type."
            + " label=Person property=emb from=VECTOR(64) to=VECTOR(32)");
    assertConflict(
        "{'edgeTypes':{'KNOWS':{'from':'Person','to':'Person','properties':{'since':'TIMESTAMP'}}}}",
        "property type cannot change, stored values have the old type."
            + " edgeType=KNOWS property=since from=INT64 to=TIMESTAMP");
  }

  @Test
  void refusesChangedEdgeEndpoints() {
    assertConflict(
        "{'labels':{'Company':{'key':'STRING'}},'edgeTypes':{'KNOWS':{'from':'Company','to':'Person'}}}",
        "edge type from label cannot change, stored edges connect the old labels."
            + " edgeType=KNOWS current=Person proposed=Company");
    assertConflict(
        "{'labels':{'Company':{'key':'STRING'}},'edgeTypes':{'KNOWS':{'from':'Person','to':'Company'}}}",
        "edge type to label cannot change, stored edges connect the old labels."
            + " edgeType=KNOWS current=Person proposed=Company");
  }

  @Test
  void evolveToRefusesRemovals() {
    Schema v2 =
        v1.evolve(
            json(
                "{'labels':{'Company':{'key':'INT64'}},'edgeTypes':{'WORKS_AT':{'from':'Person','to':'Company'}}}"));
    assertRemoval(
        v2,
        Fixtures.DESIGN_EXAMPLE.replace('"', '\''),
        "label cannot be removed, schema changes are additive only. label=Company");
    assertRemoval(
        v1,
        "{'labels':{'Person':{'key':'STRING','properties':{'age':'INT64'},'indexes':['age']}},"
            + "'edgeTypes':{'KNOWS':{'from':'Person','to':'Person','properties':{'since':'INT64'}}}}",
        "property cannot be removed, schema changes are additive only. label=Person property=emb");
    assertRemoval(
        v1,
        "{'labels':{'Person':{'key':'STRING','properties':{'age':'INT64','emb':'VECTOR(64)'}}},"
            + "'edgeTypes':{'KNOWS':{'from':'Person','to':'Person','properties':{'since':'INT64'}}}}",
        "index cannot be removed, schema changes are additive only. label=Person index=age");
    assertRemoval(
        v1,
        "{'labels':{'Person':{'key':'STRING','properties':{'age':'INT64','emb':'VECTOR(64)'},"
            + "'indexes':['age']}}}",
        "edge type cannot be removed, schema changes are additive only. edgeType=KNOWS");
    assertRemoval(
        v1,
        "{'labels':{'Person':{'key':'STRING','properties':{'age':'INT64','emb':'VECTOR(64)'},"
            + "'indexes':['age']}},'edgeTypes':{'KNOWS':{'from':'Person','to':'Person'}}}",
        "property cannot be removed, schema changes are additive only."
            + " edgeType=KNOWS property=since");
  }

  @Test
  void evolveToRefusesChangesToo() {
    Schema desired =
        schema(
            Fixtures.DESIGN_EXAMPLE
                .replace("\"age\":\"INT64\"", "\"age\":\"DOUBLE\"")
                .replace('"', '\''));
    assertThatThrownBy(() -> v1.evolveTo(desired))
        .isInstanceOf(SchemaConflictException.class)
        .hasMessage(
            "property type cannot change, stored values have the old type."
                + " label=Person property=age from=INT64 to=DOUBLE");
  }

  @Test
  void aMergedSchemaMustStillBeValid() {
    assertInvalid(
        "{'labels':{'Person':{'key':'STRING','indexes':['emb']}}}",
        "labels.Person.indexes: VECTOR and BYTES properties cannot be indexed."
            + " label=Person index=emb type=VECTOR(64)");
    assertInvalid(
        "{'labels':{'Person':{'key':'STRING','indexes':['height']}}}",
        "labels.Person.indexes: index on unknown property. label=Person index=height");
    assertInvalid(
        "{'edgeTypes':{'LIKES':{'from':'Person','to':'Movie'}}}",
        "edgeTypes.LIKES.to: unknown label. edgeType=LIKES label=Movie");
    assertInvalid(
        "{'labels':{'bad-name':{'key':'STRING'}}}",
        "labels.bad-name: label name must match [A-Za-z_][A-Za-z0-9_]{0,127}. label=bad-name");
    // a bad key type is invalid input before it is a conflict
    assertInvalid(
        "{'labels':{'Person':{'key':'BOOL'}}}",
        "labels.Person.key: key type must be STRING or INT64. label=Person type=BOOL");
    assertInvalid(
        "{'labels':{'Person':{'properties':{'x':'BOOL'}}}}",
        "labels.Person.key: missing key type, must be STRING or INT64. label=Person");
  }

  @Test
  void aRefusedChangeLeavesTheSchemaAsItWas() {
    String before = v1.toJson().toString();
    assertThatThrownBy(
            () ->
                v1.evolve(
                    json(
                        "{'labels':{'Company':{'key':'INT64'},"
                            + "'Person':{'key':'STRING','properties':{'age':'STRING'}}}}")))
        .isInstanceOf(SchemaConflictException.class);
    assertThat(v1.toJson().toString()).isEqualTo(before);
  }

  // ---- additive changes keep old data valid

  @Test
  void batchesValidUnderV1StayValidUnderEvolvedVersions() {
    Schema base = Fixtures.allTypes();
    Schema v2 =
        base.evolve(
            json(
                "{'labels':{'City':{'key':'STRING','properties':{'pop':'INT64'},'indexes':['pop']},"
                    + "'Person':{'key':'STRING','properties':{'nick':'STRING','vec2':'VECTOR(2)'},"
                    + "'indexes':['name','born']}},"
                    + "'edgeTypes':{'LIVES_IN':{'from':'Person','to':'City'},"
                    + "'KNOWS':{'from':'Person','to':'Person','properties':{'weight':'DOUBLE'}}}}"));
    Schema v3 =
        v2.evolve(
            json("{'labels':{'Company':{'key':'INT64','properties':{'founded':'TIMESTAMP'}}}}"));
    assertThat(v3).isNotEqualTo(base);

    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      WriteBatch batch = randomBatch(random);
      base.validate(batch);
      v2.validate(batch);
      v3.validate(batch);
      // and their JSON form reads back the same under the newer schema
      for (Node node : batch.nodes()) {
        Node back =
            v3.nodeFromJson(
                node.label(), base.toJson(node).get("key"), base.toJson(node).get("props"));
        assertThat(back.id()).isEqualTo(node.id());
        assertThat(Props.equal(back.props(), node.props())).isTrue();
      }
      for (Edge edge : batch.edges()) {
        var json = base.toJson(edge);
        Edge back =
            v3.edgeFromJson(
                "edge", edge.type(), json.get("from"), json.get("to"), json.get("props"));
        assertThat(back.id()).isEqualTo(edge.id());
        assertThat(Props.equal(back.props(), edge.props())).isTrue();
      }
    }
  }

  /** A batch valid under {@link Fixtures#allTypes()}, with random subsets of properties. */
  static WriteBatch randomBatch(Random random) {
    WriteBatch.Builder b = WriteBatch.builder();
    int nodes = 1 + random.nextInt(5);
    for (int i = 0; i < nodes; i++) {
      Map<String, Object> props = new HashMap<>();
      maybe(random, props, "age", random.nextLong());
      maybe(random, props, "emb", new float[] {random.nextFloat(), -1f, 0f, random.nextFloat()});
      maybe(random, props, "name", "n" + random.nextInt(100));
      maybe(random, props, "score", random.nextGaussian());
      maybe(random, props, "active", random.nextBoolean());
      maybe(
          random,
          props,
          "born",
          Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000)));
      maybe(random, props, "photo", new byte[random.nextInt(4)]);
      b.node(new Node(NodeKey.of("Person", "p" + random.nextInt(50)), props));
      if (random.nextBoolean()) {
        b.node(new Node(NodeKey.of("Company", (long) random.nextInt(10)), Map.of("name", "c")));
      }
    }
    int edges = random.nextInt(4);
    for (int i = 0; i < edges; i++) {
      NodeKey a = NodeKey.of("Person", "p" + random.nextInt(50));
      if (random.nextBoolean()) {
        Map<String, Object> props = new HashMap<>();
        maybe(random, props, "since", (long) random.nextInt(3000));
        b.edge(
            new Edge(
                new EdgeKey("KNOWS", a, NodeKey.of("Person", "p" + random.nextInt(50))), props));
      } else {
        b.edge(
            new Edge(
                new EdgeKey("WORKS_AT", a, NodeKey.of("Company", (long) random.nextInt(10))),
                Map.of("role", "dev")));
      }
    }
    if (random.nextBoolean()) {
      b.deleteNode(NodeKey.of("Company", 3L));
      b.deleteEdge(new EdgeKey("KNOWS", NodeKey.of("Person", "a"), NodeKey.of("Person", "b")));
    }
    return b.build();
  }

  private static void maybe(Random random, Map<String, Object> props, String name, Object value) {
    int r = random.nextInt(3);
    if (r == 0) {
      props.put(name, value);
    } else if (r == 1) {
      props.put(name, null);
    }
  }

  private void assertConflict(String change, String message) {
    assertThatThrownBy(() -> v1.evolve(json(change)))
        .isInstanceOf(SchemaConflictException.class)
        .hasMessage(message)
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.CONFLICT);
  }

  private static void assertRemoval(Schema current, String desired, String message) {
    assertThatThrownBy(() -> current.evolveTo(schema(desired)))
        .isInstanceOf(SchemaConflictException.class)
        .hasMessage(message);
  }

  private void assertInvalid(String change, String message) {
    assertThatThrownBy(() -> v1.evolve(json(change)))
        .isInstanceOf(NamiException.class)
        .isNotInstanceOf(SchemaConflictException.class)
        .hasMessage(message)
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.INVALID_INPUT);
  }
}
