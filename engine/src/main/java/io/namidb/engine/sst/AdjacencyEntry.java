package io.namidb.engine.sst;

import io.namidb.engine.model.NodeKey;
import java.util.Map;

/**
 * One row of an edge SST: the edge between {@code source} and {@code neighbour} (for an {@code out}
 * SST, source = from; for {@code in}, source = to), its props, or a tombstone shadowing older
 * versions.
 */
public record AdjacencyEntry(
    NodeKey source, NodeKey neighbour, Map<String, Object> props, boolean tombstone) {}
