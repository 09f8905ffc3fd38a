package io.namidb.engine.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** Schemas and JSON helpers shared by the schema tests. */
final class Fixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The example of DESIGN §8, verbatim. */
  static final String DESIGN_EXAMPLE =
      "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"age\":\"INT64\","
          + "\"emb\":\"VECTOR(64)\"},\"indexes\":[\"age\"]}},"
          + "\"edgeTypes\":{\"KNOWS\":{\"from\":\"Person\",\"to\":\"Person\","
          + "\"properties\":{\"since\":\"INT64\"}}}}";

  /** Every property type, both key types, two edge types. */
  static final String ALL_TYPES =
      """
      {'labels':{
        'Person':{'key':'STRING','properties':{'age':'INT64','emb':'VECTOR(4)','name':'STRING',
          'score':'DOUBLE','active':'BOOL','born':'TIMESTAMP','photo':'BYTES'},'indexes':['age']},
        'Company':{'key':'INT64','properties':{'name':'STRING'}}},
       'edgeTypes':{
        'KNOWS':{'from':'Person','to':'Person','properties':{'since':'INT64'}},
        'WORKS_AT':{'from':'Person','to':'Company','properties':{'role':'STRING'}}}}
      """;

  private Fixtures() {}

  /** JSON written with single quotes for readability. */
  static JsonNode json(String singleQuoted) {
    try {
      return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Schema schema(String singleQuoted) {
    return Schema.fromJson(json(singleQuoted));
  }

  static Schema allTypes() {
    return schema(ALL_TYPES);
  }

  static Schema designExample() {
    return Schema.parse(DESIGN_EXAMPLE);
  }
}
