package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** GC's retention policy is a pure function: versions, commit times on this clock, holds. */
class RetentionPolicyTest {
  private static final Collector.RetentionPolicy KEEP_3_FOR_10S =
      new Collector.RetentionPolicy(3, 10_000);

  private static final List<Long> VERSIONS = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L);

  @Test
  void theNewestVersionsAreKeptByCount() {
    assertThat(KEEP_3_FOR_10S.retained(VERSIONS, Map.of(), Set.of(), 1_000_000))
        .containsExactlyInAnyOrder(5L, 6L, 7L);
  }

  @Test
  void versionsThisWriterCommittedRecentlyAreKeptOnItsOwnClock() {
    Map<Long, Long> committedAt = Map.of(2L, 995_000L, 3L, 990_000L);

    assertThat(KEEP_3_FOR_10S.retained(VERSIONS, committedAt, Set.of(), 1_000_000))
        .as("version 3 is exactly retainFor old: no longer recent")
        .containsExactlyInAnyOrder(2L, 5L, 6L, 7L);
  }

  @Test
  void heldVersionsAreKeptWhateverTheirAge() {
    assertThat(KEEP_3_FOR_10S.retained(VERSIONS, Map.of(), Set.of(1L, 4L), 1_000_000))
        .containsExactlyInAnyOrder(1L, 4L, 5L, 6L, 7L);
  }

  @Test
  void fewerVersionsThanTheCountAreAllKept() {
    assertThat(KEEP_3_FOR_10S.retained(List.of(8L, 9L), Map.of(), Set.of(), 0))
        .containsExactlyInAnyOrder(8L, 9L);
  }

  @Test
  void theClaimOfEachEpochIsItsFirstVersion() {
    TreeMap<Long, Long> epochOf = new TreeMap<>(Map.of(1L, 1L, 2L, 1L, 3L, 2L, 4L, 2L, 6L, 3L));

    assertThat(Collector.RetentionPolicy.claims(epochOf)).containsExactlyInAnyOrder(1L, 3L, 6L);
  }
}
