package io.namidb.writer;

import static io.namidb.writer.TestGraph.knows;
import static io.namidb.writer.TestGraph.person;
import static io.namidb.writer.TestGraph.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.writer.Http.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through HTTP: each request is refused with its status and error code, and afterwards
 * the namespace holds exactly what it held before: the same objects (keys and sizes, listed from
 * the store), the same WAL segment and manifest version, the same schema and the same answers to
 * reads of the seeded data and of the node the bad requests try to create.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputContract {
  static final int MAX_BODY = 64 * 1024;

  WriterProcess writer;
  Http http;

  abstract String namespaceUri();

  abstract Map<String, String> environment();

  @BeforeAll
  void startWriter() {
    writer =
        WriterProcess.serve(
            getClass().getSimpleName(),
            namespaceUri(),
            environment(),
            List.of("-Dnami.http.max-body-size=" + MAX_BODY));
    writer.awaitReady();
    http = writer.http();
    assertThat(http.put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
    Reply seeded =
        http.post(
            "/v1/write",
            "{\"nodes\":["
                + person("seed-a", "{\"age\":1,\"emb\":[1,0,0]}")
                + ","
                + person("seed-b", "{\"name\":\"B\"}")
                + ",{\"label\":\"City\",\"key\":1,\"props\":{\"name\":\"One\"}}"
                + ",{\"label\":\"Doc\",\"key\":\"seed-doc\",\"props\":{\"emb\":[0,1,0]}}"
                + "],\"edges\":["
                + knows("seed-a", "seed-b", "{\"since\":1999}")
                + "]}");
    assertThat(seeded.status()).as("%s", seeded).isEqualTo(200);
    assertThat(snapshot().get("objects").toString())
        .as("the snapshot sees the namespace's objects")
        .contains("manifest/")
        .contains("wal/");
  }

  @AfterAll
  void stopWriter() {
    if (writer != null) {
      writer.stopCleanly();
    }
  }

  /** One bad request and how it must be refused. */
  record Case(
      String name, String method, String path, String body, int status, String code, String msg) {
    Case chunked() {
      return new Case(name, "POST-CHUNKED", path, body, status, code, msg);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Case write(String name, String body, String messageStart) {
    return new Case(name, "POST", "/v1/write", body, 400, "invalid_input", messageStart);
  }

  static Case post(String name, String path, String body, String messageStart) {
    return new Case(name, "POST", path, body, 400, "invalid_input", messageStart);
  }

  static Stream<Arguments> cases() {
    String badX = person("bad-x", "{}");
    String big =
        "{\"nodes\":[" + person("bad-x", "{\"name\":\"" + "x".repeat(MAX_BODY) + "\"}") + "]}";
    String from = "\"from\":" + ref("Person", "seed-a");
    String search = "{\"label\":\"Doc\",\"property\":\"emb\",\"vector\":[1,0,0]";
    List<Case> cases =
        new ArrayList<>(
            List.of(
                // malformed JSON
                write("malformed write", "{\"nodes\":[", "malformed JSON"),
                post("malformed traverse", "/v1/traverse", "{from:", "malformed JSON"),
                post("malformed search", "/v1/vectors/search", "{\"label\"", "malformed JSON"),
                new Case(
                    "malformed schema",
                    "PUT",
                    "/v1/schema",
                    "{\"labels\":",
                    400,
                    "invalid_input",
                    "malformed JSON"),
                write("empty body", "", "request body is empty"),
                write("trailing content", "{\"nodes\":[]} {}", "malformed JSON"),
                write("duplicate field", "{\"nodes\":[],\"nodes\":[]}", "malformed JSON"),
                // wrong JSON types
                write("body not an object", "[1]", "write body must be a JSON object"),
                write("nodes not an array", "{\"nodes\":{}}", "nodes: expected an array"),
                write(
                    "label not a string",
                    "{\"nodes\":[{\"label\":5,\"key\":\"bad-x\"}]}",
                    "nodes[0].label: expected a string"),
                write(
                    "string key given as number",
                    "{\"nodes\":[{\"label\":\"Person\",\"key\":5}]}",
                    "nodes[0].key: expected STRING"),
                write(
                    "props not an object",
                    "{\"nodes\":[{\"label\":\"Person\",\"key\":\"bad-x\",\"props\":[]}]}",
                    "nodes[0].props: expected a JSON object"),
                post(
                    "step direction not a string",
                    "/v1/traverse",
                    "{" + from + ",\"steps\":[{\"direction\":1}]}",
                    "steps[0].direction: expected a string"),
                post(
                    "distinct not a boolean",
                    "/v1/traverse",
                    "{" + from + ",\"steps\":[{}],\"distinct\":\"yes\"}",
                    "distinct: expected a boolean"),
                post(
                    "k not a number",
                    "/v1/vectors/search",
                    search + ",\"k\":\"ten\"}",
                    "k: expected"),
                new Case(
                    "schema labels not an object",
                    "PUT",
                    "/v1/schema",
                    "{\"labels\":[]}",
                    400,
                    "invalid_input",
                    "labels: expected a JSON object"),
                // unknown fields
                write("unknown batch field", "{\"nodes\":[],\"upserts\":[]}", "unknown field"),
                write(
                    "unknown node field",
                    "{\"nodes\":[{\"label\":\"Person\",\"key\":\"bad-x\",\"properties\":{}}]}",
                    "nodes[0]: unknown field. field=properties"),
                post(
                    "unknown traverse field",
                    "/v1/traverse",
                    "{" + from + ",\"steps\":[{}],\"depth\":2}",
                    "unknown field. field=depth"),
                post(
                    "unknown step field",
                    "/v1/traverse",
                    "{" + from + ",\"steps\":[{\"kind\":\"KNOWS\"}]}",
                    "steps[0]: unknown field. field=kind"),
                post(
                    "unknown search field",
                    "/v1/vectors/search",
                    search + ",\"topk\":3}",
                    "unknown field. field=topk"),
                new Case(
                    "unknown schema field",
                    "PUT",
                    "/v1/schema",
                    "{\"labels\":{},\"views\":{}}",
                    400,
                    "invalid_input",
                    "unknown field. field=views"),
                // schema violations
                write(
                    "unknown label",
                    "{\"nodes\":[{\"label\":\"Planet\",\"key\":\"bad-x\"}]}",
                    "nodes[0].label: unknown label"),
                write(
                    "unknown label after a valid node",
                    "{\"nodes\":[" + badX + ",{\"label\":\"Planet\",\"key\":\"p\"}]}",
                    "nodes[1].label: unknown label"),
                write(
                    "unknown edge type",
                    "{\"nodes\":["
                        + badX
                        + "],\"edges\":[{\"type\":\"LIKES\",\"from\":"
                        + ref("Person", "bad-x")
                        + ",\"to\":"
                        + ref("Person", "seed-a")
                        + "}]}",
                    "edges[0].type: unknown edge type"),
                write(
                    "unknown property",
                    "{\"nodes\":[" + person("bad-x", "{\"height\":3}") + "]}",
                    "nodes[0].props.height: unknown property"),
                write(
                    "wrong property type",
                    "{\"nodes\":[" + person("bad-x", "{\"age\":\"old\"}") + "]}",
                    "nodes[0].props.age: expected INT64"),
                write(
                    "wrong property type after a valid node",
                    "{\"nodes\":[" + badX + "," + person("bad-y", "{\"active\":1}") + "]}",
                    "nodes[1].props.active: expected BOOL"),
                write(
                    "int64 out of range",
                    "{\"nodes\":[" + person("bad-x", "{\"age\":123456789012345678901234}") + "]}",
                    "nodes[0].props.age"),
                write(
                    "bad timestamp",
                    "{\"nodes\":[" + person("bad-x", "{\"born\":\"yesterday\"}") + "]}",
                    "nodes[0].props.born"),
                write(
                    "bytes not base64",
                    "{\"nodes\":[" + person("bad-x", "{\"avatar\":\"!!\"}") + "]}",
                    "nodes[0].props.avatar"),
                write(
                    "wrong vector dimension",
                    "{\"nodes\":[" + person("bad-x", "{\"emb\":[1,2]}") + "]}",
                    "nodes[0].props.emb"),
                write(
                    "vector element not a number",
                    "{\"nodes\":[" + person("bad-x", "{\"emb\":[1,\"a\",3]}") + "]}",
                    "nodes[0].props.emb"),
                post(
                    "search vector of the wrong dimension",
                    "/v1/vectors/search",
                    "{\"label\":\"Doc\",\"property\":\"emb\",\"vector\":[1,0]}",
                    "vector"),
                post(
                    "search on a property that is not a vector",
                    "/v1/vectors/search",
                    "{\"label\":\"Doc\",\"property\":\"grp\",\"vector\":[1,0,0]}",
                    "property: not a VECTOR property"),
                write(
                    "missing edge endpoint",
                    "{\"nodes\":["
                        + badX
                        + "],\"edges\":["
                        + knows("bad-x", "bad-missing", "{}")
                        + "]}",
                    "edges[0].to: node does not exist"),
                write(
                    "edge endpoint of the wrong label",
                    "{\"nodes\":["
                        + badX
                        + "],\"edges\":[{\"type\":\"LIVES_IN\",\"from\":"
                        + ref("Person", "bad-x")
                        + ",\"to\":"
                        + ref("Person", "seed-a")
                        + "}]}",
                    "edges[0].to"),
                write(
                    "delete of an unknown label",
                    "{\"deleteNodes\":[{\"label\":\"Planet\",\"key\":\"x\"}]}",
                    "deleteNodes[0].label: unknown label"),
                write("empty batch", "{}", "batch is empty"),
                new Case(
                    "int64 key in the path not a number",
                    "GET",
                    "/v1/nodes/City/one",
                    null,
                    400,
                    "invalid_input",
                    "key: expected an INT64 key"),
                new Case(
                    "edges limit not a number",
                    "GET",
                    "/v1/nodes/Person/seed-a/edges?limit=many",
                    null,
                    400,
                    "invalid_input",
                    "limit: expected an integer"),
                new Case(
                    "invalid schema type",
                    "PUT",
                    "/v1/schema",
                    "{\"labels\":{\"X\":{\"key\":\"STRING\",\"properties\":{\"p\":\"INT65\"}}}}",
                    400,
                    "invalid_input",
                    "labels.X.properties.p"),
                new Case(
                    "schema change that is not additive",
                    "PUT",
                    "/v1/schema",
                    "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"age\":\"STRING\"}}}}",
                    409,
                    "conflict",
                    "property type cannot change"),
                // size
                new Case(
                    "oversized body",
                    "POST",
                    "/v1/write",
                    big,
                    413,
                    "too_large",
                    "request body too large")));
    cases.add(
        new Case("oversized chunked body", "POST", "/v1/write", big, 413, null, null).chunked());
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedAndChangesNothing(Case c) {
    Map<String, Object> before = snapshot();
    Reply r =
        switch (c.method()) {
          case "GET" -> http.get(c.path());
          case "POST-CHUNKED" -> http.postChunked(c.path(), c.body());
          default -> http.send(c.method(), c.path(), c.body());
        };
    assertThat(r.status()).as("%s: %s", c, r).isEqualTo(c.status());
    if (c.code() != null) {
      assertThat(r.error()).as("%s: %s", c, r).isEqualTo(c.code());
    }
    if (c.msg() != null) {
      assertThat(r.message()).as("%s: %s", c, r).contains(c.msg());
    }
    assertThat(snapshot()).as("namespace after %s", c).isEqualTo(before);
  }

  /** What the namespace holds, as far as objects, writer position and reads can tell. */
  Map<String, Object> snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    List<String> objects = new ArrayList<>();
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(namespaceUri()))) {
      for (ObjectInfo info : store.list("")) {
        objects.add(info.key() + " " + info.size());
      }
    }
    objects.sort(null);
    s.put("objects", objects);
    Reply status = http.get("/v1/status");
    s.put("walSegment", status.json().get("walSegment").asLong());
    s.put("manifestVersion", status.json().get("manifestVersion").asLong());
    s.put("schema", http.get("/v1/schema").body());
    for (String path :
        List.of(
            "/v1/nodes/Person/seed-a",
            "/v1/nodes/Person/seed-b",
            "/v1/nodes/City/1",
            "/v1/nodes/Doc/seed-doc",
            "/v1/nodes/Person/seed-a/edges",
            "/v1/nodes/Person/bad-x",
            "/v1/nodes/Person/bad-y",
            "/v1/nodes/Person/bad-missing")) {
      Reply r = http.get(path);
      s.put(path, r.status() + " " + r.body());
    }
    return s;
  }
}
