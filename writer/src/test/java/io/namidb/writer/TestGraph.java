package io.namidb.writer;

/** The schema the ITs work with, and small JSON builders for request bodies. */
final class TestGraph {
  private TestGraph() {}

  static final String SCHEMA =
      """
      {"labels":{
        "Person":{"key":"STRING","properties":{"name":"STRING","age":"INT64","score":"DOUBLE",
          "active":"BOOL","born":"TIMESTAMP","avatar":"BYTES","emb":"VECTOR(3)"},"indexes":["age"]},
        "City":{"key":"INT64","properties":{"name":"STRING"}},
        "Doc":{"key":"STRING","properties":{"emb":"VECTOR(3)","grp":"INT64","title":"STRING"}}},
       "edgeTypes":{
        "KNOWS":{"from":"Person","to":"Person","properties":{"since":"INT64"}},
        "LIVES_IN":{"from":"Person","to":"City"}}}
      """;

  /** {@code {"label":"Person","key":key,"props":props}}. */
  static String person(String key, String props) {
    return "{\"label\":\"Person\",\"key\":\"" + key + "\",\"props\":" + props + "}";
  }

  static String ref(String label, String key) {
    return "{\"label\":\"" + label + "\",\"key\":\"" + key + "\"}";
  }

  static String knows(String from, String to, String props) {
    return "{\"type\":\"KNOWS\",\"from\":"
        + ref("Person", from)
        + ",\"to\":"
        + ref("Person", to)
        + ",\"props\":"
        + props
        + "}";
  }

  static String nodes(String... nodes) {
    return "{\"nodes\":[" + String.join(",", nodes) + "]}";
  }
}
