package io.namidb.bench.harness;

import java.util.Arrays;

/**
 * The rows of the side-by-side table, in table order. Engines report figures under a row's {@link
 * #id}, which the peer programs use as well.
 */
public enum Row {
  BULK("bulk", "bulk load of nodes and edges", "items/s", true),
  WRITE_1("write-1", "durable small writes, 1 client", "writes/s", true),
  WRITE_16("write-16", "durable small writes, 16 clients", "writes/s", true),
  WRITE_64("write-64", "durable small writes, 64 clients", "writes/s", true),
  WRITE_P50_1("write-p50-1", "durable small write p50, 1 client", "ms", false),
  KEY("key", "warm node by key", "q/s", true),
  HOP1("hop1", "warm one-hop count", "q/s", true),
  HOP2("hop2", "warm two-hop distinct count", "q/s", true),
  INDEX_BUILD("index-build", "adjacency index build before multi-hop reads (NamiDB)", "s", false),
  VECTOR("vector", "vector top-10", "q/s", true),
  RECALL("recall", "vector recall@10 against exact", "", true),
  VECTOR_INDEX_BUILD(
      "vector-index-build",
      "vector index build after the bulk load commit, background (NamiDB)",
      "s",
      false),
  VECTOR_INDEX_LOAD(
      "vector-index-load",
      "vector index load on a reader's first indexed query (NamiDB)",
      "s",
      false),
  VECTOR_INDEX_BYTES(
      "vector-index-bytes", "vector index objects on the store (NamiDB)", "MiB", false),
  BYTES("bytes", "bytes on the store after load", "MiB", false),
  COLD_KEY_GETS("cold-key-gets", "cold node by key: GETs per query", "GETs", false),
  COLD_KEY_BYTES("cold-key-bytes", "cold node by key: bytes read per query", "KiB", false),
  COLD_HOP1_GETS("cold-hop1-gets", "cold one-hop count: GETs per query", "GETs", false),
  COLD_HOP1_BYTES("cold-hop1-bytes", "cold one-hop count: bytes read per query", "KiB", false),
  WAL_PUTS_1("wal-puts-1", "WAL PUTs per 1000 durable writes, 1 client", "PUTs", false),
  WAL_PUTS_16("wal-puts-16", "WAL PUTs per 1000 durable writes, 16 clients", "PUTs", false),
  WAL_PUTS_64("wal-puts-64", "WAL PUTs per 1000 durable writes, 64 clients", "PUTs", false),
  WAL_PUT_16(
      "wal-put-16", "mean time of one WAL segment's PUT (a group commit), 16 clients", "ms", false),
  GROUP_WAIT_16(
      "group-wait-16",
      "mean time a group waited after its first batch for more, 16 clients",
      "ms",
      false),
  RAW_PUT_P50(
      "raw-put-p50",
      "one raw create-if-absent PUT of a 1-write WAL segment's size, p50",
      "ms",
      false),
  LOG_APPEND_P50(
      "log-append-p50",
      "one append of the same size to a preallocated log file + fdatasync, p50 (local dir)",
      "ms",
      false);

  private final String id;
  private final String title;
  private final String unit;
  private final boolean higherIsBetter;

  Row(String id, String title, String unit, boolean higherIsBetter) {
    this.id = id;
    this.title = title;
    this.unit = unit;
    this.higherIsBetter = higherIsBetter;
  }

  /** The id engines report under. */
  public String id() {
    return id;
  }

  /** What the row measures, for the table. */
  public String title() {
    return title;
  }

  /** The unit of its figures. */
  public String unit() {
    return unit;
  }

  /** Whether a larger figure is better (throughput) or worse (cost, latency). */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** The row with this id. */
  public static Row of(String id) {
    return Arrays.stream(values())
        .filter(r -> r.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown row. id=" + id));
  }
}
