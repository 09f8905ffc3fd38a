package io.namidb.writer.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.namidb.engine.graph.PinnedView;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.store.StoreStats;
import io.namidb.query.QueryEngine;
import io.namidb.query.QueryOptions;
import io.namidb.query.QueryResult;
import io.namidb.query.graph.GraphStore;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Cypher for the namespace this process serves ({@code POST /v1/query}): a {@link QueryEngine} over
 * the writer. Every call goes through {@link WriterService#current()}, so a fenced or starting
 * writer answers 503 as the other endpoints do. Queries run on the engine's own threads ({@code
 * nami-query-N}, {@code nami.query.threads}); settings {@code nami.query.timeout} (default 30s, a
 * request may ask for less or up to {@code nami.query.max-timeout}), {@code nami.query.max-rows},
 * {@code nami.query.max-held-rows}.
 */
@ApplicationScoped
public class QueryService {
  @Inject WriterService service;

  @ConfigProperty(name = "nami.query.timeout", defaultValue = "30s")
  Duration timeout;

  @ConfigProperty(name = "nami.query.max-timeout", defaultValue = "5m")
  Duration maxTimeout;

  @ConfigProperty(name = "nami.query.max-rows", defaultValue = "100000")
  long maxRows;

  @ConfigProperty(name = "nami.query.max-held-rows", defaultValue = "1000000")
  long maxHeldRows;

  @ConfigProperty(name = "nami.query.threads", defaultValue = "0")
  int threads;

  private volatile QueryEngine engine;

  /** The engine, made on first use. */
  public QueryEngine engine() {
    QueryEngine e = engine;
    if (e == null) {
      synchronized (this) {
        if (engine == null) {
          int n = threads > 0 ? threads : Math.max(2, Runtime.getRuntime().availableProcessors());
          engine = new QueryEngine(new WriterStore(), options(), n);
        }
        e = engine;
      }
    }
    return e;
  }

  /** The default guard rails. */
  public QueryOptions options() {
    return new QueryOptions(timeout, maxRows, maxHeldRows);
  }

  /** The longest timeout a request may ask for. */
  public Duration maxTimeout() {
    return maxTimeout;
  }

  /**
   * Whether a query writes nothing (parsed and planned, then cached): the {@code read} token role
   * may run only such queries.
   *
   * @throws io.namidb.query.CypherException when the query is invalid
   */
  public boolean isReadOnly(String query) {
    return engine().prepare(query).isReadOnly();
  }

  /** Runs a query. */
  public QueryResult execute(String query, Map<String, Object> params, QueryOptions options) {
    service.current(); // 503 while starting or fenced, before any work
    return engine().execute(query, params, options);
  }

  void onStop(@Observes ShutdownEvent event) {
    QueryEngine e = engine;
    if (e != null) {
      e.close();
    }
  }

  /** The served namespace as a query store: always the current writer. */
  private final class WriterStore implements GraphStore {
    @Override
    public PinnedView pinnedView() {
      return service.current().pinnedView();
    }

    @Override
    public Schema schema() {
      return service.current().schema();
    }

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public Schema evolveSchema(JsonNode change) {
      return service.evolveSchema(change);
    }

    @Override
    public CompletableFuture<Long> write(WriteBatch batch) {
      return service.write(batch);
    }

    @Override
    public StoreStats storeStats() {
      return service.storeStats();
    }
  }
}
