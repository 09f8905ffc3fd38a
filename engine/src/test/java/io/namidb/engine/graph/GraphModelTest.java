package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.IdGenerator;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.Props;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.ObjectStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Model-based test of the whole data path: random schema-valid batches, deletes, flushes,
 * compactions, restarts and reader refreshes; every read is checked against a plain in-memory
 * reference graph. Seeds and round counts are small here; {@code GraphModelIT} runs more on MinIO.
 */
class GraphModelTest {

  @Test
  void randomHistoriesMatchTheReferenceModel() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      new GraphModelRun(new MemoryObjectStore(), seed, 300).run();
    }
  }

  /** One seeded run against a store; reusable by the IT tier. */
  static final class GraphModelRun {
    private final ObjectStore store;
    private final Random random;
    private final int steps;
    private final Map<NodeKey, Map<String, Object>> nodes = new HashMap<>();
    private final Map<EdgeKey, Map<String, Object>> edges = new HashMap<>();
    private NamespaceWriter writer;
    private long ids;

    GraphModelRun(ObjectStore store, long seed, int steps) {
      this.store = store;
      this.random = new Random(seed);
      this.steps = steps;
    }

    private WriterConfig config() {
      return WriterConfig.defaults()
          .withIds(new IdGenerator(new SplittableRandom(random.nextLong())))
          .withGroupCommit(Duration.ofMillis(1), 1 << 20)
          .withRetries(4, Duration.ofMillis(1))
          .withFlush(1L << 40, Duration.ofDays(1), 3)
          .withRetention(2, Duration.ZERO);
    }

    static final String SCHEMA =
        "{\"labels\":{"
            + "\"Person\":{\"key\":\"STRING\",\"properties\":"
            + "{\"age\":\"INT64\",\"name\":\"STRING\",\"emb\":\"VECTOR(3)\"},\"indexes\":[\"age\"]},"
            + "\"Account\":{\"key\":\"INT64\",\"properties\":{\"balance\":\"DOUBLE\"}}},"
            + "\"edgeTypes\":{"
            + "\"KNOWS\":{\"from\":\"Person\",\"to\":\"Person\",\"properties\":{\"since\":\"INT64\"}},"
            + "\"OWNS\":{\"from\":\"Person\",\"to\":\"Account\",\"properties\":{\"since\":\"INT64\"}}}}";

    void run() throws Exception {
      writer = NamespaceWriter.open(store, config());
      writer.evolveSchema(Writes.json(SCHEMA));
      try {
        for (int step = 0; step < steps; step++) {
          int op = random.nextInt(100);
          if (op < 70) {
            writeRandomBatch();
          } else if (op < 80) {
            writer.flush();
          } else if (op < 85) {
            writer.close();
            writer = NamespaceWriter.open(store, config());
          } else if (op < 90) {
            try (NamespaceReader reader = NamespaceReader.open(store)) {
              check(reader.view(), "reader at step " + step);
            }
          } else {
            writer.collectGarbage();
          }
          if (step % 10 == 0) {
            check(writer.view(), "writer at step " + step);
          }
        }
        writer.flush();
        check(writer.view(), "writer at end");
        writer.close();
        writer = NamespaceWriter.open(store, config());
        check(writer.view(), "after final restart");
      } finally {
        writer.close();
      }
    }

    private NodeKey randomPerson() {
      return NodeKey.of("Person", "p" + random.nextInt(40));
    }

    private NodeKey randomAccount() {
      return NodeKey.of("Account", (long) random.nextInt(30) - 10);
    }

    private Map<String, Object> personProps() {
      Map<String, Object> p = new HashMap<>();
      if (random.nextBoolean()) {
        p.put("age", (long) random.nextInt(90));
      }
      p.put("name", random.nextInt(4) == 0 ? "" : "n" + ids++);
      if (random.nextBoolean()) {
        p.put("emb", new float[] {random.nextFloat(), random.nextFloat(), random.nextFloat()});
      }
      return p;
    }

    private void writeRandomBatch() throws Exception {
      WriteBatch.Builder b = WriteBatch.builder();
      Map<NodeKey, Map<String, Object>> nodesAfter = new HashMap<>(nodes);
      Map<EdgeKey, Map<String, Object>> edgesAfter = new HashMap<>(edges);
      int items = 1 + random.nextInt(5);
      for (int i = 0; i < items; i++) {
        int kind = random.nextInt(10);
        if (kind < 4) {
          NodeKey k = random.nextBoolean() ? randomPerson() : randomAccount();
          Map<String, Object> props =
              k.label().equals("Person") ? personProps() : Map.of("balance", random.nextDouble());
          b.node(new Node(k, props));
          nodesAfter.put(k, props);
        } else if (kind < 8) {
          List<NodeKey> people =
              nodesAfter.keySet().stream()
                  .filter(k -> k.label().equals("Person"))
                  .sorted()
                  .toList();
          if (people.isEmpty()) {
            continue;
          }
          NodeKey from = people.get(random.nextInt(people.size()));
          NodeKey to;
          String type;
          if (random.nextBoolean()) {
            type = "KNOWS";
            to = people.get(random.nextInt(people.size()));
          } else {
            type = "OWNS";
            List<NodeKey> accounts =
                nodesAfter.keySet().stream()
                    .filter(k -> k.label().equals("Account"))
                    .sorted()
                    .toList();
            if (accounts.isEmpty()) {
              continue;
            }
            to = accounts.get(random.nextInt(accounts.size()));
          }
          Map<String, Object> props = Map.of("since", (long) random.nextInt(3000));
          EdgeKey id = new EdgeKey(type, from, to);
          b.edge(new Edge(id, props));
          edgesAfter.put(id, props);
        } else if (kind < 9 && !edgesAfter.isEmpty()) {
          List<EdgeKey> all =
              edgesAfter.keySet().stream()
                  .sorted(java.util.Comparator.comparing(EdgeKey::toString))
                  .toList();
          EdgeKey id = all.get(random.nextInt(all.size()));
          b.deleteEdge(id);
          edgesAfter.remove(id);
        } else {
          NodeKey k = random.nextBoolean() ? randomPerson() : randomAccount();
          b.deleteNode(k);
          nodesAfter.remove(k);
          edgesAfter.keySet().removeIf(e -> e.from().equals(k) || e.to().equals(k));
        }
      }
      WriteBatch batch = b.build();
      if (batch.isEmpty()) {
        return;
      }
      // Batch order is upserts, edges, edge deletes, node deletes: recompute the model that way.
      Map<NodeKey, Map<String, Object>> n2 = new HashMap<>(nodes);
      Map<EdgeKey, Map<String, Object>> e2 = new HashMap<>(edges);
      batch.nodes().forEach(n -> n2.put(n.id(), n.props()));
      boolean valid = true;
      for (Edge e : batch.edges()) {
        if (!n2.containsKey(e.from()) || !n2.containsKey(e.to())) {
          valid = false;
        }
        e2.put(e.id(), e.props());
      }
      batch.deleteEdges().forEach(e2::remove);
      for (NodeKey k : batch.deleteNodes()) {
        n2.remove(k);
        e2.keySet().removeIf(e -> e.from().equals(k) || e.to().equals(k));
      }
      try {
        writer.write(batch).get();
        assertThat(valid).as("writer accepted a batch the model refuses: %s", batch).isTrue();
        nodes.clear();
        nodes.putAll(n2);
        edges.clear();
        edges.putAll(e2);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(valid)
            .as("writer refused a valid batch: %s", e.getCause().getMessage())
            .isFalse();
      }
    }

    private static final List<List<Step>> PATHS =
        List.of(
            List.of(new Step("KNOWS", Direction.OUT), new Step("KNOWS", Direction.OUT)),
            List.of(new Step("KNOWS", Direction.IN), new Step("KNOWS", Direction.BOTH)),
            List.of(new Step("KNOWS", Direction.BOTH), new Step("OWNS", Direction.OUT)),
            List.of(new Step(null, Direction.BOTH), new Step(null, Direction.OUT)),
            List.of(new Step("OWNS", Direction.OUT), new Step("OWNS", Direction.IN)));

    /** reach() and traverse() agree with paths followed over the model's edges. */
    private void checkTraversals(GraphView view, NodeKey start, String where) {
      for (List<Step> path : PATHS) {
        for (boolean distinct : new boolean[] {true, false}) {
          List<NodeKey> frontier = List.of(start);
          for (Step step : path) {
            List<NodeKey> next = new java.util.ArrayList<>();
            Set<NodeKey> seen = new HashSet<>();
            for (NodeKey n : frontier) {
              for (EdgeKey e : edges.keySet()) {
                if (step.type() != null && !e.type().equals(step.type())) {
                  continue;
                }
                boolean out = e.from().equals(n) && step.direction() != Direction.IN;
                boolean in = e.to().equals(n) && step.direction() != Direction.OUT;
                if (out || in) {
                  NodeKey other = out ? e.to() : e.from();
                  if (!distinct || seen.add(other)) {
                    next.add(other);
                  }
                }
              }
            }
            frontier = next;
          }
          String what = where + ": " + path + " from " + start + " distinct=" + distinct;
          List<NodeKey> reached = view.reach(start, path, distinct, Integer.MAX_VALUE);
          assertThat(reached).as(what).containsExactlyInAnyOrderElementsOf(frontier);
          assertThat(view.traverse(start, path, distinct, Integer.MAX_VALUE))
              .as(what + " (traverse)")
              .extracting(Node::id)
              .containsExactlyElementsOf(reached);
          int limit = 1 + random.nextInt(4);
          assertThat(view.reach(start, path, distinct, limit))
              .as(what + " limit " + limit)
              .containsExactlyElementsOf(reached.subList(0, Math.min(limit, reached.size())));
        }
      }
    }

    private void check(GraphView view, String where) {
      boolean indexed = random.nextBoolean();
      if (indexed) {
        // half the checks expand through the snapshot's adjacency indexes (built now rather than in
        // the background), so both paths, memtable overlay included, are held to the model
        for (String type : List.of("KNOWS", "OWNS")) {
          view.snapshot().awaitAdjacencyIndex(type, Direction.OUT);
          view.snapshot().awaitAdjacencyIndex(type, Direction.IN);
        }
      }
      checkAt(view, indexed ? where + " (adjacency indexes)" : where);
    }

    private void checkAt(GraphView view, String where) {
      for (String label : List.of("Person", "Account")) {
        Map<Object, Map<String, Object>> want = new TreeMap<>(NodeKey::compareKeys);
        nodes.forEach(
            (k, p) -> {
              if (k.label().equals(label)) {
                want.put(k.key(), p);
              }
            });
        List<Node> got = view.scan(label);
        assertThat(got.stream().map(Node::key).toList())
            .as("%s: keys of %s", where, label)
            .containsExactlyElementsOf(want.keySet());
        for (Node n : got) {
          assertThat(Props.equal(n.props(), want.get(n.key())))
              .as("%s: props of %s %s", where, n.id(), n.props())
              .isTrue();
        }
      }
      // label scans with filters, by scan and by the declared index on age, agree with the model
      for (long age : new long[] {random.nextInt(90), random.nextInt(90), 3}) {
        List<Object> want =
            nodes.entrySet().stream()
                .filter(e -> e.getKey().label().equals("Person"))
                .filter(e -> Long.valueOf(age).equals(e.getValue().get("age")))
                .map(e -> e.getKey().key())
                .sorted(NodeKey::compareKeys)
                .toList();
        List<Filter> eq = List.of(Filter.eq("age", age));
        assertThat(view.scan("Person", eq, Integer.MAX_VALUE).stream().map(Node::key).toList())
            .as("%s: scan age=%d", where, age)
            .isEqualTo(want);
        assertThat(
                view.scan("Person", eq, Integer.MAX_VALUE, Set.of("age")).stream()
                    .map(Node::key)
                    .toList())
            .as("%s: index age=%d", where, age)
            .isEqualTo(want);
      }
      // exact vector top-3 agrees with a brute force over the model
      float[] q = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
      List<String> wantTop =
          nodes.entrySet().stream()
              .filter(e -> e.getValue().get("emb") instanceof float[])
              .sorted(
                  java.util.Comparator.comparingDouble(
                          (Map.Entry<NodeKey, Map<String, Object>> e) ->
                              GraphView.l2(q, (float[]) e.getValue().get("emb")))
                      .thenComparing(e -> e.getKey()))
              .limit(3)
              .map(e -> e.getKey().toString())
              .toList();
      List<String> gotTop =
          view.vectorSearch("Person", "emb", q, 3, List.of(), GraphView.Metric.L2).stream()
              .map(hit -> hit.node().id().toString())
              .toList();
      assertThat(gotTop).as("%s: vector top-3", where).isEqualTo(wantTop);
      Set<NodeKey> probe = new HashSet<>(nodes.keySet());
      probe.add(NodeKey.of("Person", "p-none"));
      for (int i = 0; i < 5; i++) {
        probe.add(randomPerson());
      }
      for (NodeKey k : probe) {
        assertThat(view.node(k).isPresent())
            .as("%s: node %s", where, k)
            .isEqualTo(nodes.containsKey(k));
        Map<EdgeKey, Map<String, Object>> want = new HashMap<>();
        edges.forEach(
            (id, p) -> {
              if (id.from().equals(k) || id.to().equals(k)) {
                want.put(id, p);
              }
            });
        Map<EdgeKey, Map<String, Object>> got = new HashMap<>();
        for (Edge e : view.edges(k, null, Direction.BOTH)) {
          got.put(e.id(), e.props());
        }
        assertThat(got.keySet()).as("%s: edges of %s", where, k).isEqualTo(want.keySet());
        got.forEach(
            (id, p) ->
                assertThat(Props.equal(p, want.get(id))).as("%s: props of %s", where, id).isTrue());
        long out =
            want.keySet().stream()
                .filter(e -> e.from().equals(k) && e.type().equals("KNOWS"))
                .count();
        assertThat(view.edges(k, "KNOWS", Direction.OUT))
            .as("%s: KNOWS out of %s", where, k)
            .hasSize((int) out);
        if (view.node(k).isPresent()) {
          checkTraversals(view, k, where);
        }
      }
    }
  }
}
