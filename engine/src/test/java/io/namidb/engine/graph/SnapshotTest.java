package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.sst.NodeRow;
import io.namidb.engine.sst.SstNames;
import io.namidb.engine.store.MemoryObjectStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  /** Sequence 100_000_000 sorts before 99_999_999 as a string; it is the newer SST all the same. */
  @Test
  void newestFirstHoldsPastTheEightDigitSequence() {
    MemoryObjectStore store = new MemoryObjectStore();
    SstBuilder.File older = nodeSst(store, 99_999_999, "old");
    SstBuilder.File newer = nodeSst(store, 100_000_000, "new");
    Manifest manifest = Manifest.empty().withSsts(List.of(older.entry(), newer.entry()));

    Snapshot snapshot = new Snapshot(manifest, new SstReaders(store, 1 << 20));

    assertThat(snapshot.nodeSsts("Person"))
        .extracting(SstEntry::key)
        .containsExactly(newer.entry().key(), older.entry().key());
    assertThat(snapshot.node(NodeKey.of("Person", "ada")))
        .map(NodeRow::props)
        .hasValue(Map.of("name", "new"));
  }

  private static SstBuilder.File nodeSst(MemoryObjectStore store, long sequence, String name) {
    SstBuilder.File f =
        SstBuilder.nodes(
            "Person",
            List.of(new NodeRow("ada", Map.of("name", name))),
            () -> SstNames.id(1, sequence),
            0,
            Schema.EMPTY);
    store.putIfAbsent(f.entry().key(), f.bytes());
    return f;
  }
}
