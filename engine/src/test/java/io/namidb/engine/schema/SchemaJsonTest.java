package io.namidb.engine.schema;

import static io.namidb.engine.schema.Fixtures.json;
import static io.namidb.engine.schema.Fixtures.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.namidb.engine.NamiException;
import io.namidb.engine.manifest.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaJsonTest {
  private static final String ALLOWED_TYPES =
      "allowed=BOOL|INT64|DOUBLE|STRING|TIMESTAMP|BYTES|VECTOR(dim)";
  private static final String RULE = "[A-Za-z_][A-Za-z0-9_]{0,127}";

  @Test
  void designExampleRoundTrips() throws Exception {
    JsonNode example = Fixtures.MAPPER.readTree(Fixtures.DESIGN_EXAMPLE);
    Schema schema = Schema.fromJson(example);

    LabelDef person = schema.labels().get("Person");
    assertThat(person.keyType()).isEqualTo(PropertyType.STRING);
    assertThat(person.properties())
        .containsExactly(
            Map.entry("age", PropertyType.INT64), Map.entry("emb", PropertyType.vector(64)));
    assertThat(person.indexes()).containsExactly("age");
    EdgeTypeDef knows = schema.edgeTypes().get("KNOWS");
    assertThat(knows)
        .isEqualTo(new EdgeTypeDef("Person", "Person", Map.of("since", PropertyType.INT64)));

    assertThat(schema.toJson()).isEqualTo(example);
    assertThat(Fixtures.MAPPER.writeValueAsString(schema.toJson()))
        .isEqualTo(Fixtures.DESIGN_EXAMPLE);
    assertThat(Schema.parse(schema.toJson().toString())).isEqualTo(schema);
  }

  @Test
  void everyTypeRoundTrips() {
    Schema schema = Fixtures.allTypes();
    assertThat(Schema.fromJson(schema.toJson())).isEqualTo(schema);
    assertThat(schema.labels().keySet()).containsExactly("Person", "Company");
    assertThat(schema.labels().get("Person").properties().keySet())
        .containsExactly("age", "emb", "name", "score", "active", "born", "photo");
  }

  @Test
  void outputWritesEveryField() {
    Schema schema =
        schema("{'labels':{'Tag':{'key':'INT64'}},'edgeTypes':{'T':{'from':'Tag','to':'Tag'}}}");
    assertThat(schema.toJson())
        .isEqualTo(
            json(
                "{'labels':{'Tag':{'key':'INT64','properties':{},'indexes':[]}},"
                    + "'edgeTypes':{'T':{'from':'Tag','to':'Tag','properties':{}}}}"));
  }

  @Test
  void emptyForms() {
    assertThat(Schema.fromJson(json("{}"))).isEqualTo(Schema.EMPTY);
    assertThat(Schema.fromJson(null)).isEqualTo(Schema.EMPTY);
    assertThat(Schema.fromJson(Manifest.empty().schema())).isEqualTo(Schema.EMPTY);
    assertThat(Schema.fromJson(json("{'labels':null,'edgeTypes':null}"))).isEqualTo(Schema.EMPTY);
    assertThat(
            schema("{'labels':{'Tag':{'key':'STRING','properties':null,'indexes':null}}}")
                .labels()
                .get("Tag"))
        .isEqualTo(LabelDef.of(PropertyType.STRING));
    assertThat(Schema.EMPTY.toJson()).isEqualTo(json("{'labels':{},'edgeTypes':{}}"));
  }

  @Test
  void programmaticConstructionEqualsParsed() {
    Schema built =
        Schema.EMPTY
            .withLabel(
                "Person",
                LabelDef.of(PropertyType.STRING)
                    .withProperty("age", PropertyType.INT64)
                    .withProperty("emb", PropertyType.vector(64))
                    .withIndex("age"))
            .withEdgeType(
                "KNOWS",
                EdgeTypeDef.of("Person", "Person").withProperty("since", PropertyType.INT64));
    assertThat(built).isEqualTo(Fixtures.designExample());
  }

  @Test
  void namesMayBe128Characters() {
    String name = "L" + "x".repeat(127);
    assertThat(schema("{'labels':{'" + name + "':{'key':'STRING'}}}").labels()).containsKey(name);
    assertThat(schema("{'labels':{'_a1':{'key':'STRING','properties':{'_':'BOOL'}}}}").labels())
        .containsKey("_a1");
  }

  // ---- refusals, one per rule

  @Test
  void refusesUnknownTypeNames() {
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'age':'INT'}}}}",
        "labels.Person.properties.age: unknown property type. type=INT " + ALLOWED_TYPES);
    assertRefused(
        "{'labels':{'Person':{'key':'UUID'}}}",
        "labels.Person.key: unknown property type. type=UUID " + ALLOWED_TYPES);
    assertRefused(
        "{'labels':{'P':{'key':'STRING'}},'edgeTypes':{'E':{'from':'P','to':'P','properties':{'w':'float'}}}}",
        "edgeTypes.E.properties.w: unknown property type. type=float " + ALLOWED_TYPES);
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'age':5}}}}",
        "labels.Person.properties.age: expected a type name string, got JSON number");
  }

  @Test
  void refusesBadVectorDimensions() {
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'emb':'VECTOR(0)'}}}}",
        "labels.Person.properties.emb: bad vector dimension, must be an integer in 1..65536."
            + " type=VECTOR(0)");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'emb':'VECTOR(65537)'}}}}",
        "labels.Person.properties.emb: bad vector dimension, must be an integer in 1..65536."
            + " type=VECTOR(65537)");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'emb':'VECTOR'}}}}",
        "labels.Person.properties.emb: vector type needs a dimension, e.g. VECTOR(64). type=VECTOR");
  }

  @Test
  void refusesBadLabelNames() {
    assertRefused(
        "{'labels':{'my-label':{'key':'STRING'}}}",
        "labels.my-label: label name must match " + RULE + ". label=my-label");
    assertRefused(
        "{'labels':{'1st':{'key':'STRING'}}}",
        "labels.1st: label name must match " + RULE + ". label=1st");
    assertRefused(
        "{'labels':{'':{'key':'STRING'}}}", "labels.: label name must match " + RULE + ". label=");
    String tooLong = "L".repeat(129);
    assertRefused(
        "{'labels':{'" + tooLong + "':{'key':'STRING'}}}",
        "labels." + tooLong + ": label name must match " + RULE + ". label=" + tooLong);
  }

  @Test
  void refusesBadEdgeTypeNames() {
    assertRefused(
        "{'labels':{'P':{'key':'STRING'}},'edgeTypes':{'knows!':{'from':'P','to':'P'}}}",
        "edgeTypes.knows!: edge type name must match " + RULE + ". edgeType=knows!");
  }

  @Test
  void refusesBadPropertyNames() {
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'first name':'STRING'}}}}",
        "labels.Person.properties.first name: property name must match "
            + RULE
            + ". label=Person property=first name");
    assertRefused(
        "{'labels':{'P':{'key':'STRING'}},'edgeTypes':{'E':{'from':'P','to':'P','properties':{'\u00e9':'BOOL'}}}}",
        "edgeTypes.E.properties.\u00e9: property name must match "
            + RULE
            + ". edgeType=E property=\u00e9");
  }

  @Test
  void refusesIndexesOnMissingProperties() {
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'age':'INT64'},'indexes':['height']}}}",
        "labels.Person.indexes: index on unknown property. label=Person index=height");
  }

  @Test
  void refusesIndexesOnVectorAndBytes() {
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'emb':'VECTOR(64)'},'indexes':['emb']}}}",
        "labels.Person.indexes: VECTOR and BYTES properties cannot be indexed."
            + " label=Person index=emb type=VECTOR(64)");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'photo':'BYTES'},'indexes':['photo']}}}",
        "labels.Person.indexes: VECTOR and BYTES properties cannot be indexed."
            + " label=Person index=photo type=BYTES");
  }

  @Test
  void refusesBadIndexLists() {
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':{'age':'INT64'},'indexes':['age','age']}}}",
        "labels.Person.indexes: duplicate index. label=Person index=age");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','indexes':[1]}}}",
        "labels.Person.indexes[0]: expected a property name string, got JSON number");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','indexes':'age'}}}",
        "labels.Person.indexes: expected an array of property names, got JSON string");
  }

  @Test
  void refusesEdgeTypesNamingUnknownLabels() {
    assertRefused(
        "{'labels':{'Person':{'key':'STRING'}},'edgeTypes':{'WORKS_AT':{'from':'Person','to':'Company'}}}",
        "edgeTypes.WORKS_AT.to: unknown label. edgeType=WORKS_AT label=Company");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING'}},'edgeTypes':{'OWNS':{'from':'Company','to':'Person'}}}",
        "edgeTypes.OWNS.from: unknown label. edgeType=OWNS label=Company");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING'}},'edgeTypes':{'KNOWS':{'to':'Person'}}}",
        "edgeTypes.KNOWS.from: missing label. edgeType=KNOWS");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING'}},'edgeTypes':{'KNOWS':{'from':'Person','to':['Person']}}}",
        "edgeTypes.KNOWS.to: expected a label name string, got JSON array");
  }

  @Test
  void refusesUnknownFields() {
    assertRefused("{'label':{}}", "unknown field. field=label allowed=labels,edgeTypes,mode");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','index':['age']}}}",
        "labels.Person: unknown field. field=index allowed=key,properties,indexes");
    assertRefused(
        "{'labels':{'P':{'key':'STRING'}},'edgeTypes':{'E':{'from':'P','to':'P','indexes':[]}}}",
        "edgeTypes.E: unknown field. field=indexes allowed=from,to,properties");
  }

  @Test
  void refusesMissingOrBadKeyTypes() {
    assertRefused(
        "{'labels':{'Person':{'properties':{'age':'INT64'}}}}",
        "labels.Person.key: missing key type, must be STRING or INT64. label=Person");
    assertRefused(
        "{'labels':{'Person':{'key':null}}}",
        "labels.Person.key: missing key type, must be STRING or INT64. label=Person");
    assertRefused(
        "{'labels':{'Person':{'key':'BOOL'}}}",
        "labels.Person.key: key type must be STRING or INT64. label=Person type=BOOL");
    assertRefused(
        "{'labels':{'Person':{'key':'VECTOR(3)'}}}",
        "labels.Person.key: key type must be STRING or INT64. label=Person type=VECTOR(3)");
  }

  @Test
  void refusesWrongShapes() {
    assertRefused("[]", "schema: expected a JSON object, got JSON array");
    assertRefused("{'labels':[]}", "labels: expected a JSON object, got JSON array");
    assertRefused(
        "{'labels':{'Person':'STRING'}}", "labels.Person: expected a JSON object, got JSON string");
    assertRefused("{'edgeTypes':{'E':1}}", "edgeTypes.E: expected a JSON object, got JSON number");
    assertRefused(
        "{'labels':{'Person':{'key':'STRING','properties':['age']}}}",
        "labels.Person.properties: expected a JSON object, got JSON array");
  }

  @Test
  void parseRefusesDuplicateKeysAndBadJson() {
    assertThatThrownBy(
            () ->
                Schema.parse("{\"labels\":{\"P\":{\"key\":\"STRING\"},\"P\":{\"key\":\"INT64\"}}}"))
        .isInstanceOf(NamiException.class)
        .hasMessageStartingWith("schema is not valid JSON: Duplicate field 'P'");
    assertThatThrownBy(() -> Schema.parse("{\"labels\":"))
        .isInstanceOf(NamiException.class)
        .hasMessageStartingWith("schema is not valid JSON: ");
  }

  @Test
  void constructorAppliesTheSameRules() {
    assertThatThrownBy(
            () ->
                new Schema(
                    Map.of("Person", LabelDef.of(PropertyType.STRING)),
                    Map.of("WORKS_AT", EdgeTypeDef.of("Person", "Company"))))
        .hasMessage("edgeTypes.WORKS_AT.to: unknown label. edgeType=WORKS_AT label=Company");
    assertThatThrownBy(
            () ->
                new Schema(
                    Map.of("Person", new LabelDef(PropertyType.STRING, Map.of(), List.of("age"))),
                    Map.of()))
        .hasMessage("labels.Person.indexes: index on unknown property. label=Person index=age");
  }

  @Test
  void definitionsAreImmutable() {
    Schema schema = Fixtures.allTypes();
    assertThatThrownBy(() -> schema.labels().put("X", LabelDef.of(PropertyType.STRING)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> schema.labels().get("Person").properties().put("x", PropertyType.BOOL))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> schema.labels().get("Person").indexes().add("name"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  static void assertRefused(String singleQuoted, String message) {
    assertThatThrownBy(() -> schema(singleQuoted))
        .isInstanceOf(NamiException.class)
        .hasMessage(message)
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.INVALID_INPUT);
  }
}
