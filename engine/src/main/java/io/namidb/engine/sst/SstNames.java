package io.namidb.engine.sst;

import io.namidb.engine.model.Direction;
import java.util.Comparator;
import java.util.Locale;

/**
 * Object names of SSTs (DESIGN §3). The id is {@code <epoch:20>-<sequence:8+>}: the epoch zero
 * padded to 20 digits, the sequence within the epoch to at least 8 (a sequence of 10⁸ or more
 * simply has more digits). An id is unique per writer epoch and tells the SST's age: "newest first"
 * is descending {@link #OLDEST_FIRST} order, which compares epoch and sequence as numbers. The
 * string order of ids is not their age past sequence 99,999,999.
 */
public final class SstNames {
  /** Ids by age: epoch, then sequence within the epoch, both numerically. */
  public static final Comparator<String> OLDEST_FIRST =
      Comparator.comparingLong(SstNames::epochOf).thenComparingLong(SstNames::sequenceOf);

  private static final int EPOCH_DIGITS = 20;
  private static final String NODE_SUFFIX = ".parquet";
  private static final String VECTOR_INDEX_SUFFIX = ".vix";

  private SstNames() {}

  public static String id(long epoch, long sequence) {
    return String.format("%020d-%08d", epoch, sequence);
  }

  public static String node(String label, String id) {
    return "sst/nodes/" + label + "/" + id + NODE_SUFFIX;
  }

  /**
   * The approximate-search index of one {@code VECTOR} property of a node SST: {@code
   * sst/nodes/<label>/<id>.<property>.vix}, beside the SST, named after it (so never listed in the
   * manifest: {@link #ownerOf} gives the SST it belongs to).
   */
  public static String vectorIndex(String nodeSstKey, String property) {
    return nodeSstKey.substring(0, nodeSstKey.length() - NODE_SUFFIX.length())
        + "."
        + property
        + VECTOR_INDEX_SUFFIX;
  }

  /**
   * The SST an object beside it belongs to ({@link #vectorIndex}), or the key itself for an SST:
   * what GC keeps or deletes together.
   */
  public static String ownerOf(String key) {
    if (!key.endsWith(VECTOR_INDEX_SUFFIX)) {
      return key;
    }
    int slash = key.lastIndexOf('/');
    int dot = key.indexOf('.', slash);
    return key.substring(0, dot) + NODE_SUFFIX;
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

  /**
   * The writer epoch in an id made by {@link #id}.
   *
   * @throws IllegalArgumentException if {@code id} is not of that form
   */
  public static long epochOf(String id) {
    checkForm(id);
    return Long.parseLong(id.substring(0, EPOCH_DIGITS));
  }

  /**
   * The sequence within its epoch in an id made by {@link #id}.
   *
   * @throws IllegalArgumentException if {@code id} is not of that form
   */
  public static long sequenceOf(String id) {
    checkForm(id);
    try {
      return Long.parseLong(id.substring(EPOCH_DIGITS + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an sst id: sequence out of range. id=" + id, e);
    }
  }

  private static void checkForm(String id) {
    int digits = id.length() - EPOCH_DIGITS - 1;
    if (digits < 8 || digits > 19 || id.charAt(EPOCH_DIGITS) != '-' || !digitsOnly(id)) {
      throw new IllegalArgumentException(
          "not an sst id: expected <epoch:20 digits>-<sequence:8 to 19 digits>. id=" + id);
    }
  }

  private static boolean digitsOnly(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (i != EPOCH_DIGITS && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }
}
