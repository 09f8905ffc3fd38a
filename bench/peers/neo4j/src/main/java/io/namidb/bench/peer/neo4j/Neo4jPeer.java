package io.namidb.bench.peer.neo4j;

import io.namidb.bench.peer.PeerSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j embedded as a peer of bench/run Compare: loads the graph from the Parquet files through the
 * core API in batched transactions, then measures node by key, one-hop count and two-hop distinct
 * count through the core API and through Cypher, vector top-10 through a vector index with
 * recall@10 against exact, durable small writes at each concurrency, and the store's size.
 *
 * <pre>java -cp ... io.namidb.bench.peer.neo4j.Neo4jPeer SPEC.json REPORT.json</pre>
 */
public final class Neo4jPeer {
  private static final Label PERSON = Label.label("Person");
  private static final RelationshipType KNOWS = RelationshipType.withName("KNOWS");
  private static final int NODES_PER_TX = 10_000;
  private static final int EDGES_PER_TX = 50_000;
  private static final String ONE_HOP =
      "MATCH (a:Person {key: $k})-[:KNOWS]->(b) RETURN count(b) AS c";
  private static final String TWO_HOP =
      "MATCH (a:Person {key: $k})-[:KNOWS]->()-[:KNOWS]->(b) RETURN count(DISTINCT b) AS c";

  private final PeerSupport peer;
  private GraphDatabaseService db;

  private Neo4jPeer(PeerSupport peer) {
    this.peer = peer;
  }

  public static void main(String[] args) throws Exception {
    PeerSupport peer = PeerSupport.read(Path.of(args[0]), "neo4j");
    new Neo4jPeer(peer).run();
    peer.writeReport(Path.of(args[1]));
  }

  private void run() throws Exception {
    Graph graph = Graph.read(peer);
    for (int round = 0; round < peer.rounds(); round++) {
      Path dir = peer.dbDir(round);
      DatabaseManagementService dbms =
          new DatabaseManagementServiceBuilder(dir)
              .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.gibiBytes(2))
              .build();
      try {
        db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        long[] ids = load(graph);
        vectorIndex();
        peer.add("bytes", "store, tx logs and indexes", PeerSupport.treeBytes(dir) / 1048576.0);
        reads(ids);
        writes(round);
      } finally {
        dbms.shutdown();
      }
      PeerSupport.deleteTree(dir);
    }
  }

  /**
   * Loads nodes and edges in batched transactions and builds the key index; node ids by key. The
   * long node ids (deprecated for removal, still the fastest way in 5.26) give the peer its best
   * case.
   */
  @SuppressWarnings("removal")
  private long[] load(Graph graph) {
    long start = System.nanoTime();
    long[] ids = new long[graph.age.length];
    for (int from = 0; from < ids.length; from += NODES_PER_TX) {
      try (Transaction tx = db.beginTx()) {
        for (int i = from; i < Math.min(ids.length, from + NODES_PER_TX); i++) {
          Node n = tx.createNode(PERSON);
          n.setProperty("key", (long) i);
          n.setProperty("age", graph.age[i]);
          n.setProperty("name", graph.name[i]);
          n.setProperty("emb", graph.emb[i]);
          ids[i] = n.getId();
        }
        tx.commit();
      }
    }
    for (int from = 0; from < graph.src.length; from += EDGES_PER_TX) {
      try (Transaction tx = db.beginTx()) {
        for (int i = from; i < Math.min(graph.src.length, from + EDGES_PER_TX); i++) {
          tx.getNodeById(ids[(int) graph.src[i]])
              .createRelationshipTo(tx.getNodeById(ids[(int) graph.dst[i]]), KNOWS);
        }
        tx.commit();
      }
    }
    try (Transaction tx = db.beginTx()) {
      tx.execute("CREATE INDEX person_key FOR (p:Person) ON (p.key)");
      tx.commit();
    }
    awaitIndexes();
    long items = (long) graph.age.length + graph.src.length;
    peer.add("bulk", "batched tx, core API, + key index", PeerSupport.perSecond(items, start));
    return ids;
  }

  private void vectorIndex() {
    try (Transaction tx = db.beginTx()) {
      tx.execute(
          "CREATE VECTOR INDEX person_emb FOR (p:Person) ON p.emb OPTIONS {indexConfig: {"
              + "`vector.dimensions`: 64, `vector.similarity_function`: 'euclidean'}}");
      tx.commit();
    }
    awaitIndexes();
  }

  private void awaitIndexes() {
    try (Transaction tx = db.beginTx()) {
      tx.schema().awaitIndexesOnline(30, TimeUnit.MINUTES);
      tx.commit();
    }
  }

  private void reads(long[] ids) {
    long[] probes = peer.probes();
    long[] keys = peer.lookupKeys();
    long[] one = new long[probes.length];
    long[] two = new long[probes.length];
    // warm-up pass, which also gives the answers; Cypher must agree with the core API
    for (int p = 0; p < probes.length; p++) {
      one[p] = oneHopCore(probes[p]);
      two[p] = twoHopCore(probes[p]);
      long cypherOne = cypherCount(ONE_HOP, probes[p]);
      long cypherTwo = cypherCount(TWO_HOP, probes[p]);
      if (cypherOne != one[p] || cypherTwo != two[p]) {
        throw new IllegalStateException(
            "neo4j core API and Cypher disagree. probe="
                + probes[p]
                + " core="
                + one[p]
                + "/"
                + two[p]
                + " cypher="
                + cypherOne
                + "/"
                + cypherTwo);
      }
    }
    peer.answers(one, two);
    for (long k : keys) {
      keyCore(k);
      keyCypher(k);
    }

    // every figure: passes until the spec's minSeconds (PeerSupport.perSecondOfPasses)
    peer.add("key", "core API", peer.perSecondOfPasses(1, keys.length, () -> keysCore(keys)));
    peer.add("key", "Cypher", peer.perSecondOfPasses(1, keys.length, () -> keysCypher(keys)));
    int repeats = peer.oneHopRepeats();
    long perPass = probes.length;
    peer.add(
        "hop1", "core API", peer.perSecondOfPasses(repeats, perPass, () -> oneHopsCore(probes)));
    peer.add(
        "hop1",
        "Cypher",
        peer.perSecondOfPasses(repeats, perPass, () -> cypherCounts(ONE_HOP, probes)));
    int twoHopRepeats = peer.twoHopRepeats();
    peer.add(
        "hop2",
        "core API",
        peer.perSecondOfPasses(twoHopRepeats, perPass, () -> twoHopsCore(probes)));
    peer.add(
        "hop2",
        "Cypher",
        peer.perSecondOfPasses(twoHopRepeats, perPass, () -> cypherCounts(TWO_HOP, probes)));

    float[][] queries = peer.queryVectors();
    long[][] truth = peer.truth();
    for (float[] q : queries) {
      vectorTop10(q);
    }
    double recall = 0;
    for (int q = 0; q < queries.length; q++) {
      recall += PeerSupport.recall(vectorTop10(queries[q]), truth[q]);
    }
    // timed like the reads above: passes over the query vectors until the spec's minSeconds
    peer.add(
        "vector",
        "HNSW vector index",
        peer.perSecondOfPasses(1, queries.length, () -> vectorTop10s(queries)));
    peer.add("recall", "HNSW vector index", recall / queries.length);
  }

  private void keysCore(long[] keys) {
    for (long k : keys) {
      keyCore(k);
    }
  }

  private void keysCypher(long[] keys) {
    for (long k : keys) {
      keyCypher(k);
    }
  }

  private void oneHopsCore(long[] probes) {
    for (long k : probes) {
      oneHopCore(k);
    }
  }

  private void twoHopsCore(long[] probes) {
    for (long k : probes) {
      twoHopCore(k);
    }
  }

  private void vectorTop10s(float[][] queries) {
    for (float[] q : queries) {
      vectorTop10(q);
    }
  }

  private void cypherCounts(String query, long[] probes) {
    for (long k : probes) {
      cypherCount(query, k);
    }
  }

  private Node find(Transaction tx, long key) {
    Node n = tx.findNode(PERSON, "key", key);
    if (n == null) {
      throw new IllegalStateException("node missing. key=" + key);
    }
    return n;
  }

  private void keyCore(long key) {
    try (Transaction tx = db.beginTx()) {
      find(tx, key).getProperty("name");
    }
  }

  private void keyCypher(long key) {
    try (Transaction tx = db.beginTx();
        Result r = tx.execute("MATCH (p:Person {key: $k}) RETURN p.name AS n", Map.of("k", key))) {
      if (!r.hasNext()) {
        throw new IllegalStateException("node missing. key=" + key);
      }
      r.next();
    }
  }

  private long oneHopCore(long key) {
    try (Transaction tx = db.beginTx()) {
      return find(tx, key).getDegree(KNOWS, Direction.OUTGOING);
    }
  }

  @SuppressWarnings("removal")
  private long twoHopCore(long key) {
    try (Transaction tx = db.beginTx()) {
      LongHashSet seen = new LongHashSet();
      for (Relationship first : find(tx, key).getRelationships(Direction.OUTGOING, KNOWS)) {
        for (Relationship second : first.getEndNode().getRelationships(Direction.OUTGOING, KNOWS)) {
          seen.add(second.getEndNode().getId());
        }
      }
      return seen.size();
    }
  }

  private long cypherCount(String query, long key) {
    try (Transaction tx = db.beginTx();
        Result r = tx.execute(query, Map.of("k", key))) {
      return ((Number) r.next().get("c")).longValue();
    }
  }

  private long[] vectorTop10(float[] q) {
    List<Long> keys = new ArrayList<>();
    try (Transaction tx = db.beginTx();
        Result r =
            tx.execute(
                "CALL db.index.vector.queryNodes('person_emb', 10, $q) YIELD node"
                    + " RETURN node.key AS key",
                Map.of("q", q))) {
      while (r.hasNext()) {
        keys.add((Long) r.next().get("key"));
      }
    }
    return keys.stream().mapToLong(Long::longValue).toArray();
  }

  private void writes(int round) throws InterruptedException {
    long firstKey = peer.firstWriteKey(round);
    for (int clients : peer.concurrencies()) {
      double[] result =
          peer.closedLoop(
              clients,
              firstKey,
              key -> {
                try (Transaction tx = db.beginTx()) {
                  Node n = tx.createNode(PERSON);
                  n.setProperty("key", key);
                  n.setProperty("age", 1L);
                  n.setProperty("name", "person-" + key);
                  tx.commit();
                }
              });
      firstKey += 10_000_000L;
      peer.add("write-" + clients, "", result[0]);
      if (clients == 1) {
        peer.add("write-p50-1", "", result[1]);
      }
    }
  }

  /** The graph as read from the Parquet files, before any timing. */
  private record Graph(long[] age, String[] name, float[][] emb, long[] src, long[] dst) {
    static Graph read(PeerSupport peer) throws IOException {
      int n = peer.nodes();
      long[] age = new long[n];
      String[] name = new String[n];
      float[][] emb = new float[n][];
      try (ParquetReader<Group> r = reader(peer.nodesParquet())) {
        for (Group g = r.read(); g != null; g = r.read()) {
          int key = (int) g.getLong("key", 0);
          age[key] = g.getLong("age", 0);
          name[key] = g.getString("name", 0);
          Group list = g.getGroup("emb", 0);
          float[] v = new float[list.getFieldRepetitionCount("list")];
          for (int d = 0; d < v.length; d++) {
            v[d] = list.getGroup("list", d).getFloat("element", 0);
          }
          emb[key] = v;
        }
      }
      long[] src = new long[peer.edges()];
      long[] dst = new long[peer.edges()];
      try (ParquetReader<Group> r = reader(peer.edgesParquet())) {
        int i = 0;
        for (Group g = r.read(); g != null; g = r.read()) {
          src[i] = g.getLong("src", 0);
          dst[i++] = g.getLong("dst", 0);
        }
      }
      return new Graph(age, name, emb, src, dst);
    }

    private static ParquetReader<Group> reader(String file) throws IOException {
      return new ParquetReader.Builder<Group>(
          new LocalInputFile(Path.of(file)), new PlainParquetConfiguration()) {
        @Override
        protected ReadSupport<Group> getReadSupport() {
          return new GroupReadSupport();
        }
      }.build();
    }
  }
}
