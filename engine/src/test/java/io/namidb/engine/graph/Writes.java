package io.namidb.engine.graph;

import io.namidb.engine.IdGenerator;
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
