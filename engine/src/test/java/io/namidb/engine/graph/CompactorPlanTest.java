package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.Direction;
import io.namidb.engine.sst.SstNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compaction planner is a pure function of a snapshot's SST lists: no store, no thread. */
class CompactorPlanTest {
  private long sequence;

  @Test
  void aLabelIsMergedFromTheThresholdOn() {
    Snapshot snap = snapshot(nodes("Person", 3), nodes("City", 2));

    assertThat(names(Compactor.plan(snap, 3))).containsExactly("Person");
    assertThat(names(Compactor.plan(snap, 2))).containsExactly("City", "Person");
    assertThat(Compactor.plan(snap, 4)).isEmpty();
  }

  @Test
  void aMergeTakesEverySstOfItsLabelAsInput() {
    List<SstEntry> person = nodes("Person", 3);
    Snapshot snap = snapshot(person);

    List<Compactor.Merge> plan = Compactor.plan(snap, 2);

    assertThat(plan).singleElement().satisfies(m -> assertThat(m.edges()).isFalse());
    assertThat(plan.get(0).inputs()).containsExactlyInAnyOrderElementsOf(person);
  }

  @Test
  void aSingleSstIsNeverMergedWhateverTheThreshold() {
    assertThat(Compactor.plan(snapshot(nodes("Person", 1)), 1)).isEmpty();
  }

  @Test
  void anEdgeTypeCountsItsOutSstsAndMergesBothDirections() {
    Snapshot snap = snapshot(edges("KNOWS", 2), edges("LIVES_IN", 1), nodes("Person", 2));

    List<Compactor.Merge> plan = Compactor.plan(snap, 2);

    assertThat(names(plan)).containsExactly("Person", "KNOWS"); // labels first, then edge types
    Compactor.Merge knows = plan.get(1);
    assertThat(knows.edges()).isTrue();
    assertThat(knows.inputs()).hasSize(4);
  }

  private static List<String> names(List<Compactor.Merge> plan) {
    return plan.stream().map(Compactor.Merge::name).toList();
  }

  @SafeVarargs
  private static Snapshot snapshot(List<SstEntry>... groups) {
    List<SstEntry> all = new ArrayList<>();
    for (List<SstEntry> g : groups) {
      all.addAll(g);
    }
    return new Snapshot(Manifest.empty().withSsts(all), null); // the planner reads no SST
  }

  private List<SstEntry> nodes(String label, int count) {
    List<SstEntry> ssts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = SstNames.node(label, SstNames.id(1, ++sequence));
      ssts.add(new SstEntry("node", label, null, key, "a", "z", 1, 100, "00", 0));
    }
    return ssts;
  }

  /** {@code pairs} out/in pairs of SSTs of an edge type. */
  private List<SstEntry> edges(String type, int pairs) {
    List<SstEntry> ssts = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      String id = SstNames.id(1, ++sequence);
      for (Direction d : List.of(Direction.OUT, Direction.IN)) {
        String key = SstNames.edge(type, id, d);
        String dir = d == Direction.OUT ? "out" : "in";
        ssts.add(new SstEntry("edge", type, dir, key, "a", "z", 1, 100, "00", 0));
      }
    }
    return ssts;
  }
}
