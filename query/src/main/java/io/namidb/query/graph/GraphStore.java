package io.namidb.query.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.namidb.engine.graph.NamespaceReader;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.PinnedView;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.store.StoreStats;
import io.namidb.query.CypherException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What a query runs against: a view to read, the schema, and (for a writer) the way to commit. A
 * writer's store commits through {@link NamespaceWriter#write}; a reader's store refuses writes.
 */
public interface GraphStore {

  /**
   * The current state to read (one view per query), pinned until closed: the writer's GC keeps what
   * it names however long the query runs.
   */
  PinnedView pinnedView();

  /** The schema in force. */
  Schema schema();

  /** Whether {@link #write} and {@link #evolveSchema} work. */
  boolean writable();

  /** Merges an additive schema change, returns the schema now in force. */
  Schema evolveSchema(JsonNode change);

  /** Submits one atomic batch; completes with its LSN once durable. */
  CompletableFuture<Long> write(WriteBatch batch);

  /** Object-store request counters (GETs per operator in PROFILE). */
  StoreStats storeStats();

  /** A writer's namespace: reads its view, commits through it. */
  static GraphStore of(NamespaceWriter writer, Supplier<StoreStats> stats) {
    return new GraphStore() {
      @Override
      public PinnedView pinnedView() {
        return writer.pinnedView();
      }

      @Override
      public Schema schema() {
        return writer.schema();
      }

      @Override
      public boolean writable() {
        return true;
      }

      @Override
      public Schema evolveSchema(JsonNode change) {
        return writer.evolveSchema(change);
      }

      @Override
      public CompletableFuture<Long> write(WriteBatch batch) {
        return writer.write(batch);
      }

      @Override
      public StoreStats storeStats() {
        return stats.get();
      }
    };
  }

  /**
   * A reader's snapshot: never takes the epoch, refuses writes. The schema is the snapshot
   * manifest's.
   */
  static GraphStore of(NamespaceReader reader, Supplier<StoreStats> stats) {
    return new GraphStore() {
      /** The schema of the last manifest seen, parsed once (not once per query). */
      private volatile Map.Entry<Manifest, Schema> parsed;

      @Override
      public PinnedView pinnedView() {
        return PinnedView.of(reader.view()); // the reader pins its version while it is open
      }

      @Override
      public Schema schema() {
        Manifest m = reader.view().snapshot().manifest();
        Map.Entry<Manifest, Schema> p = parsed;
        if (p == null || p.getKey() != m) {
          p = Map.entry(m, Schema.fromJson(m.schema()));
          parsed = p;
        }
        return p.getValue();
      }

      @Override
      public boolean writable() {
        return false;
      }

      @Override
      public Schema evolveSchema(JsonNode change) {
        throw readOnly();
      }

      @Override
      public CompletableFuture<Long> write(WriteBatch batch) {
        return CompletableFuture.failedFuture(readOnly());
      }

      @Override
      public StoreStats storeStats() {
        return stats.get();
      }
    };
  }

  private static CypherException readOnly() {
    return CypherException.runtime(
        "Forbidden",
        "ReadOnly",
        "this query writes, but runs read-only (a reader snapshot, or without --write)");
  }
}
