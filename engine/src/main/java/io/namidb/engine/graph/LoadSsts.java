package io.namidb.engine.graph;

import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.sst.EdgeSstFormat;
import io.namidb.engine.sst.EdgeSstWriter;
import io.namidb.engine.sst.NodeRow;
import io.namidb.engine.sst.SortKey;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.longs.LongArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Builds a {@link BulkLoad}'s SSTs: one node SST per label, an out and an in SST per edge type, the
 * files built in parallel (one task each, as many threads as cores).
 *
 * <p>Each node the load names is encoded as a {@link SortKey} once and ranked in sort-key order, so
 * sorting a label's nodes or an edge type's adjacency is a radix sort of primitive pairs: (rank,
 * position) for nodes, (source rank &lt;&lt; 32 | neighbour rank, position) for edges. Equal keys
 * sit next to each other with the last added last: that one is kept. No object per edge is made.
 */
final class LoadSsts {
  private final List<NodeKey> keys;
  private final Map<String, BulkLoad.LabelRows> nodes;
  private final Map<String, BulkLoad.TypeEdges> edges;
  private final Schema schema;
  private final Supplier<String> ids;

  /** Sort keys by rank. */
  private byte[][] encoded;

  /** Rank in sort-key order by node id, and node id by rank. */
  private int[] rank;

  private int[] byRank;

  LoadSsts(
      List<NodeKey> keys,
      Map<String, BulkLoad.LabelRows> nodes,
      Map<String, BulkLoad.TypeEdges> edges,
      Schema schema,
      Supplier<String> ids) {
    this.keys = keys;
    this.nodes = nodes;
    this.edges = edges;
    this.schema = schema;
    this.ids = ids;
  }

  /** The files, labels first then edge types (out, in), each in name order. */
  List<SstBuilder.File> build() {
    rankNodes();
    // ids are taken here, in a fixed order, not by the tasks: the names do not depend on timing
    List<Callable<List<SstBuilder.File>>> tasks = new ArrayList<>();
    nodes.forEach(
        (label, rows) -> {
          String id = ids.get();
          tasks.add(() -> List.of(nodeFile(label, rows, id)));
        });
    edges.forEach(
        (type, list) -> {
          String id = ids.get();
          for (Direction d : List.of(Direction.OUT, Direction.IN)) {
            tasks.add(() -> List.of(edgeFile(type, d, list, id)));
          }
        });
    int threads = Math.max(1, Math.min(tasks.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "namidb-bulk-load");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<List<SstBuilder.File>>> futures = new ArrayList<>();
      tasks.forEach(t -> futures.add(pool.submit(t)));
      List<SstBuilder.File> files = new ArrayList<>();
      for (Future<List<SstBuilder.File>> f : futures) {
        files.addAll(f.get());
      }
      return files;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NamiException nami) {
        throw nami;
      }
      throw new NamiException(Kind.INTERNAL, "bulk load could not build its ssts", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NamiException(Kind.TRANSIENT, "bulk load interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void rankNodes() {
    int n = keys.size();
    byte[][] byId = new byte[n][];
    for (int i = 0; i < n; i++) {
      byId[i] = SortKey.encode(keys.get(i));
    }
    byRank = new int[n];
    for (int i = 0; i < n; i++) {
      byRank[i] = i;
    }
    IntArrays.parallelQuickSort(byRank, (a, b) -> SortKey.compare(byId[a], byId[b]));
    rank = new int[n];
    encoded = new byte[n][];
    for (int r = 0; r < n; r++) {
      rank[byRank[r]] = r;
      encoded[r] = byId[byRank[r]];
    }
  }

  private SstBuilder.File nodeFile(String label, BulkLoad.LabelRows rows, String id) {
    int n = rows.ids.size();
    long[] order = new long[n];
    long[] position = new long[n];
    for (int i = 0; i < n; i++) {
      order[i] = rank[rows.ids.getInt(i)];
      position[i] = i;
    }
    LongArrays.radixSort(order, position);
    List<NodeRow> sorted = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i + 1 < n && order[i + 1] == order[i]) {
        continue; // a later version of the same node follows
      }
      int p = (int) position[i];
      sorted.add(new NodeRow(keys.get(byRank[(int) order[i]]).key(), rows.props.get(p)));
    }
    return SstBuilder.nodes(label, sorted, () -> id, 0, schema);
  }

  private SstBuilder.File edgeFile(
      String type, Direction direction, BulkLoad.TypeEdges list, String id) {
    int n = list.size();
    long[] order = new long[n];
    long[] position = new long[n];
    boolean out = direction == Direction.OUT;
    for (int i = 0; i < n; i++) {
      int source = out ? list.from.getInt(i) : list.to.getInt(i);
      int neighbour = out ? list.to.getInt(i) : list.from.getInt(i);
      order[i] = ((long) rank[source] << 32) | rank[neighbour];
      position[i] = i;
    }
    LongArrays.radixSort(order, position);
    EdgeSstWriter writer = new EdgeSstWriter(type, direction, EdgeSstFormat.BLOCK_BYTES);
    byte[] first = null;
    byte[] last = null;
    for (int i = 0; i < n; i++) {
      if (i + 1 < n && order[i + 1] == order[i]) {
        continue; // a later version of the same edge follows
      }
      byte[] source = encoded[(int) (order[i] >>> 32)];
      byte[] neighbour = encoded[(int) order[i]];
      writer.add(source, neighbour, list.props((int) position[i]));
      if (first == null) {
        first = source;
      }
      last = source;
    }
    return SstBuilder.edgeFile(writer, id, first, last, 0);
  }
}
