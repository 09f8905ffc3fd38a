package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.Retries;
import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.wal.WalLog;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Recovery runs on the caller's thread: probe, claim, replay and fence, tested without a writer.
 */
class RecoveryTest {
  private final MemoryObjectStore store = new MemoryObjectStore();
  private final WriterConfig config = Writes.config(7);

  @Test
  void replaysAcknowledgedWritesAndFencesAboveThem() throws Exception {
    long lastLsn;
    try (NamespaceWriter w = Writes.open(store, config)) {
      w.write(person("a")).get();
      lastLsn = w.write(person("b")).get();
    }

    NamespaceWriter.Stats stats = new NamespaceWriter.Stats();
    Lifecycle lifecycle = new Lifecycle(store.location());
    ManifestStore manifestStore =
        new ManifestStore(
            store, Retries.transientFailures(3, Duration.ofMillis(1), Duration.ofMillis(5)));
    ManifestCommitter manifests =
        new ManifestCommitter(manifestStore, config, "w-test", store.location(), lifecycle, stats);
    WalLog wal =
        new WalLog(store, Retries.transientFailures(3, Duration.ofMillis(1), Duration.ofMillis(5)));

    Tables tables =
        new Recovery(store, config, "w-test", wal, lifecycle, stats)
            .run(manifestStore, manifests, new SstReaders(store, 1 << 20));

    assertThat(manifests.current().writerEpoch()).isEqualTo(2);
    assertThat(tables.view().node(NodeKey.of("Person", "a"))).isPresent();
    assertThat(tables.view().node(NodeKey.of("Person", "b"))).isPresent();
    assertThat(tables.lastDataSegment()).isEqualTo(lastLsn);
    assertThat(tables.lastSegment()).isEqualTo(lastLsn + 1); // the fence, just above
    assertThat(wal.read(lastLsn + 1)).hasValueSatisfying(s -> assertThat(s.epoch()).isEqualTo(2));
    assertThat(lifecycle.state()).as("recovery does not make the writer").isEqualTo(State.STARTING);
  }
}
