package io.namidb.engine.sst;

import io.namidb.engine.model.NodeKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte-comparable encoding of a {@link NodeKey}: unsigned lexicographic order of the bytes is the
 * order of SSTs, block indexes and bloom filters.
 *
 * <pre>
 * sortKey = label-utf8 0x00 (0x01 int64-be-with-sign-bit-flipped | 0x02 key-utf8)
 * </pre>
 *
 * Labels contain no NUL (schema identifiers), so the separator keeps label order. INT64 keys sort
 * numerically and before STRING keys of the same label.
 */
public final class SortKey {
  /** The type byte after the label's separator. */
  private static final byte INT64 = 1;

  private static final byte STRING = 2;

  private SortKey() {}

  public static byte[] encode(NodeKey key) {
    byte[] label = key.label().getBytes(StandardCharsets.UTF_8);
    // Arrays.copyOf pads with zeros: the separator after the label
    if (key.key() instanceof Long l) {
      byte[] out = Arrays.copyOf(label, label.length + 2 + 8);
      out[label.length + 1] = INT64;
      putInt64(out, label.length + 2, l);
      return out;
    }
    byte[] k = ((String) key.key()).getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(label, label.length + 2 + k.length);
    out[label.length + 1] = STRING;
    System.arraycopy(k, 0, out, label.length + 2, k.length);
    return out;
  }

  /**
   * The bytes every INT64 key of {@code label} starts with; the key's 8 bytes follow ({@link
   * #putInt64}).
   */
  public static byte[] int64Prefix(String label) {
    byte[] utf8 = label.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = Arrays.copyOf(utf8, utf8.length + 2); // separator 0
    prefix[utf8.length + 1] = INT64;
    return prefix;
  }

  /**
   * Writes the 8 bytes of INT64 key {@code key} at {@code offset}: big-endian with the sign bit
   * flipped, so that unsigned byte order is numeric order.
   */
  public static void putInt64(byte[] to, int offset, long key) {
    long flipped = key ^ Long.MIN_VALUE;
    for (int i = 0; i < 8; i++) {
      to[offset + i] = (byte) (flipped >>> (56 - 8 * i));
    }
  }

  public static NodeKey decode(byte[] bytes) {
    int sep = 0;
    while (sep < bytes.length && bytes[sep] != 0) {
      sep++;
    }
    if (sep + 1 >= bytes.length) {
      throw new IllegalArgumentException("not a sort key: no type byte");
    }
    String label = new String(bytes, 0, sep, StandardCharsets.UTF_8);
    int type = bytes[sep + 1];
    int at = sep + 2;
    if (type == INT64) {
      if (bytes.length - at != 8) {
        throw new IllegalArgumentException("not a sort key: int64 key of " + (bytes.length - at));
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (bytes[at + i] & 0xff);
      }
      return new NodeKey(label, v ^ Long.MIN_VALUE);
    }
    if (type == STRING) {
      return new NodeKey(label, new String(bytes, at, bytes.length - at, StandardCharsets.UTF_8));
    }
    throw new IllegalArgumentException("not a sort key: type byte " + type);
  }

  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }
}
