package io.namidb.bench.harness;

/**
 * One engine's answers to the probes, in probe order: the outgoing degree ({@code KNOWS} edges out
 * of the probe) and the two-hop distinct count (distinct nodes at the end of exactly two outgoing
 * {@code KNOWS} hops; the probe itself counts when it is one of them).
 *
 * @param column the engine's table column
 * @param oneHop outgoing degree per probe
 * @param twoHop two-hop distinct count per probe
 */
public record Answers(String column, long[] oneHop, long[] twoHop) {

  /** The reference answers, computed from the generated graph itself. */
  public static Answers of(GraphGenerator.Graph graph, long[] probes) {
    int n = graph.nodes();
    int[] degree = graph.outDegrees();
    int[] start = new int[n + 1];
    for (int i = 0; i < n; i++) {
      start[i + 1] = start[i] + degree[i];
    }
    // edges are sorted by from, so the to column is already a CSR neighbour array
    long[] to = graph.edgeTo();
    long[] one = new long[probes.length];
    long[] two = new long[probes.length];
    int[] seenIn = new int[n];
    for (int p = 0; p < probes.length; p++) {
      int from = (int) probes[p];
      one[p] = degree[from];
      int stamp = p + 1;
      long distinct = 0;
      for (int i = start[from]; i < start[from + 1]; i++) {
        int mid = (int) to[i];
        for (int j = start[mid]; j < start[mid + 1]; j++) {
          int end = (int) to[j];
          if (seenIn[end] != stamp) {
            seenIn[end] = stamp;
            distinct++;
          }
        }
      }
      two[p] = distinct;
    }
    return new Answers("generator", one, two);
  }
}
