package io.namidb.engine.graph;

import static io.namidb.engine.graph.Writes.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.FaultInjectingObjectStore;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.StoreOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The commit path through the fault-injecting store: lost responses, failures, bad stores. With a
 * fixed group-commit window every write goes through the committer thread; {@link
 * FaultInjectionCallerCommitsTest} runs the same tests with idle writes committed by their callers.
 */
class FaultInjectionWriterTest {
  /** The writer settings of these tests. */
  WriterConfig config(long seed) {
    return Writes.config(seed);
  }

  private final MemoryObjectStore memory = new MemoryObjectStore();
  private final FaultInjectingObjectStore faults =
      new FaultInjectingObjectStore(memory, new SplittableRandom(42), d -> {});

  @Test
  void walPutWhoseResponseWasLostIsNeitherFencedNorDuplicatedNorLost() throws Exception {
    try (NamespaceWriter w = Writes.open(faults, config(1))) {
      var rule = faults.on(StoreOp.PUT_IF_ABSENT, "wal/").loseResponse().times(3);
      List<Long> lsns = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        lsns.add(w.write(person("p" + i)).get());
      }
      assertThat(lsns).doesNotHaveDuplicates();
      assertThat(rule.fired()).isEqualTo(3);
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
    }
    // every segment id once, contiguous; every write present once after a reopen
    List<Long> ids = Writes.walSegmentIds(memory);
    for (int i = 1; i < ids.size(); i++) {
      assertThat(ids.get(i)).isEqualTo(ids.get(i - 1) + 1);
    }
    try (NamespaceWriter r = Writes.open(memory, config(2))) {
      assertThat(r.view().scan("Person")).hasSize(20);
    }
  }

  @Test
  void takeoverReplaysAThousandSegmentsReadAheadThroughSlowAndFailingReadsInOrder()
      throws Exception {
    long last;
    try (NamespaceWriter w = Writes.open(memory, config(1))) {
      last = 0;
      for (int i = 0; i < 1000; i++) { // one segment per write: each waits for its ack
        last =
            w.write(
                    WriteBatch.builder()
                        .node(new Node(NodeKey.of("Person", "same"), Map.of("name", "v" + i)))
                        .node(new Node(NodeKey.of("Person", "p" + i), Map.of("name", "p" + i)))
                        .build())
                .get();
      }
    }
    FaultInjectingObjectStore slow =
        new FaultInjectingObjectStore(
            memory,
            new SplittableRandom(11),
            d -> LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(d.toNanos())));
    slow.on(StoreOp.GET, "wal/").delay(Duration.ofMillis(1)).probability(0.5);
    var failures = slow.on(StoreOp.GET, "wal/").fail().probability(0.05);
    long getsBefore = memory.stats().gets();

    try (NamespaceWriter r = Writes.open(slow, config(2))) {
      // the last write to a key wins only if segments were applied in id order
      assertThat(r.view().node(NodeKey.of("Person", "same")))
          .hasValueSatisfying(n -> assertThat(n.props()).containsEntry("name", "v999"));
      assertThat(r.view().scan("Person")).hasSize(1001);
      assertThat(r.stats().segmentsReplayed.get()).isGreaterThanOrEqualTo(1000);
      assertThat(Writes.walSegmentIds(memory)).contains(last + 1); // fenced above the replay
    }
    assertThat(failures.fired()).as("transient read failures were retried").isPositive();
    assertThat(memory.stats().gets() - getsBefore)
        .as("each segment read once, plus retries and a few manifest and schema reads")
        .isLessThan(1000 + failures.fired() + 50);
  }

  @Test
  void manifestPutWhoseResponseWasLostStillClaims() {
    var rule = faults.on(StoreOp.PUT_IF_ABSENT, "manifest/").loseResponse().times(1);
    try (NamespaceWriter w = NamespaceWriter.open(faults, config(1))) {
      assertThat(rule.fired()).isEqualTo(1);
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
      assertThat(w.epoch()).isEqualTo(1);
      assertThat(new ManifestStore(memory).latestVersion()).as("no duplicate version").isEqualTo(1);
    }
  }

  @Test
  void flushManifestPutWhoseResponseWasLostIsNotAFalseFence() throws Exception {
    try (NamespaceWriter w = Writes.open(faults, config(1))) {
      w.write(person("a")).get();
      var rule = faults.on(StoreOp.PUT_IF_ABSENT, "manifest/").loseResponse().times(1);
      w.flush();
      assertThat(rule.fired()).isEqualTo(1);
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
      w.write(person("b")).get();
    }
    try (NamespaceWriter r = Writes.open(memory, config(2))) {
      assertThat(r.view().scan("Person")).hasSize(2);
    }
  }

  @Test
  void transientFailuresOfWalPutsAreRetriedUnderTheSameId() throws Exception {
    try (NamespaceWriter w = Writes.open(faults, config(1))) {
      faults.on(StoreOp.PUT_IF_ABSENT, "wal/").fail().times(2);
      assertThat(w.write(person("x")).get()).isEqualTo(w.walSegment());
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.WRITER);
    }
  }

  @Test
  void walPutsThatKeepFailingStopTheWriterInsteadOfSkippingAnId() throws Exception {
    try (NamespaceWriter w = Writes.open(faults, config(1))) {
      w.write(person("before")).get();
      long last = w.walSegment();
      faults.on(StoreOp.PUT_IF_ABSENT, "wal/").fail();
      assertThatThrownBy(() -> w.write(person("lost?")).get())
          .hasCauseInstanceOf(NamiException.class)
          .hasMessageContaining("outcome is unknown");
      assertThat(w.state()).isEqualTo(NamespaceWriter.State.FAILED);
      assertThatThrownBy(() -> w.write(person("after")).get())
          .hasCauseInstanceOf(NamiException.class);
      assertThat(Writes.walSegmentIds(memory)).doesNotContain(last + 2);
    }
    faults.clearRules();
    try (NamespaceWriter r = Writes.open(memory, config(2))) {
      assertThat(r.node(io.namidb.engine.model.NodeKey.of("Person", "before"))).isPresent();
    }
  }

  @Test
  void nodeDeleteWhoseCascadeCannotBeReadIsRefusedBeforeAnythingIsWritten() throws Exception {
    try (NamespaceWriter w = Writes.open(faults, config(1))) {
      w.write(person("a")).get();
      w.write(person("b")).get();
      w.write(Writes.knows("a", "b")).get();
      w.compact(); // the edge now lives in an SST only
      NamespaceWriter.State before = w.state();
      long segments = Writes.walSegmentIds(memory).size();
      var rule = faults.on(StoreOp.GET_RANGE, "sst/edges/").fail();
      assertThatThrownBy(
              () ->
                  w.write(WriteBatch.builder().deleteNode(NodeKey.of("Person", "b")).build()).get())
          .hasCauseInstanceOf(NamiException.class)
          .hasMessageContaining("could not check the batch");
      assertThat(w.state()).isEqualTo(before);
      assertThat(Writes.walSegmentIds(memory)).as("nothing written").hasSize((int) segments);
      rule.remove();
      w.write(WriteBatch.builder().deleteNode(NodeKey.of("Person", "b")).build()).get();
      assertThat(w.edges(NodeKey.of("Person", "a"), null, Direction.BOTH)).isEmpty();
    }
  }

  @Test
  void storeThatIgnoresIfNoneMatchIsRefusedAtOpen() {
    faults.ignoreIfNoneMatch(true);
    assertThatThrownBy(() -> NamespaceWriter.open(faults, config(1)))
        .isInstanceOf(NamiException.class)
        .hasMessageContaining("ignores conditional writes (If-None-Match)")
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.CONFIGURATION);
    assertThat(new ManifestStore(memory).latestVersion()).as("nothing claimed").isZero();
  }
}
