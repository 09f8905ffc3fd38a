package io.namidb.engine.schema;

import static io.namidb.engine.schema.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The open schema mode, edge types between any labels, and the reserved property name key. */
class OpenSchemaTest {
  private final Schema v1 = Fixtures.designExample();

  @Test
  void modeGoesFromStrictToOpenAndIsKept() {
    assertThat(v1.mode()).isEqualTo(Schema.Mode.STRICT);
    assertThat(v1.toJson().has("mode")).isFalse();
    Schema open = v1.evolve(json("{'mode':'open'}"));
    assertThat(open.isOpen()).isTrue();
    assertThat(open.labels()).isEqualTo(v1.labels());
    assertThat(open.toJson().get("mode").asText()).isEqualTo("open");
    assertThat(Schema.fromJson(open.toJson())).isEqualTo(open);
    assertThat(open.evolve(json("{'mode':'open'}"))).isSameAs(open);
  }

  @Test
  void modeNeverGoesBackToStrict() {
    Schema open = v1.evolve(json("{'mode':'open'}"));
    assertThatThrownBy(() -> open.evolve(json("{'mode':'strict'}")))
        .isInstanceOf(SchemaConflictException.class)
        .hasMessageContaining("schema mode cannot go back from open to strict");
  }

  @Test
  void anUnknownModeIsRefused() {
    assertThatThrownBy(() -> v1.evolve(json("{'mode':'loose'}")))
        .isInstanceOf(NamiException.class)
        .hasMessageContaining("mode: expected \"strict\" or \"open\"");
  }

  @Test
  void aPropertyNamedKeyIsRefusedOnANewLabelAndOnAnExistingOne() {
    assertThatThrownBy(
            () ->
                v1.evolve(
                    json("{'labels':{'Car':{'key':'STRING','properties':{'key':'STRING'}}}}")))
        .hasMessageContaining("labels.Car.properties.key: a property cannot be named key");
    assertThatThrownBy(
            () ->
                v1.evolve(
                    json("{'labels':{'Person':{'key':'STRING','properties':{'key':'INT64'}}}}")))
        .hasMessageContaining("labels.Person.properties.key");
  }

  @Test
  void anEdgeTypeOfAnyLabelsAcceptsEveryLabel() {
    Schema s =
        v1.evolve(
            json(
                "{'labels':{'City':{'key':'INT64'}},"
                    + "'edgeTypes':{'LINK':{'from':'*','to':'*','properties':{'w':'INT64'}}}}"));
    WriteBatch ok =
        WriteBatch.builder()
            .edge(
                new Edge(
                    new EdgeKey("LINK", NodeKey.of("Person", "alice"), NodeKey.of("City", 1)),
                    Map.of("w", 1L)))
            .edge(
                new Edge(
                    new EdgeKey("LINK", NodeKey.of("City", 1), NodeKey.of("Person", "bob")),
                    Map.of()))
            .build();
    s.validate(ok);
    // the node's own label still types its key
    WriteBatch wrongKey =
        WriteBatch.builder()
            .edge(
                new Edge(
                    new EdgeKey("LINK", NodeKey.of("City", "one"), NodeKey.of("Person", "bob")),
                    Map.of()))
            .build();
    assertThatThrownBy(() -> s.validate(wrongKey)).hasMessageContaining("edges[0].from.key");
    WriteBatch unknownLabel =
        WriteBatch.builder()
            .edge(
                new Edge(
                    new EdgeKey("LINK", NodeKey.of("Town", 1), NodeKey.of("Person", "bob")),
                    Map.of()))
            .build();
    assertThatThrownBy(() -> s.validate(unknownLabel))
        .hasMessageContaining("edges[0].from.label: unknown label");
    assertThat(Schema.fromJson(s.toJson())).isEqualTo(s);
  }
}
