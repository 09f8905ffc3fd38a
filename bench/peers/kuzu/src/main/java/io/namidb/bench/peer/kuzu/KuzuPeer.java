package io.namidb.bench.peer.kuzu;

import com.kuzudb.Connection;
import com.kuzudb.Database;
import com.kuzudb.PreparedStatement;
import com.kuzudb.QueryResult;
import com.kuzudb.Value;
import io.namidb.bench.peer.PeerSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Kuzu as a peer of bench/run Compare: loads the graph with COPY FROM the Parquet files (the vector
 * is a Parquet LIST of FLOAT, read into a FLOAT[64] column without parsing text), then measures
 * node by key, one-hop count and two-hop distinct count through Cypher, durable small writes from
 * one client, and the database's size. Vector search is n/a: Kuzu's vector extension is downloaded
 * at run time, which this machine cannot do.
 *
 * <pre>java -cp ... io.namidb.bench.peer.kuzu.KuzuPeer SPEC.json REPORT.json</pre>
 */
public final class KuzuPeer {
  private static final String KEY = "MATCH (p:Person {key: $k}) RETURN p.name";
  private static final String ONE_HOP = "MATCH (a:Person {key: $k})-[:KNOWS]->(b) RETURN count(b)";
  private static final String TWO_HOP =
      "MATCH (a:Person {key: $k})-[:KNOWS]->()-[:KNOWS]->(b) RETURN count(DISTINCT b)";
  private static final String CREATE = "CREATE (:Person {key: $k, age: 1, name: $n})";

  private final PeerSupport peer;
  private Connection conn;

  private KuzuPeer(PeerSupport peer) {
    this.peer = peer;
  }

  public static void main(String[] args) throws Exception {
    PeerSupport peer = PeerSupport.read(Path.of(args[0]), "kuzu");
    new KuzuPeer(peer).run();
    peer.writeReport(Path.of(args[1]));
  }

  private void run() throws Exception {
    peer.notAvailable("vector", "the vector extension is downloaded at run time; no download here");
    peer.notAvailable("recall", "no vector search (see vector top-10)");
    peer.notAvailable("write-16", "one write transaction at a time");
    peer.notAvailable("write-64", "one write transaction at a time");
    for (int round = 0; round < peer.rounds(); round++) {
      Path dir = Files.createDirectories(peer.dbDir(round));
      try (Database db = new Database(dir.resolve("db.kuzu").toString());
          Connection c = new Connection(db)) {
        conn = c;
        load();
        query("CHECKPOINT");
        peer.add("bytes", "database after COPY", PeerSupport.treeBytes(dir) / 1048576.0);
        reads();
        writes(round);
      }
      PeerSupport.deleteTree(dir);
    }
  }

  private void load() {
    query(
        "CREATE NODE TABLE Person(key INT64, age INT64, name STRING, emb FLOAT[64],"
            + " PRIMARY KEY (key))");
    query("CREATE REL TABLE KNOWS(FROM Person TO Person)");
    long start = System.nanoTime();
    query("COPY Person FROM '" + peer.nodesParquet() + "'");
    query("COPY KNOWS FROM '" + peer.edgesParquet() + "'");
    peer.add(
        "bulk",
        "COPY FROM Parquet",
        PeerSupport.perSecond((long) peer.nodes() + peer.edges(), start));
  }

  private void reads() {
    long[] probes = peer.probes();
    long[] keys = peer.lookupKeys();
    try (PreparedStatement key = conn.prepare(KEY);
        PreparedStatement oneHop = conn.prepare(ONE_HOP);
        PreparedStatement twoHop = conn.prepare(TWO_HOP)) {
      long[] one = new long[probes.length];
      long[] two = new long[probes.length];
      for (int p = 0; p < probes.length; p++) {
        one[p] = count(oneHop, probes[p]);
        two[p] = count(twoHop, probes[p]);
      }
      peer.answers(one, two);
      for (long k : keys) {
        lookup(key, k);
      }

      // every figure: passes until the spec's minSeconds (PeerSupport.perSecondOfPasses)
      peer.add("key", "Cypher", peer.perSecondOfPasses(1, keys.length, () -> lookups(key, keys)));
      peer.add(
          "hop1",
          "Cypher",
          peer.perSecondOfPasses(
              peer.oneHopRepeats(), probes.length, () -> counts(oneHop, probes)));
      peer.add(
          "hop2",
          "Cypher",
          peer.perSecondOfPasses(
              peer.twoHopRepeats(), probes.length, () -> counts(twoHop, probes)));
    }
  }

  private void lookups(PreparedStatement key, long[] keys) {
    for (long k : keys) {
      lookup(key, k);
    }
  }

  private void counts(PreparedStatement query, long[] probes) {
    for (long k : probes) {
      count(query, k);
    }
  }

  private void writes(int round) throws InterruptedException {
    try (PreparedStatement create = conn.prepare(CREATE)) {
      double[] result =
          peer.closedLoop(
              1,
              peer.firstWriteKey(round),
              k -> {
                try (QueryResult r =
                    conn.execute(
                        create, Map.of("k", new Value(k), "n", new Value("person-" + k)))) {
                  check(r, CREATE);
                }
              });
      peer.add("write-1", "", result[0]);
      peer.add("write-p50-1", "", result[1]);
    }
  }

  private void lookup(PreparedStatement statement, long key) {
    try (QueryResult r = conn.execute(statement, Map.of("k", new Value(key)))) {
      check(r, KEY);
      if (!r.hasNext()) {
        throw new IllegalStateException("node missing. key=" + key);
      }
      r.getNext();
    }
  }

  private long count(PreparedStatement statement, long key) {
    try (QueryResult r = conn.execute(statement, Map.of("k", new Value(key)))) {
      check(r, "count");
      return ((Number) r.getNext().getValue(0).getValue()).longValue();
    }
  }

  private void query(String cypher) {
    try (QueryResult r = conn.query(cypher)) {
      check(r, cypher);
    }
  }

  private static void check(QueryResult r, String what) {
    if (!r.isSuccess()) {
      throw new IllegalStateException(
          "kuzu query failed. query=" + what + " error=" + r.getErrorMessage());
    }
  }
}
