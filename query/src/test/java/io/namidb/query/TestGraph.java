package io.namidb.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.query.graph.GraphStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A namespace in memory with a writer and a query engine, for tests. */
public final class TestGraph implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final MemoryObjectStore store = new MemoryObjectStore();
  public final NamespaceWriter writer;
  public final QueryEngine engine;

  /** An open-schema namespace (Cypher declares what it writes). */
  public static TestGraph open() {
    TestGraph g = new TestGraph();
    g.schema("{\"mode\":\"open\"}");
    return g;
  }

  /** A strict namespace with this schema. */
  public static TestGraph strict(String schemaJson) {
    TestGraph g = new TestGraph();
    g.schema(schemaJson);
    return g;
  }

  private TestGraph() {
    WriterConfig config =
        WriterConfig.defaults()
            .withGroupCommit(Duration.ZERO, WriterConfig.defaults().groupCommitMaxBytes());
    writer = NamespaceWriter.open(store, config);
    engine = new QueryEngine(GraphStore.of(writer, store::stats), QueryOptions.defaults(), 1);
  }

  public void schema(String json) {
    try {
      writer.evolveSchema(JSON.readTree(json));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public QueryResult run(String query) {
    return run(query, Map.of());
  }

  public QueryResult run(String query, Map<String, Object> params) {
    return engine.executeHere(query, params, QueryOptions.defaults());
  }

  /** The rows of a query. */
  public List<List<Object>> rows(String query) {
    return run(query).rows();
  }

  @Override
  public void close() {
    engine.close();
    writer.close();
  }
}
