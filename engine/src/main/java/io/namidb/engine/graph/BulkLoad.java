package io.namidb.engine.graph;

import io.namidb.engine.DaemonThreads;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.sst.SstNames;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A bulk load: nodes and edges written straight into SSTs and committed with one manifest version,
 * instead of batch by batch through the WAL ({@code docs/design/0010-bulk-load.md}). Made by {@link
 * NamespaceWriter#bulkLoad()}; not thread-safe (one loading thread).
 *
 * <p>{@link #add} validates each batch as {@code POST /v1/write} would (shape, schema, and that
 * every edge's endpoints exist: earlier in the load, in the same batch, or in the namespace) and
 * refuses a bad batch whole, keeping what was added before it. Nothing is visible or durable until
 * {@link #commit}: it holds the writer (group commits wait, compactions wait), flushes the
 * memtables, checks once more that the endpoints taken from the namespace still exist, builds one
 * node SST per label and an out and in SST per edge type, uploads them and names them all in one
 * manifest version through the same epoch-fenced CAS as every commit. All or nothing: a load that
 * fails or is closed uncommitted leaves the namespace as it was (its uploaded SSTs are unnamed, and
 * GC deletes them).
 *
 * <p>Within a load, a later version of a node or edge replaces an earlier one; over the namespace,
 * a loaded node or edge replaces the one there (as an upsert does). A load holds everything it was
 * given in memory until it commits.
 */
public final class BulkLoad implements AutoCloseable {
  /** Per interned node: whether the load holds it, or only checked it exists in the namespace. */
  static final int LOADED = 1;

  static final int EXTERNAL = 2;

  /** The nodes added to one label, in order (a later duplicate wins). */
  static final class LabelRows {
    final IntArrayList ids = new IntArrayList();
    final ObjectArrayList<Map<String, Object>> props = new ObjectArrayList<>();
  }

  /** The edges added of one type, in order (a later duplicate wins). */
  static final class TypeEdges {
    final IntArrayList from = new IntArrayList();
    final IntArrayList to = new IntArrayList();

    /** Each edge's properties; null while every edge so far has none. */
    ObjectArrayList<Map<String, Object>> props;

    void add(int f, int t, Map<String, Object> p) {
      if (props == null && !p.isEmpty()) {
        props = new ObjectArrayList<>(from.size() + 16);
        for (int i = 0; i < from.size(); i++) {
          props.add(Map.of());
        }
      }
      from.add(f);
      to.add(t);
      if (props != null) {
        props.add(p);
      }
    }

    int size() {
      return from.size();
    }

    Map<String, Object> props(int i) {
      return props == null ? Map.of() : props.get(i);
    }
  }

  /** What a commit needs from its writer. */
  interface Target {
    Manifest current();

    Schema schema();

    GraphView view();

    /** Runs {@code commit} with the writer held: no group commit, flush or compaction meanwhile. */
    Manifest holding(Supplier<Manifest> commit);

    /** Uploads one file, create-if-absent; from {@link #holding}, from any thread. */
    void upload(SstBuilder.File file);

    /** Commits a manifest naming the uploaded files; from {@link #holding}. */
    Manifest publish(List<SstBuilder.File> files);

    Supplier<String> sstIds();
  }

  private final Target target;

  /** Node ids of one label by key (-1: none yet). */
  private static final class LabelIds {
    final Long2IntOpenHashMap longs = new Long2IntOpenHashMap();
    final Object2IntOpenHashMap<String> strings = new Object2IntOpenHashMap<>();

    LabelIds() {
      longs.defaultReturnValue(-1);
      strings.defaultReturnValue(-1);
    }
  }

  private final Map<String, LabelIds> labels = new HashMap<>();
  private String lastLabel;
  private LabelIds lastIds;

  /** Per node id: the last batch that names it as a node (so its edges may point at it). */
  private final IntArrayList mark = new IntArrayList();

  private int batchMark;
  private final ObjectArrayList<NodeKey> keys = new ObjectArrayList<>();
  private final IntArrayList state = new IntArrayList();
  private final Map<String, LabelRows> nodes = new TreeMap<>();
  private final Map<String, TypeEdges> edges = new TreeMap<>();

  /** A label's node SST built early from its first {@code rows} rows. */
  private record Prebuilt(int rows, Future<SstBuilder.File> file) {}

  private final Map<String, Prebuilt> prebuilt = new HashMap<>();
  private ExecutorService prebuilder;
  private long nodeCount;
  private long edgeCount;
  private boolean finished;

  BulkLoad(Target target) {
    this.target = target;
  }

  /**
   * Adds a batch of node and edge upserts (no deletes), validated as {@code POST /v1/write} would
   * be. A refused batch adds nothing; the load goes on without it.
   *
   * @throws NamiException INVALID_INPUT naming the field, e.g. {@code edges[3].from: node does not
   *     exist}; or if the load was committed or closed
   */
  public BulkLoad add(WriteBatch batch) {
    if (finished) {
      throw new NamiException(Kind.INVALID_INPUT, "bulk load already committed or closed");
    }
    Committer.validateShape(batch);
    if (!batch.deleteNodes().isEmpty() || !batch.deleteEdges().isEmpty()) {
      throw new NamiException(
          Kind.INVALID_INPUT,
          "a bulk load holds no deletes; write them through the commit path. field="
              + (batch.deleteNodes().isEmpty() ? "deleteEdges" : "deleteNodes"));
    }
    target.schema().validate(batch);
    batchMark++;
    int[] nodeIds = new int[batch.nodes().size()];
    for (int i = 0; i < nodeIds.length; i++) {
      nodeIds[i] = intern(batch.nodes().get(i).id());
      mark.set(nodeIds[i], batchMark);
    }
    int batchEdges = batch.edges().size();
    int[] from = new int[batchEdges];
    int[] to = new int[batchEdges];
    GraphView view = null;
    IntArrayList checked = new IntArrayList();
    for (int i = 0; i < batchEdges; i++) {
      Edge e = batch.edges().get(i);
      from[i] = intern(e.from());
      to[i] = intern(e.to());
      for (int end = 0; end < 2; end++) {
        int id = end == 0 ? from[i] : to[i];
        if (state.getInt(id) != 0 || mark.getInt(id) == batchMark) {
          continue;
        }
        if (view == null) {
          view = target.view();
        }
        if (!view.exists(keys.get(id))) {
          throw new NamiException(
              Kind.INVALID_INPUT,
              "edges["
                  + i
                  + "]."
                  + (end == 0 ? "from" : "to")
                  + ": node does not exist. node="
                  + keys.get(id));
        }
        checked.add(id);
      }
    }
    // the batch is valid: from here on nothing throws
    checked.forEach((int id) -> state.set(id, EXTERNAL));
    for (int i = 0; i < nodeIds.length; i++) {
      Node n = batch.nodes().get(i);
      state.set(nodeIds[i], LOADED);
      LabelRows rows = nodes.computeIfAbsent(n.label(), l -> new LabelRows());
      rows.ids.add(nodeIds[i]);
      rows.props.add(n.props());
    }
    String lastType = null;
    TypeEdges typeEdges = null;
    for (int i = 0; i < batchEdges; i++) {
      Edge e = batch.edges().get(i);
      if (!e.type().equals(lastType)) {
        lastType = e.type();
        typeEdges = edges.computeIfAbsent(lastType, t -> new TypeEdges());
      }
      typeEdges.add(from[i], to[i], e.props());
    }
    if (prebuilder == null && batchEdges > 0 && !nodes.isEmpty()) {
      prebuildNodeSsts();
    }
    nodeCount += batch.nodes().size();
    edgeCount += batch.edges().size();
    return this;
  }

  /** The node's id in this load, a new one for a node not named before. */
  private int intern(NodeKey key) {
    String label = key.label();
    if (label != lastLabel) {
      lastLabel = label;
      lastIds = labels.computeIfAbsent(label, l -> new LabelIds());
    }
    int id =
        key.key() instanceof Long l
            ? lastIds.longs.get((long) l)
            : lastIds.strings.getInt(key.key());
    if (id < 0) {
      id = keys.size();
      if (key.key() instanceof Long l) {
        lastIds.longs.put((long) l, id);
      } else {
        lastIds.strings.put((String) key.key(), id);
      }
      keys.add(key);
      state.add(0);
      mark.add(0);
    }
    return id;
  }

  /** Node versions added so far (a later duplicate counted again). */
  public long nodes() {
    return nodeCount;
  }

  /** Edge versions added so far (a later duplicate counted again). */
  public long edges() {
    return edgeCount;
  }

  /**
   * Writes the load's SSTs and commits them in one manifest version; see the class comment. A load
   * with nothing in it commits nothing.
   *
   * @return the manifest version that holds the load
   * @throws NamiException INVALID_INPUT if a node an edge needs was deleted from the namespace
   *     while the load ran (nothing committed); FENCED if another writer took the namespace;
   *     TRANSIENT if the store failed (nothing committed; the load may be committed again)
   */
  public long commit() {
    if (finished) {
      throw new NamiException(Kind.INVALID_INPUT, "bulk load already committed or closed");
    }
    if (nodeCount == 0 && edgeCount == 0) {
      finished = true;
      return target.current().version();
    }
    Manifest committed;
    try {
      committed =
          target.holding(
              () -> {
                recheckExternal(target.view());
                LoadSsts ssts =
                    new LoadSsts(
                        keys,
                        nodes,
                        edges,
                        target.schema(),
                        target.sstIds(),
                        target::upload,
                        usablePrebuilt());
                return target.publish(ssts.build());
              });
    } finally {
      stopPrebuilding();
    }
    finished = true;
    return committed.version();
  }

  /**
   * The node SSTs built early whose label has taken no node since: the others are built again at
   * the commit.
   */
  private Map<String, Future<SstBuilder.File>> usablePrebuilt() {
    Map<String, Future<SstBuilder.File>> usable = new HashMap<>();
    prebuilt.forEach(
        (label, early) -> {
          if (early.rows() == nodes.get(label).ids.size()) {
            usable.put(label, early.file());
          }
        });
    return usable;
  }

  /**
   * Once edges come (in the usual order every node has come by then), builds each label's node SST
   * in the background from a copy of its rows, while the loading thread goes on adding edges.
   */
  private void prebuildNodeSsts() {
    Schema schema = target.schema();
    prebuilder = Executors.newSingleThreadExecutor(DaemonThreads.named("namidb-bulk-load-nodes"));
    nodes.forEach(
        (label, rows) -> {
          Object[] keyCopy = new Object[rows.ids.size()];
          for (int i = 0; i < keyCopy.length; i++) {
            keyCopy[i] = keys.get(rows.ids.getInt(i)).key();
          }
          Object[] propsCopy = rows.props.toArray();
          String placeholder = SstNames.id(0, 0); // named at the commit
          prebuilt.put(
              label,
              new Prebuilt(
                  keyCopy.length,
                  prebuilder.submit(
                      () -> LoadSsts.nodeFile(label, keyCopy, propsCopy, schema, placeholder))));
        });
  }

  /** Stops the early builds; a commit tried again builds what it needs itself. */
  private void stopPrebuilding() {
    if (prebuilder != null) {
      prebuilder.shutdownNow();
      prebuilder = null;
      prebuilt.clear();
    }
  }

  /** The nodes the load took from the namespace must still be there (deletes may have come). */
  private void recheckExternal(GraphView view) {
    for (int id = 0; id < keys.size(); id++) {
      if (state.getInt(id) == EXTERNAL && !view.exists(keys.get(id))) {
        throw new NamiException(
            Kind.INVALID_INPUT,
            "an edge's node was deleted while the load ran; nothing was committed. node="
                + keys.get(id));
      }
    }
  }

  /** Drops an uncommitted load: nothing of it is committed. */
  @Override
  public void close() {
    stopPrebuilding();
    finished = true;
    nodes.clear();
    edges.clear();
  }
}
