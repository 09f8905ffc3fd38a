package io.namidb.engine.graph;

import io.namidb.engine.IdGenerator;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.wal.WalSegment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small builders shared by writer tests. */
final class Writes {
  private Writes() {}

  /** Deterministic ids, short group-commit window, fast retries. */
  static WriterConfig config(long seed) {
    return WriterConfig.defaults()
        .withIds(new IdGenerator(new SplittableRandom(seed)))
        .withGroupCommit(Duration.ofMillis(2), 4 << 20)
        .withRetries(6, Duration.ofMillis(1));
  }

  /** Person nodes with a name, KNOWS edges between them. */
  static final String SCHEMA =
      "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"name\":\"STRING\"}}},"
          + "\"edgeTypes\":{\"KNOWS\":{\"from\":\"Person\",\"to\":\"Person\"}}}";

  /** Opens a writer and declares {@link #SCHEMA} (a no-op once declared). */
  static NamespaceWriter open(ObjectStore store, WriterConfig config) {
    NamespaceWriter w = NamespaceWriter.open(store, config);
    w.evolveSchema(json(SCHEMA));
    return w;
  }

  static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static WriteBatch person(String key) {
    return WriteBatch.builder()
        .node(new Node(NodeKey.of("Person", key), Map.of("name", key)))
        .build();
  }

  static WriteBatch knows(String from, String to) {
    return WriteBatch.builder()
        .edge(
            new Edge(
                new EdgeKey("KNOWS", NodeKey.of("Person", from), NodeKey.of("Person", to)),
                Map.of()))
        .build();
  }

  static List<Long> walSegmentIds(ObjectStore store) {
    return store.list("wal/").stream().map(ObjectInfo::key).map(WalSegment::idOf).toList();
  }
}
