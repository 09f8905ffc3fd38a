package io.namidb.query;

import io.namidb.engine.DaemonThreads;
import io.namidb.engine.NamiException;
import io.namidb.engine.graph.PinnedView;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.Schema;
import io.namidb.query.ast.Statement;
import io.namidb.query.eval.Ctx;
import io.namidb.query.graph.GraphStore;
import io.namidb.query.graph.QueryStats;
import io.namidb.query.graph.SchemaInference;
import io.namidb.query.graph.Tx;
import io.namidb.query.parse.CypherParser;
import io.namidb.query.plan.Op;
import io.namidb.query.plan.Planner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs Cypher against one {@link GraphStore}.
 *
 * <ul>
 *   <li><b>Prepare.</b> {@link #prepare} parses and plans; plans are cached by query text (the
 *       parameters are not part of a plan), so a prepared, parameterised query is planned once.
 *   <li><b>Run.</b> Queries run on the engine's own threads ({@code nami-query-N}), never on the
 *       commit path's, and not on the caller's, except reads whose plan does bounded work (a count
 *       of one or two hops from one node, {@code PathCount}): those run on the caller's thread,
 *       because the hand-off would cost more than the query. Reads run side by side on the view of
 *       the moment they start; writing queries run one at a time, and each commits all its writes
 *       as one batch (one WAL segment, atomic, answered once durable).
 *   <li><b>Guard rails.</b> A timeout per query (its thread stops at its next check), a limit on
 *       result rows and on rows held in memory ({@link QueryOptions}).
 * </ul>
 */
public final class QueryEngine implements AutoCloseable {
  private static final int PLAN_CACHE_SIZE = 1024;

  private final GraphStore store;
  private final QueryOptions defaults;
  private final ThreadPoolExecutor executor;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final Map<String, Prepared> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
          return size() > PLAN_CACHE_SIZE;
        }
      };

  public QueryEngine(GraphStore store, QueryOptions defaults, int threads) {
    this.store = store;
    this.defaults = defaults;
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256),
            DaemonThreads.numbered("nami-query-"));
    this.executor.allowCoreThreadTimeOut(true);
  }

  public QueryEngine(GraphStore store) {
    this(store, QueryOptions.defaults(), Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  public QueryOptions defaults() {
    return defaults;
  }

  /** A parsed and planned query. */
  public static final class Prepared {
    private final Statement statement;
    private final Planner.Plan plan;
    private final long planNanos;

    Prepared(Statement statement, Planner.Plan plan, long planNanos) {
      this.statement = statement;
      this.plan = plan;
      this.planNanos = planNanos;
    }

    /** Whether the query writes nothing: the {@code read} role may run it. */
    public boolean isReadOnly() {
      return plan.readOnly();
    }

    public List<String> columns() {
      return plan.columns();
    }

    /** Time parsing and planning took, in nanoseconds. */
    public long planNanos() {
      return planNanos;
    }
  }

  /** Parses and plans, or takes the plan from the cache. */
  public Prepared prepare(String query) {
    synchronized (cache) {
      Prepared p = cache.get(query);
      if (p != null) {
        return p;
      }
    }
    Prepared p = prepareUncached(query);
    if (p.statement.mode() != Statement.Mode.PROFILE) {
      synchronized (cache) {
        cache.put(query, p);
      }
    }
    return p;
  }

  /** Parses and plans without the cache (a PROFILE plan counts rows, so it is never shared). */
  public static Prepared prepareUncached(String query) {
    if (query == null || query.isBlank()) {
      throw CypherException.syntax("the query is empty", 1, 1);
    }
    long start = System.nanoTime();
    Statement st = CypherParser.parse(query);
    Planner.Plan plan = Planner.plan(st);
    return new Prepared(st, plan, System.nanoTime() - start);
  }

  /** Runs a query with the default guard rails. */
  public QueryResult execute(String query, Map<String, Object> params) {
    return execute(query, params, defaults);
  }

  /**
   * Runs a query on the engine's threads and waits for it.
   *
   * @throws CypherException an invalid, unsupported, failed, timed-out or too large query
   * @throws NamiException from the store (e.g. FENCED, or a batch the schema refuses)
   */
  public QueryResult execute(String query, Map<String, Object> params, QueryOptions options) {
    Prepared p = prepare(query);
    if (p.statement.mode() == Statement.Mode.PROFILE) {
      p = prepareUncached(query);
    }
    Prepared prepared = p;
    if (!prepared.isReadOnly() && !store.writable()) {
      throw CypherException.runtime(
          "Forbidden",
          "ReadOnly",
          "this query writes, but runs read-only (a reader snapshot, or without --write)");
    }
    long deadline = System.nanoTime() + options.timeout().toNanos();
    AtomicReference<Ctx> running = new AtomicReference<>();
    if (prepared.isReadOnly()
        && prepared.statement.mode() == Statement.Mode.RUN
        && prepared.plan.root().boundedWork()) {
      // a bounded read (a PathCount): the hand-off to the executor and back would cost more than
      // the query; it cannot run away, and a reader never touches the commit path
      return run(prepared, params, options, deadline, running);
    }
    Future<QueryResult> f;
    try {
      f = executor.submit(() -> run(prepared, params, options, deadline, running));
    } catch (RejectedExecutionException e) {
      throw new NamiException(
          NamiException.Kind.TRANSIENT, "too many queries waiting; retry later. waiting=256");
    }
    try {
      return f.get(options.timeout().toNanos() + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      Ctx c = running.get();
      if (c != null) {
        c.cancel();
      }
      f.cancel(false);
      throw CypherException.timeout(
          "query ran past its time limit. timeout=" + options.timeout().toMillis() + "ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw CypherException.timeout("interrupted while waiting for the query");
    } catch (CancellationException e) {
      throw CypherException.timeout("query cancelled");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new NamiException(NamiException.Kind.INTERNAL, "query failed. cause=" + cause, cause);
    }
  }

  /** Runs a query on the calling thread (tests and the TCK use it; the writer does not). */
  public QueryResult executeHere(String query, Map<String, Object> params, QueryOptions options) {
    Prepared p = prepare(query);
    if (p.statement.mode() == Statement.Mode.PROFILE) {
      p = prepareUncached(query);
    }
    if (!p.isReadOnly() && !store.writable()) {
      throw CypherException.runtime(
          "Forbidden", "ReadOnly", "this query writes, but the store is read-only");
    }
    return run(
        p,
        params,
        options,
        System.nanoTime() + options.timeout().toNanos(),
        new AtomicReference<>());
  }

  private QueryResult run(
      Prepared p,
      Map<String, Object> params,
      QueryOptions options,
      long deadline,
      AtomicReference<Ctx> running) {
    boolean writes = !p.isReadOnly();
    if (writes) {
      writeLock.lock();
    }
    // one snapshot for the whole query, kept by the writer's GC until the query ends
    try (PinnedView snapshot = store.pinnedView()) {
      Schema schema = store.schema();
      QueryStats stats = new QueryStats();
      Tx tx = new Tx(snapshot.view(), schema, stats);
      Ctx ctx = new Ctx(tx, Params.fromUser(params), deadline, options.maxHeldRows());
      running.set(ctx);
      ctx.check();
      Op root = p.plan.root();
      Statement.Mode mode = p.statement.mode();
      List<List<Object>> rows = new ArrayList<>();
      if (mode != Statement.Mode.EXPLAIN) {
        if (mode == Statement.Mode.PROFILE) {
          ctx.profile(() -> store.storeStats().gets());
        }
        Iterator<Object[]> it = root.open(ctx, ctx.profileGets());
        while (it.hasNext()) {
          Object[] r = it.next();
          ctx.tick();
          if (rows.size() >= options.maxRows()) {
            throw CypherException.tooLarge(
                "query returned more rows than allowed. limit="
                    + options.maxRows()
                    + " (add LIMIT, or page with SKIP)");
          }
          rows.add(Render.row(r, tx));
        }
      }
      Map<String, Object> out = QueryStats.NO_WRITES;
      if (stats.containsUpdates() || tx.hasWrites()) {
        out = new LinkedHashMap<>(stats.writes());
        if (tx.hasWrites()) {
          out.put("lsn", commit(tx));
        }
      }
      QueryResult.PlanNode plan =
          mode == Statement.Mode.RUN ? null : planNode(root, mode == Statement.Mode.PROFILE);
      return new QueryResult(p.plan.columns(), rows, out, plan);
    } finally {
      if (writes) {
        writeLock.unlock();
      }
    }
  }

  /** Commits the query's writes as one batch; in open schema mode declares what it uses first. */
  private long commit(Tx tx) {
    WriteBatch batch = tx.batch();
    if (batch.isEmpty()) {
      return -1;
    }
    Schema schema = tx.schema();
    if (schema.isOpen()) {
      SchemaInference.Result inferred = SchemaInference.infer(schema, batch);
      if (inferred.additions() != null) {
        schema = store.evolveSchema(inferred.additions().toJson());
      }
      batch = inferred.batch();
    }
    schema.validate(batch);
    try {
      return store.write(batch).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NamiException(NamiException.Kind.TRANSIENT, "interrupted while committing");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new NamiException(
          NamiException.Kind.INTERNAL, "commit failed. cause=" + e.getCause(), e.getCause());
    }
  }

  private static QueryResult.PlanNode planNode(Op op, boolean profiled) {
    List<QueryResult.PlanNode> children = new ArrayList<>();
    for (Op c : op.children()) {
      children.add(planNode(c, profiled));
    }
    return new QueryResult.PlanNode(
        op.describe(),
        profiled ? op.profiledRows() : null,
        profiled ? op.profiledGets() : null,
        children);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
