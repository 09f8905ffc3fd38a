package io.namidb.bench.harness;

/**
 * What every engine is asked to do, written as JSON for the peer programs ({@code bench/peers/*}),
 * which read the same field names.
 *
 * @param nodesParquet path of nodes.parquet (key, age, name, emb as a LIST of FLOAT)
 * @param edgesParquet path of edges.parquet (src, dst)
 * @param dbDir an empty directory the engine may keep its databases in
 * @param nodes number of nodes (keys 0..nodes-1; small writes use keys from nodes on)
 * @param edges number of edges
 * @param rounds rounds; each loads the graph afresh and measures every row once
 * @param lookupKeys keys for node by key
 * @param probes keys for the one-hop and two-hop counts, answered by every engine
 * @param oneHopRepeats how often the probes are run for the one-hop figure
 * @param twoHopRepeats how often the probes are run for the two-hop figure (every engine, every
 *     variant: one pass took milliseconds, so a JIT compilation or a GC pause moved the figure)
 * @param minSeconds the least time each warm read figure (node by key, one-hop, two-hop, indexed
 *     vector search) is measured over, every engine and variant: passes are repeated, past the
 *     row's repeats, until it has passed (a figure of a few milliseconds measured the JIT's
 *     progress and the GC more than the query)
 * @param queryVectors vectors for top-10 search
 * @param truth the exact top-10 keys (L2) of each query vector, nearest first
 * @param writeSeconds duration of each small-write run
 * @param concurrencies client counts of the small-write runs
 */
public record PeerSpec(
    String nodesParquet,
    String edgesParquet,
    String dbDir,
    int nodes,
    int edges,
    int rounds,
    long[] lookupKeys,
    long[] probes,
    int oneHopRepeats,
    int twoHopRepeats,
    double minSeconds,
    float[][] queryVectors,
    long[][] truth,
    double writeSeconds,
    int[] concurrencies) {}
