package io.namidb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.bench.harness.Report;
import io.namidb.bench.harness.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The whole of bench/run Compare at a tiny scale: every engine (NamiDB on the local store and on a
 * real MinIO, Neo4j and Kuzu in their own JVMs) loads the graph, answers every probe alike and
 * produces every row it can.
 */
class CompareSmokeIT {
  @Test
  void everyEngineProducesEveryRowAndAgrees() throws Exception {
    Path out = Path.of("target/compare-smoke");
    Report report =
        Compare.run(
            Compare.Options.parse(
                new String[] {
                  "--nodes",
                  "2000",
                  "--edges",
                  "10000",
                  "--rounds",
                  "1",
                  "--write-seconds",
                  "0.2",
                  "--read-seconds",
                  "0.05",
                  "--out",
                  out.toString()
                }));

    JsonNode json = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
    assertThat(json.get("agreement").asText()).isEqualTo("passed");
    assertThat(json.get("engines"))
        .extracting(JsonNode::asText)
        .containsExactly("namidb-local", "namidb-minio", "neo4j", "kuzu");
    Set<String> cells = new HashSet<>();
    for (JsonNode m : json.get("measurements")) {
      cells.add(m.get("column").asText() + " " + m.get("row").asText());
      if (m.get("values").isEmpty()) {
        assertThat(m.get("note").asText()).as("why %s is n/a", m).isNotEmpty();
      }
    }
    for (String column : List.of("namidb-local", "namidb-minio", "neo4j", "kuzu")) {
      for (Row row :
          List.of(
              Row.BULK,
              Row.WRITE_1,
              Row.WRITE_16,
              Row.WRITE_64,
              Row.KEY,
              Row.HOP1,
              Row.HOP2,
              Row.VECTOR,
              Row.RECALL,
              Row.BYTES)) {
        assertThat(cells).as("rows of %s", column).contains(column + " " + row.id());
      }
    }
    for (Row row :
        List.of(
            Row.COLD_KEY_GETS,
            Row.COLD_HOP1_GETS,
            Row.COLD_HOP1_BYTES,
            Row.WAL_PUTS_1,
            Row.RAW_PUT_P50)) {
      assertThat(cells).contains("namidb-minio " + row.id());
    }
    // where a 16-client group commit's time goes, on both stores
    for (Row row : List.of(Row.WAL_PUT_16, Row.GROUP_WAIT_16)) {
      assertThat(cells).contains("namidb-local " + row.id(), "namidb-minio " + row.id());
    }
    // the floor of a log-structured commit, next to the raw PUT, on the local directory only
    assertThat(cells)
        .contains("namidb-local " + Row.RAW_PUT_P50.id(), "namidb-local " + Row.LOG_APPEND_P50.id())
        .doesNotContain("namidb-minio " + Row.LOG_APPEND_P50.id());
    assertThat(report.ratio(Row.HOP2)).isPresent();
    assertThat(Files.readString(out.resolve("compare.md"))).contains("NamiDB ÷ best peer");
  }
}
