package io.namidb.writer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.namidb.engine.graph.NamespaceReader;
import io.namidb.engine.graph.Pins;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.writer.WriterProcess.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code nami} command line as a user runs it (the packaged jar, as {@code bin/nami} does):
 * usage errors exit 2 naming the flag, {@code status} reads without writing or binding a port,
 * {@code serve} takes its settings from flags or the environment.
 */
class CliIT {
  @TempDir Path dir;

  private String uri(String ns) {
    return "file://" + dir.toAbsolutePath() + "?ns=" + ns;
  }

  /** {@code nami load --uri URI --schema SCHEMA NODES EDGES}. */
  private static Result load(String uri, Path schema, Path nodes, Path edges) {
    return WriterProcess.run(
        Map.of(),
        "load",
        "--uri",
        uri,
        "--schema",
        schema.toString(),
        nodes.toString(),
        edges.toString());
  }

  @Test
  void loadIsAllOrNothingAndNamesTheBadLine() throws Exception {
    Path schema = Files.writeString(dir.resolve("schema.json"), TestGraph.SCHEMA);
    Path nodes =
        Files.write(
            dir.resolve("nodes.jsonl"),
            List.of(
                TestGraph.person("p0", "{\"age\":0}"),
                TestGraph.person("p1", "{\"age\":1}"),
                TestGraph.person("p2", "{\"age\":2}")));
    Path edges =
        Files.write(
            dir.resolve("edges.jsonl"),
            List.of(
                TestGraph.knows("p1", "p0", "{\"since\":1}"),
                "",
                TestGraph.knows("p2", "ghost", "{\"since\":2}")));
    String uri = uri("load");
    Result bad = load(uri, schema, nodes, edges);
    assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
    assertThat(bad.stderr())
        .contains("bad item at line 3 of " + edges)
        .contains("nothing was loaded")
        .contains("edges[1].to: node does not exist");
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
        NamespaceReader reader = NamespaceReader.open(store, new Pins(), 1L << 20)) {
      assertThat(reader.view().scan("Person")).isEmpty(); // the schema change stays, no data
    }

    Files.write(
        edges, List.of(TestGraph.knows("p1", "p0", "{}"), TestGraph.knows("p2", "p1", "{}")));
    Result ok =
        WriterProcess.run(Map.of(), "load", "--uri", uri, nodes.toString(), edges.toString());
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stdout()).contains("loaded 3 nodes and 2 edges");
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
        NamespaceReader reader = NamespaceReader.open(store, new Pins(), 1L << 20)) {
      assertThat(reader.view().scan("Person")).hasSize(3);
      assertThat(
              reader.view().edges(NodeKey.of("Person", "p1"), "KNOWS", Direction.BOTH).stream()
                  .map(e -> e.from().key() + ">" + e.to().key()))
          .containsExactlyInAnyOrder("p1>p0", "p2>p1");
    }
  }

  @Test
  void aLoadReadInManyBatchesNamesTheFirstBadLineOfTheFile() throws Exception {
    // read in batches of 7 lines: the bad line named is the first in the file, whether parsing or
    // adding its batch finds it, and nothing is committed
    Path schema = Files.writeString(dir.resolve("schema.json"), TestGraph.SCHEMA);
    List<String> people = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      people.add(TestGraph.person("p" + i, "{\"age\":" + i + "}"));
    }
    Path nodes = Files.write(dir.resolve("nodes.jsonl"), people);
    List<String> knows = new ArrayList<>();
    for (int i = 1; i < 500; i++) {
      knows.add(TestGraph.knows("p" + i, "p" + (i - 1), "{}"));
    }
    List<String> badEdge = new ArrayList<>(knows);
    badEdge.set(300, TestGraph.knows("p301", "ghost", "{}")); // line 301: found when added
    badEdge.set(400, "{\"type\":\"KNOWS\","); // line 401: found when parsed
    Path edges = Files.write(dir.resolve("edges.jsonl"), badEdge);
    String uri = uri("batches");
    Result bad =
        WriterProcess.run(
            Map.of(),
            "load",
            "--uri",
            uri,
            "--schema",
            schema.toString(),
            "--batch",
            "7",
            nodes.toString(),
            edges.toString());
    assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
    assertThat(bad.stderr())
        .contains("bad item at line 301 of " + edges)
        .contains("node does not exist")
        .doesNotContain("line=401");

    List<String> badJson = new ArrayList<>(knows);
    badJson.set(120, "{\"type\":\"KNOWS\","); // line 121: found when parsed
    badJson.set(400, TestGraph.knows("p401", "ghost", "{}")); // line 401: found when added
    Files.write(edges, badJson);
    bad =
        WriterProcess.run(
            Map.of(), "load", "--uri", uri, "--batch", "7", nodes.toString(), edges.toString());
    assertThat(bad.exitCode()).as(bad.toString()).isNotZero();
    assertThat(bad.stderr())
        .contains("malformed json; nothing was loaded. file=" + edges + " line=121")
        .doesNotContain("line 401");
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
        NamespaceReader reader = NamespaceReader.open(store, new Pins(), 1L << 20)) {
      assertThat(reader.view().scan("Person")).isEmpty();
    }

    Files.write(edges, knows);
    Result ok =
        WriterProcess.run(
            Map.of(), "load", "--uri", uri, "--batch", "7", nodes.toString(), edges.toString());
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stdout()).contains("loaded 500 nodes and 499 edges");
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
        NamespaceReader reader = NamespaceReader.open(store, new Pins(), 1L << 20)) {
      assertThat(reader.view().scan("Person")).hasSize(500);
      assertThat(reader.view().node(NodeKey.of("Person", "p499")).orElseThrow().props())
          .containsEntry("age", 499L);
      assertThat(reader.view().edges(NodeKey.of("Person", "p250"), "KNOWS", Direction.OUT))
          .extracting(e -> e.to().key())
          .containsExactly("p249");
    }
  }

  @Test
  void loadReturnsOnceTheVectorIndexesOfWhatItLoadedAreBuilt() throws Exception {
    Path schema = Files.writeString(dir.resolve("schema.json"), TestGraph.SCHEMA);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2000; i++) { // an SST of at least VectorIndexer.MIN_ROWS gets an index
      lines.add(TestGraph.person("p" + i, "{\"emb\":[" + i + ",1,0]}"));
    }
    Path nodes = Files.write(dir.resolve("nodes.jsonl"), lines);
    Path edges = Files.write(dir.resolve("edges.jsonl"), List.of());
    String uri = uri("vectors");
    Result ok = load(uri, schema, nodes, edges);
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stderr()).doesNotContain("vector index not built").doesNotContain("stopped");
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri))) {
      assertThat(store.list("sst/nodes/Person/"))
          .extracting(ObjectInfo::key)
          .anyMatch(k -> k.endsWith(".emb.vix"));
    }
  }

  @Test
  void unknownFlagIsAUsageErrorNamingIt() {
    Result r = WriterProcess.run(Map.of(), "serve", "--uri", uri("a"), "--prot", "1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("nami: error:").contains("'--prot'");
  }

  @Test
  void missingUriIsAUsageError() {
    Result serve = WriterProcess.run(Map.of(), "serve");
    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.stderr()).contains("'--uri=URI'").contains("NAMI_URI");
    Result status = WriterProcess.run(Map.of(), "status");
    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(status.stderr()).contains("'--uri=URI'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///tmp/nami-cli-it?ns=Bad_Name",
        "file:///tmp/nami-cli-it",
        "file:///tmp/nami-cli-it?ns=",
        "file://relative/dir?ns=a",
        "ftp://bucket/data?ns=a",
        "s3://?ns=a",
        "s3://bucket?ns=a&pathStyle=maybe",
        "s3://bucket?ns=a&colour=red",
        "s3://bucket?ns=a&ns=b",
        "file:///tmp/nami-cli-it?ns=a-very-long-namespace-name-that-is-longer-than-sixty-three-chars"
      })
  void invalidUriIsAUsageErrorQuotingIt(String bad) {
    for (String command : List.of("serve", "status")) {
      Result r = WriterProcess.run(Map.of(), command, "--uri", bad);
      assertThat(r.exitCode()).as("%s --uri %s: %s", command, bad, r).isEqualTo(2);
      assertThat(r.stderr()).as("%s --uri %s", command, bad).contains("'--uri'");
      assertThat(r.stdout()).isEmpty();
    }
    assertThat(Path.of("/tmp/nami-cli-it")).doesNotExist();
  }

  @Test
  void invalidUriFromTheEnvironmentIsAUsageError() {
    Result r = WriterProcess.run(Map.of("NAMI_URI", "s3://bucket?ns=UPPER"), "serve");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("'--uri'").contains("UPPER");
  }

  @Test
  void badPortIsAUsageError() {
    Result range = WriterProcess.run(Map.of(), "serve", "--uri", uri("a"), "--port", "70000");
    assertThat(range.exitCode()).isEqualTo(2);
    assertThat(range.stderr()).contains("'--port'").contains("70000");
    Result text = WriterProcess.run(Map.of("NAMI_HTTP_PORT", "http"), "serve", "--uri", uri("a"));
    assertThat(text.exitCode()).isEqualTo(2);
    assertThat(text.stderr()).contains("'--port'").contains("'http'");
  }

  @Test
  void missingOrUnknownCommandIsAUsageError() {
    Result none = WriterProcess.run(Map.of());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.stderr()).contains("missing command").contains("serve").contains("status");
    Result unknown = WriterProcess.run(Map.of(), "frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("'frobnicate'");
  }

  @Test
  void helpExitsZero() {
    Result top = WriterProcess.run(Map.of(), "--help");
    assertThat(top.exitCode()).isZero();
    assertThat(top.stdout()).contains("serve").contains("status").contains("s3://BUCKET");
    Result serve = WriterProcess.run(Map.of(), "serve", "--help");
    assertThat(serve.exitCode()).isZero();
    assertThat(serve.stdout()).contains("--uri=URI").contains("--port=PORT").contains("NAMI_URI");
  }

  @Test
  void serveTakesUriAndPortFromTheEnvironment() {
    int port = WriterProcess.freePort();
    try (WriterProcess p =
        WriterProcess.start(
            "serve-env",
            List.of("serve"),
            Map.of("NAMI_URI", uri("envns"), "NAMI_HTTP_PORT", Integer.toString(port)),
            List.of(),
            port)) {
      p.awaitReady();
      assertThat(p.http().get("/v1/status").json().get("namespace").asText()).isEqualTo("envns");
      p.stopCleanly();
    }
  }

  @Test
  void serveExitsOneWhenTheNamespaceCannotBeOpened() throws IOException {
    Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
    int port = WriterProcess.freePort();
    try (WriterProcess p =
        WriterProcess.start(
            "serve-bad-store",
            List.of(
                "serve",
                "--uri",
                "file://" + notADir.toAbsolutePath() + "?ns=x",
                "--port",
                Integer.toString(port)),
            Map.of(),
            List.of(),
            port)) {
      assertThat(p.awaitExit()).as("exit code; log:\n%s", p.tail()).isEqualTo(1);
      assertThat(p.log()).contains("could not open the namespace. ns=x");
    }
  }

  @Test
  void statusPrintsTheManifestReadsOnlyAndBindsNoPort() throws IOException {
    try (WriterProcess writer = WriterProcess.serveReady("status-src", uri("st"), Map.of())) {
      assertThat(writer.http().put("/v1/schema", TestGraph.SCHEMA).status()).isEqualTo(200);
      assertThat(
              writer
                  .http()
                  .post("/v1/write", TestGraph.nodes(TestGraph.person("s", "{}")))
                  .status())
          .isEqualTo(200);
      writer.stopCleanly();
    }
    List<String> before = objects(uri("st"));
    try (ServerSocket taken = new ServerSocket(0)) {
      // If status started an HTTP server, it would fail to bind this port.
      Result r =
          WriterProcess.run(
              Map.of("QUARKUS_HTTP_PORT", Integer.toString(taken.getLocalPort())),
              "status",
              "--uri",
              uri("st"));
      assertThat(r.exitCode()).as("%s", r).isZero();
      JsonNode out = Http.JSON.readTree(r.stdout());
      assertThat(out.get("namespace").asText()).isEqualTo("st");
      assertThat(out.get("exists").asBoolean()).isTrue();
      assertThat(out.get("epoch").asLong()).isEqualTo(1);
      assertThat(out.get("manifestVersion").asLong()).isEqualTo(2); // claim + schema
      assertThat(out.get("walCheckpoint").asLong()).isZero();
      assertThat(r.stderr()).doesNotContain("Listening on");
    }
    assertThat(objects(uri("st"))).as("status writes nothing").isEqualTo(before);

    Result absent = WriterProcess.run(Map.of(), "status", "--uri", uri("nothing-here"));
    assertThat(absent.exitCode()).isZero();
    assertThat(Http.JSON.readTree(absent.stdout()).get("exists").asBoolean()).isFalse();
    assertThat(dir.resolve("nothing-here")).doesNotExist();
  }

  private static List<String> objects(String uri) {
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri))) {
      return store.list("").stream().map(ObjectInfo::key).sorted().toList();
    }
  }
}
