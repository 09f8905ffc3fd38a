package io.namidb.engine.graph;

import io.namidb.engine.DaemonThreads;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.sst.EdgeSstFormat;
import io.namidb.engine.sst.EdgeSstWriter;
import io.namidb.engine.sst.NodeRow;
import io.namidb.engine.sst.SortKey;
import io.namidb.engine.sst.SstNames;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.longs.LongArrays;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Builds a {@link BulkLoad}'s SSTs: one node SST per label, an out and an in SST per edge type, the
 * files built in parallel (one task each, as many threads as cores), each uploaded as soon as it is
 * built.
 *
 * <p>A label's nodes are sorted by key (a radix sort of (key, position) pairs for INT64 keys). For
 * edges, each node the load names is encoded as a {@link SortKey} once and ranked in sort-key
 * order, so sorting an edge type's adjacency is a radix sort of (source rank &lt;&lt; 32 |
 * neighbour rank, position) pairs. Equal keys sit next to each other with the last added last: that
 * one is kept. No object per edge is made, and an INT64 neighbour's key is written from a dense
 * array of keys by rank rather than read from its node's array: those lie all over the heap, and
 * fetching them took about 40 % of an edge SST's build.
 */
final class LoadSsts {
  private final List<NodeKey> keys;
  private final Map<String, BulkLoad.LabelRows> nodes;
  private final Map<String, BulkLoad.TypeEdges> edges;
  private final Schema schema;
  private final Supplier<String> ids;
  private final Consumer<SstBuilder.File> upload;

  /**
   * Node SSTs built while the load still took edges, by label (named later; see {@link #named}).
   */
  private final Map<String, Future<SstBuilder.File>> prebuilt;

  /** Sort keys by rank. */
  private byte[][] encoded;

  /** Rank in sort-key order by node id. */
  private int[] rank;

  /** INT64 keys by rank (0 for a STRING key). */
  private long[] int64Keys;

  /**
   * The first rank of each run of nodes with one label and key type (a sort key starts with the
   * label, then the key type), and that run's {@link SortKey#int64Prefix} (null for STRING keys).
   */
  private int[] runStarts;

  private byte[][] runPrefixes;

  LoadSsts(
      List<NodeKey> keys,
      Map<String, BulkLoad.LabelRows> nodes,
      Map<String, BulkLoad.TypeEdges> edges,
      Schema schema,
      Supplier<String> ids,
      Consumer<SstBuilder.File> upload,
      Map<String, Future<SstBuilder.File>> prebuilt) {
    this.keys = keys;
    this.nodes = nodes;
    this.edges = edges;
    this.schema = schema;
    this.ids = ids;
    this.upload = upload;
    this.prebuilt = prebuilt;
  }

  /**
   * Builds and uploads the files, each as soon as it is built; returns them labels first then edge
   * types (out, in), each in name order.
   */
  List<SstBuilder.File> build() {
    rankNodes();
    // ids are taken here, in a fixed order, not by the tasks: the names do not depend on timing
    List<Callable<List<SstBuilder.File>>> tasks = new ArrayList<>();
    nodes.forEach(
        (label, rows) -> {
          String id = ids.get();
          Future<SstBuilder.File> early = prebuilt.get(label);
          tasks.add(
              () -> {
                SstBuilder.File f =
                    early != null
                        ? named(prebuiltFile(early), id)
                        : nodeFile(label, keysOf(rows), rows.props.toArray(), schema, id);
                upload.accept(f);
                return List.of(f);
              });
        });
    edges.forEach(
        (type, list) -> {
          String id = ids.get();
          for (Direction d : List.of(Direction.OUT, Direction.IN)) {
            tasks.add(
                () -> {
                  SstBuilder.File f = edgeFile(type, d, list, id);
                  upload.accept(f);
                  return List.of(f);
                });
          }
        });
    int threads = Math.max(1, Math.min(tasks.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool =
        Executors.newFixedThreadPool(threads, DaemonThreads.named("namidb-bulk-load"));
    try {
      // edge files first: a label's node task may wait for the SST prebuilt while the load took
      // edges, and must not hold one of the few threads meanwhile
      List<Future<List<SstBuilder.File>>> futures = new ArrayList<>(tasks.size());
      for (int i = 0; i < tasks.size(); i++) {
        futures.add(null);
      }
      int labels = nodes.size();
      for (int i = labels; i < tasks.size(); i++) {
        futures.set(i, pool.submit(tasks.get(i)));
      }
      for (int i = 0; i < labels; i++) {
        futures.set(i, pool.submit(tasks.get(i)));
      }
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
    int[] byRank = new int[n];
    for (int i = 0; i < n; i++) {
      byRank[i] = i;
    }
    IntArrays.parallelQuickSort(byRank, (a, b) -> SortKey.compare(byId[a], byId[b]));
    rank = new int[n];
    encoded = new byte[n][];
    int64Keys = new long[n];
    IntArrayList starts = new IntArrayList();
    List<byte[]> prefixes = new ArrayList<>();
    NodeKey previous = null;
    for (int r = 0; r < n; r++) {
      rank[byRank[r]] = r;
      encoded[r] = byId[byRank[r]];
      NodeKey key = keys.get(byRank[r]);
      boolean int64 = key.key() instanceof Long;
      if (previous == null
          || !previous.label().equals(key.label())
          || int64 != (previous.key() instanceof Long)) {
        starts.add(r);
        prefixes.add(int64 ? SortKey.int64Prefix(key.label()) : null);
      }
      if (int64) {
        int64Keys[r] = (Long) key.key();
      }
      previous = key;
    }
    runStarts = starts.toIntArray();
    runPrefixes = prefixes.toArray(byte[][]::new);
  }

  /** The node keys of a label's rows, in the order added. */
  Object[] keysOf(BulkLoad.LabelRows rows) {
    Object[] out = new Object[rows.ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = keys.get(rows.ids.getInt(i)).key();
    }
    return out;
  }

  /**
   * The node SST of one label from its rows in the order added ({@code keys[i]}, {@code props[i]}):
   * sorted by key, the last version of a key kept. Reads nothing else, so it may run while the load
   * still takes edges.
   */
  static SstBuilder.File nodeFile(
      String label, Object[] keys, Object[] props, Schema schema, String id) {
    int n = keys.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (n > 0 && keys[0] instanceof Long) { // a label's keys are all of its declared key type
      long[] k = new long[n];
      long[] position = new long[n];
      for (int i = 0; i < n; i++) {
        k[i] = (Long) keys[i];
        position[i] = i;
      }
      LongArrays.radixSort(k, position);
      for (int i = 0; i < n; i++) {
        order[i] = (int) position[i];
      }
    } else {
      byte[][] utf8 = new byte[n][];
      for (int i = 0; i < n; i++) {
        utf8[i] = ((String) keys[i]).getBytes(StandardCharsets.UTF_8);
      }
      IntArrays.quickSort(
          order,
          (a, b) -> {
            int c = Arrays.compareUnsigned(utf8[a], utf8[b]);
            return c != 0 ? c : Integer.compare(a, b);
          });
    }
    List<NodeRow> sorted = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i + 1 < n && keys[order[i + 1]].equals(keys[order[i]])) {
        continue; // a later version of the same node follows
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> p = (Map<String, Object>) props[order[i]];
      sorted.add(new NodeRow(keys[order[i]], p));
    }
    return SstBuilder.nodes(label, sorted, () -> id, 0, schema);
  }

  private static SstBuilder.File prebuiltFile(Future<SstBuilder.File> early)
      throws InterruptedException {
    try {
      return early.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new NamiException(Kind.INTERNAL, "bulk load could not build a node sst", e.getCause());
    }
  }

  /** A node SST built before its id was known, under its id. */
  private static SstBuilder.File named(SstBuilder.File f, String id) {
    SstEntry e = f.entry();
    return new SstBuilder.File(
        new SstEntry(
            e.kind(),
            e.name(),
            e.direction(),
            SstNames.node(e.name(), id),
            e.minKey(),
            e.maxKey(),
            e.rows(),
            e.size(),
            e.checksum(),
            e.level()),
        f.bytes());
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
    // the run of the last neighbour: ranks [runFrom, runTo), INT64 prefix or null
    int runFrom = 0;
    int runTo = 0;
    byte[] prefix = null;
    for (int i = 0; i < n; i++) {
      if (i + 1 < n && order[i + 1] == order[i]) {
        continue; // a later version of the same edge follows
      }
      byte[] source = encoded[(int) (order[i] >>> 32)];
      int neighbour = (int) order[i];
      if (neighbour < runFrom || neighbour >= runTo) {
        int run = Arrays.binarySearch(runStarts, neighbour);
        run = run >= 0 ? run : -run - 2;
        runFrom = runStarts[run];
        runTo = run + 1 < runStarts.length ? runStarts[run + 1] : encoded.length;
        prefix = runPrefixes[run];
      }
      Map<String, Object> props = list.props((int) position[i]);
      if (prefix != null) { // from the dense array, not the node's own array (see EdgeSstWriter)
        writer.add(source, prefix, int64Keys[neighbour], props);
      } else {
        writer.add(source, encoded[neighbour], props);
      }
      if (first == null) {
        first = source;
      }
      last = source;
    }
    return SstBuilder.edgeFile(writer, id, first, last, 0);
  }
}
