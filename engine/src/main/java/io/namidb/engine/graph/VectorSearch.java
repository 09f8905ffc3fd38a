package io.namidb.engine.graph;

import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.sst.NodeRow;
import io.namidb.engine.sst.VectorIndex;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Indexed vector search over the node SSTs of one label in a {@link Snapshot}: each SST is searched
 * through its {@link VectorIndex} when it has one, else scanned, and only rows that are still the
 * newest version of their node in the view are offered. A row is stale when the memtables hold its
 * key (any version, deletes included) or a newer SST of the snapshot does; the memtables' own rows
 * are offered by the caller, exactly.
 *
 * <p>An index knows nothing of staleness or filters, so each SST is searched for the {@code k}
 * nearest that qualify: the index is asked for {@code 2k} (a large index's answer is approximate,
 * and its float sums may order near ties differently from the exact distances {@link NearestK}
 * ranks by), then four times as many while fewer than {@code k} of its hits qualify, and the SST is
 * scanned instead once that would exceed {@link #MAX_FETCH_FRACTION} of it (a filter that few rows
 * pass, or an SST mostly overwritten).
 */
final class VectorSearch {
  /** Over-fetch gives up on the index when it would ask for more than this share of an SST. */
  static final int MAX_FETCH_FRACTION = 16;

  private final Snapshot snapshot;
  private final String label;
  private final String property;
  private final float[] query;
  private final int k;
  private final Set<Object> inMemTables;

  VectorSearch(
      Snapshot snapshot,
      String label,
      String property,
      float[] query,
      int k,
      Set<Object> inMemTables) {
    this.snapshot = snapshot;
    this.label = label;
    this.property = property;
    this.query = query;
    this.k = k;
    this.inMemTables = inMemTables;
  }

  /** Offers the candidates of every SST of the label to {@code nearest}. */
  void collect(NearestK nearest) {
    List<SstEntry> ssts = snapshot.nodeSsts(label); // newest first
    for (int i = 0; i < ssts.size(); i++) {
      SstEntry sst = ssts.get(i);
      List<SstEntry> newer = ssts.subList(0, i);
      Optional<VectorIndex> index = snapshot.readers().vectorIndex(sst, property);
      if (index.isEmpty()
          || index.get().dimension() != query.length
          || !searchIndex(index.get(), sst, newer, nearest)) {
        scan(sst, newer, nearest);
      }
    }
  }

  /**
   * Offers the index's nearest live rows that qualify, at least {@code k} of them if the SST has
   * that many; false (nothing offered) when that would take more than the over-fetch bound.
   */
  private boolean searchIndex(
      VectorIndex index, SstEntry sst, List<SstEntry> newer, NearestK nearest) {
    int limit = Math.max(k, index.size() / MAX_FETCH_FRACTION);
    for (int fetch = 2 * k; ; fetch *= 4) {
      List<VectorIndex.Hit> hits = index.search(query, fetch);
      List<NodeRow> rows = new java.util.ArrayList<>(hits.size());
      int qualifying = 0;
      double kth = Double.MAX_VALUE; // distance of the k-th qualifying hit, once there is one
      double margin = 1 + tieTolerance();
      for (VectorIndex.Hit hit : hits) {
        if (hit.distance() > kth * margin) {
          break; // hits come nearest first: no farther row can enter the top k
        }
        Object key = index.key(hit.ordinal());
        if (stale(key, newer)) {
          continue;
        }
        Optional<NodeRow> row = snapshot.readers().node(sst).get(key);
        if (row.isPresent() && !row.get().tombstone() && nearest.qualifies(row.get().props())) {
          rows.add(row.get());
          if (++qualifying == k) {
            kth = hit.distance();
          }
        }
      }
      if (qualifying >= k || hits.size() < fetch || fetch >= index.size()) {
        rows.forEach(r -> nearest.offer(r.key(), r.props()));
        return true;
      }
      if (fetch * 4L > limit) {
        return false;
      }
    }
  }

  /**
   * Rows of hits farther than the k-th qualifying one are not read, unless their index distance is
   * within this relative margin of it: {@link NearestK} recomputes each distance in double, and the
   * index's float sums of squares (all terms non-negative) err by at most about {@code (dim / 4 +
   * 6)} units of float rounding (2⁻²⁴) relative to the sum, half that for the distance; the margin
   * is several times that, so near-ties are read and ordered as the exact path orders them.
   */
  private double tieTolerance() {
    return 2.0 * (query.length + 8) * 0x1p-24;
  }

  /** Offers every live row of the SST (no index, or over-fetch gave up). */
  private void scan(SstEntry sst, List<SstEntry> newer, NearestK nearest) {
    Set<Object> newerKeys = new HashSet<>();
    for (SstEntry n : newer) {
      for (NodeRow row : snapshot.readers().node(n).all()) {
        newerKeys.add(row.key());
      }
    }
    for (NodeRow row : snapshot.readers().node(sst).all()) {
      if (!row.tombstone() && !inMemTables.contains(row.key()) && !newerKeys.contains(row.key())) {
        nearest.offer(row.key(), row.props());
      }
    }
  }

  /** Whether a version of the node newer than this SST's is in the view. */
  private boolean stale(Object key, List<SstEntry> newer) {
    if (inMemTables.contains(key)) {
      return true;
    }
    for (SstEntry n : newer) {
      if (snapshot.readers().node(n).get(key).isPresent()) {
        return true;
      }
    }
    return false;
  }
}
