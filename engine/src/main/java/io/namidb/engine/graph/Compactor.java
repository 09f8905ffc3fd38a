package io.namidb.engine.graph;

import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.Direction;
import io.namidb.engine.sst.NodeRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges the SSTs of a label (or of an edge type, both directions) into one, dropping shadowed
 * versions and tombstones, since nothing older remains. A {@link #plan pure planner} picks what to
 * merge from a snapshot's SST lists alone; the executor ({@link #compact}) reads the inputs,
 * uploads each merge's output at once and commits them all in one manifest: a round costs one
 * version of GC's retention window, however many labels it merges.
 */
final class Compactor {
  /** One merge: every SST of a label ({@code edges} false) or of an edge type (both directions). */
  record Merge(String name, boolean edges, List<SstEntry> inputs) {}

  private final Tables tables;
  private final ManifestCommitter manifests;
  private final SstUploader ssts;
  private final NamespaceWriter.Stats stats;

  Compactor(
      Tables tables, ManifestCommitter manifests, SstUploader ssts, NamespaceWriter.Stats stats) {
    this.tables = tables;
    this.manifests = manifests;
    this.ssts = ssts;
    this.stats = stats;
  }

  /**
   * What a round merges, labels first then edge types, each in name order: a label with {@code
   * threshold} or more SSTs (at least 2), an edge type with {@code threshold} or more out-SSTs (and
   * at least 4 SSTs in both directions). Reads nothing but the snapshot's manifest.
   */
  static List<Merge> plan(Snapshot snap, int threshold) {
    List<Merge> plan = new ArrayList<>();
    for (String label : snap.labels()) {
      List<SstEntry> inputs = snap.nodeSsts(label);
      if (inputs.size() >= threshold && inputs.size() >= 2) {
        plan.add(new Merge(label, false, List.copyOf(inputs)));
      }
    }
    for (String type : snap.edgeTypes()) {
      List<SstEntry> out = snap.edgeSsts(type, Direction.OUT);
      List<SstEntry> inputs = new ArrayList<>(out);
      inputs.addAll(snap.edgeSsts(type, Direction.IN));
      if (out.size() >= threshold && inputs.size() >= 4) {
        plan.add(new Merge(type, true, List.copyOf(inputs)));
      }
    }
    return plan;
  }

  /** Runs one round over the current snapshot: merges what {@link #plan} picks, if anything. */
  void compact(int threshold) {
    long start = System.nanoTime();
    Snapshot snap = tables.snapshot();
    List<Merge> plan = plan(snap, threshold);
    if (plan.isEmpty()) {
      return;
    }
    List<SstBuilder.File> outputs = new ArrayList<>();
    for (Merge merge : plan) {
      outputs.addAll(merge.edges() ? mergeEdgeType(snap, merge.name()) : mergeLabel(snap, merge));
    }
    replaceSsts(plan, outputs);
    stats.compactions.addAndGet(plan.size());
    stats.compactionNanos.addAndGet(System.nanoTime() - start);
  }

  /** The live rows of a label as one SST (uploaded), or none if no row is left. */
  private List<SstBuilder.File> mergeLabel(Snapshot snap, Merge merge) {
    List<NodeRow> rows = new ArrayList<>();
    snap.scan(merge.name())
        .forEach(
            (key, props) -> {
              if (props != null) {
                rows.add(new NodeRow(key, props));
              }
            });
    if (rows.isEmpty()) {
      return List.of();
    }
    SstBuilder.File out = SstBuilder.nodes(merge.name(), rows, ssts::nextId, 1, manifests.schema());
    ssts.upload(List.of(out));
    return List.of(out);
  }

  /** The live edges of a type as one out/in pair (uploaded), or none if no edge is left. */
  private List<SstBuilder.File> mergeEdgeType(Snapshot snap, String type) {
    List<MemTable.EdgeVersion> live = new ArrayList<>();
    snap.scanEdges(type, Direction.OUT)
        .forEach(
            (id, edge) -> {
              if (edge != null) {
                live.add(new MemTable.EdgeVersion(id, edge));
              }
            });
    if (live.isEmpty()) {
      return List.of();
    }
    List<SstBuilder.File> files = SstBuilder.edges(type, live, ssts::nextId, 1);
    ssts.upload(files);
    return files;
  }

  /** Commits one manifest that swaps the plan's inputs for {@code outputs} (already uploaded). */
  private void replaceSsts(List<Merge> plan, List<SstBuilder.File> outputs) {
    Set<String> gone = new HashSet<>();
    plan.forEach(m -> m.inputs().forEach(i -> gone.add(i.key())));
    Manifest committed =
        manifests.commit(
            m -> {
              List<SstEntry> kept = new ArrayList<>();
              for (SstEntry e : m.ssts()) {
                if (!gone.contains(e.key())) {
                  kept.add(e);
                }
              }
              outputs.forEach(o -> kept.add(o.entry()));
              return m.withSsts(kept);
            });
    tables.committed(committed);
  }
}
