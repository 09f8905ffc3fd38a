package io.namidb.writer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.store.MemoryObjectStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the path of a {@code POST /v1/write} body, as {@link WriteResource} runs it: strict JSON
 * parsing ({@link RequestJson}), conversion to a batch against the schema, and the writer's own
 * checks, on a writer over a {@link MemoryObjectStore}. Any body is either written (a WAL segment
 * more) or refused as INVALID_INPUT / TOO_LARGE with nothing written to the store. Corpus (JSON
 * text): {@code src/test/resources/io/namidb/writer/http/WriteRequestFuzzTestInputs/write/}.
 */
class WriteRequestFuzzTest {
  private static final Set<Kind> REFUSALS = Set.of(Kind.INVALID_INPUT, Kind.TOO_LARGE);

  /** Every property type, both key types, an edge type with each endpoint rule. */
  private static final String SCHEMA =
      """
      {"labels":{
        "Person":{"key":"STRING","properties":{"name":"STRING","age":"INT64","score":"DOUBLE",
          "active":"BOOL","born":"TIMESTAMP","photo":"BYTES","emb":"VECTOR(3)"},"indexes":["age"]},
        "City":{"key":"INT64","properties":{"name":"STRING"}}},
       "edgeTypes":{
        "KNOWS":{"from":"Person","to":"Person","properties":{"since":"INT64"}},
        "LIVES_IN":{"from":"Person","to":"City"}}}
      """;

  private static MemoryObjectStore store;
  private static NamespaceWriter writer;

  @BeforeAll
  static void open() {
    store = new MemoryObjectStore();
    WriterConfig config =
        WriterConfig.defaults()
            .withGroupCommit(Duration.ofMillis(1), 4 << 20)
            .withFlush(1L << 40, Duration.ofDays(1), 8)
            .toBuilder()
            .maxBatchBytes(64 << 10)
            .cacheBytes(1 << 20)
            .build();
    writer = NamespaceWriter.open(store, config);
    writer.evolveSchema(Schema.parse(SCHEMA).toJson());
  }

  @AfterAll
  static void close() {
    writer.close();
  }

  @FuzzTest
  @Timeout(10)
  void write(byte[] body) throws InterruptedException, TimeoutException {
    long puts = store.stats().puts();
    long segment = writer.walSegment();
    NamiException refused;
    try {
      WriteBatch batch = writer.schema().batchFromJson(RequestJson.parse(body));
      writer.write(batch).get(10, TimeUnit.SECONDS);
      refused = null;
    } catch (NamiException e) {
      refused = e;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof NamiException cause)) {
        throw new AssertionError("write failed with " + e.getCause(), e.getCause());
      }
      refused = cause;
    }
    if (refused == null) {
      assertThat(writer.walSegment())
          .as("an accepted write is in a WAL segment")
          .isGreaterThan(segment);
      return;
    }
    if (!REFUSALS.contains(refused.kind())) {
      throw new AssertionError(
          "refused as " + refused.kind() + ": " + refused.getMessage(), refused);
    }
    assertThat(store.stats().puts()).as("puts after a refused write").isEqualTo(puts);
    assertThat(writer.walSegment()).isEqualTo(segment);
  }
}
