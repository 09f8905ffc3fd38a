package io.namidb.engine.sst;

import io.namidb.engine.graph.Direction;
import java.util.Locale;

/**
 * Object names of SSTs (DESIGN §3). The id is {@code <epoch:20>-<sequence:8>}: unique per writer
 * epoch, and ordered by age, so "newest first" is descending id order.
 */
public final class SstNames {
  private SstNames() {}

  public static String id(long epoch, long sequence) {
    return String.format("%020d-%08d", epoch, sequence);
  }

  public static String node(String label, String id) {
    return "sst/nodes/" + label + "/" + id + ".parquet";
  }

  public static String edge(String type, String id, Direction direction) {
    return "sst/edges/"
        + type
        + "/"
        + id
        + "."
        + direction.name().toLowerCase(Locale.ROOT)
        + ".edg";
  }

  /** The id part of an SST key made by this class. */
  public static String idOf(String key) {
    String file = key.substring(key.lastIndexOf('/') + 1);
    return file.substring(0, file.indexOf('.'));
  }
}
