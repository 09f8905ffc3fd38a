package io.namidb.query.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a query did: entities and properties written ({@code stats} of the answer) and reads of the
 * graph by kind (for PROFILE). Filled by one query thread.
 */
public final class QueryStats {
  public long nodesCreated;
  public long nodesDeleted;
  public long relationshipsCreated;
  public long relationshipsDeleted;
  public long propertiesSet;
  public long labelsAdded;
  public long labelsRemoved;

  /** Reads: point lookups, label scans, index seeks, adjacency expansions. */
  public long lookups;

  public long scans;
  public long seeks;
  public long expands;

  /** Whether anything was written. */
  public boolean containsUpdates() {
    return nodesCreated
            + nodesDeleted
            + relationshipsCreated
            + relationshipsDeleted
            + propertiesSet
            + labelsAdded
            + labelsRemoved
        > 0;
  }

  /** {@link #writes()} of a query that wrote nothing (shared, unmodifiable). */
  public static final Map<String, Object> NO_WRITES =
      java.util.Collections.unmodifiableMap(new LinkedHashMap<>(new QueryStats().writes()));

  /** The write counters by name, in a stable order (the {@code stats} of the HTTP answer). */
  public Map<String, Long> writes() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("nodesCreated", nodesCreated);
    m.put("nodesDeleted", nodesDeleted);
    m.put("relationshipsCreated", relationshipsCreated);
    m.put("relationshipsDeleted", relationshipsDeleted);
    m.put("propertiesSet", propertiesSet);
    m.put("labelsAdded", labelsAdded);
    m.put("labelsRemoved", labelsRemoved);
    return m;
  }
}
