package io.namidb.engine.sst;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.UnsupportedFormatVersionException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * An edge SST's trailer and footer, parsed ({@link EdgeSstFormat}, versions 1 and 2): where each
 * block and its bloom filter lie, and each block's first source key. Version 1 has no per-block
 * bloom filters but one of the whole file, {@code wholeBloom}; {@code bloomOffsets} and {@code
 * bloomLengths} are null then.
 */
record EdgeSstFooter(
    int version,
    byte[][] firsts,
    long[] blockOffsets,
    int[] blockLengths,
    long[] bloomOffsets,
    int[] bloomLengths,
    BloomFilter wholeBloom,
    long rows,
    long sources) {
  /**
   * How much of an SST's tail the first read fetches: enough for the trailer and a version 2 footer
   * of a file of {@code size} bytes (its index grows with the number of blocks, about 10 bytes per
   * block of 8 to 16 KiB), so that opening is one ranged read.
   */
  static int tailRead(long size) {
    return (int) Math.min(size, 4096 + size / 512);
  }

  static EdgeSstFooter read(String object, RangeSource source) {
    long size = source.size();
    if (size < EdgeSstFormat.MAGIC.length + EdgeSstFormat.TRAILER_SIZE) {
      throw corrupt(object, "too short. size=" + size);
    }
    int tailLength = tailRead(size);
    byte[] tail = source.read(size - tailLength, tailLength);
    if (tail.length != tailLength) {
      throw corrupt(object, "short read of the tail " + tail.length);
    }
    int t = tail.length - EdgeSstFormat.TRAILER_SIZE;
    if (!Arrays.equals(
        tail, t + 12, t + 20, EdgeSstFormat.TRAILER_MAGIC, 0, EdgeSstFormat.TRAILER_MAGIC.length)) {
      throw corrupt(object, "trailer magic missing (torn or not an edge SST)");
    }
    long footerOffset = readLong(tail, t);
    int footerLength = readInt(tail, t + 8);
    if (footerOffset < EdgeSstFormat.MAGIC.length
        || footerLength < 6
        || footerOffset + footerLength != size - EdgeSstFormat.TRAILER_SIZE) {
      throw corrupt(object, "bad trailer footerOffset=" + footerOffset + " length=" + footerLength);
    }
    byte[] footer;
    long tailStart = size - tailLength;
    if (footerOffset >= tailStart) {
      int at = (int) (footerOffset - tailStart);
      footer = Arrays.copyOfRange(tail, at, at + footerLength);
    } else {
      footer = source.read(footerOffset, footerLength);
      if (footer.length != footerLength) {
        throw corrupt(object, "short read of the footer " + footer.length);
      }
    }
    checkCrc(object, "footer", footer);
    int version = ((footer[0] & 0xff) << 8) | (footer[1] & 0xff);
    if (version < EdgeSstFormat.MIN_VERSION || version > EdgeSstFormat.VERSION) {
      throw new UnsupportedFormatVersionException(
          "edge sst", object, version, EdgeSstFormat.MIN_VERSION, EdgeSstFormat.VERSION);
    }
    int limit = footer.length - 4;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(footer, 2, limit - 2))) {
      EdgeSstFooter parsed =
          version == 1
              ? readV1(object, in, limit, footerOffset)
              : readV2(object, in, limit, footerOffset);
      if (in.available() != 0) {
        throw corrupt(object, "footer has " + in.available() + " trailing bytes");
      }
      return parsed;
    } catch (IOException e) {
      throw new CorruptObjectException(
          "corrupt edge sst footer: " + e.getMessage() + ". object=" + object, e);
    }
  }

  private static EdgeSstFooter readV2(
      String object, DataInputStream in, int limit, long footerOffset) throws IOException {
    long at = Varints.read(in);
    int blocks = Varints.readLength(in, limit);
    long rows = Varints.read(in);
    long sources = Varints.read(in);
    if (at < EdgeSstFormat.MAGIC.length || at > footerOffset) {
      throw corrupt(object, "bad dataStart " + at);
    }
    byte[][] firsts = new byte[blocks][];
    long[] blockOffsets = new long[blocks];
    int[] blockLengths = new int[blocks];
    int[] bloomLengths = new int[blocks];
    byte[] previous = new byte[0];
    for (int i = 0; i < blocks; i++) {
      byte[] first = readKey(in, previous, limit);
      if (i > 0 && SortKey.compare(first, previous) <= 0) {
        throw corrupt(object, "block " + i + " first key out of order");
      }
      firsts[i] = first;
      previous = first;
      blockLengths[i] = Varints.readLength(in, Integer.MAX_VALUE);
      bloomLengths[i] = Varints.readLength(in, Integer.MAX_VALUE);
      if (blockLengths[i] < 6 || bloomLengths[i] < 5 + 8 + 4) {
        throw corrupt(object, "block " + i + " too short");
      }
      blockOffsets[i] = at;
      at += blockLengths[i];
      if (at > footerOffset) {
        throw corrupt(object, "block " + i + " out of bounds");
      }
    }
    long[] bloomOffsets = new long[blocks];
    for (int i = 0; i < blocks; i++) {
      bloomOffsets[i] = at;
      at += bloomLengths[i];
      if (at > footerOffset) {
        throw corrupt(object, "bloom filter " + i + " out of bounds");
      }
    }
    if (at != footerOffset) {
      throw corrupt(object, "blocks and bloom filters end at " + at + ", not at the footer");
    }
    return new EdgeSstFooter(
        2, firsts, blockOffsets, blockLengths, bloomOffsets, bloomLengths, null, rows, sources);
  }

  private static EdgeSstFooter readV1(
      String object, DataInputStream in, int limit, long footerOffset) throws IOException {
    int blocks = in.readInt();
    if (blocks < 0 || blocks > limit) {
      throw corrupt(object, "bad block count " + blocks);
    }
    byte[][] firsts = new byte[blocks][];
    long[] blockOffsets = new long[blocks];
    int[] blockLengths = new int[blocks];
    for (int i = 0; i < blocks; i++) {
      byte[] first = new byte[Varints.readLength(in, limit)];
      in.readFully(first);
      in.skipNBytes(Varints.readLength(in, limit)); // the block's last key: not needed
      long offset = in.readLong();
      int length = in.readInt();
      if (offset < 0 || length < 4 || offset + length > footerOffset) {
        throw corrupt(object, "block " + i + " out of bounds");
      }
      if (i > 0 && SortKey.compare(first, firsts[i - 1]) <= 0) {
        throw corrupt(object, "block " + i + " first key out of order");
      }
      firsts[i] = first;
      blockOffsets[i] = offset;
      blockLengths[i] = length;
    }
    BloomFilter bloom = BloomFilter.read(in, limit);
    long rows = in.readLong();
    long sources = in.readLong();
    return new EdgeSstFooter(
        1, firsts, blockOffsets, blockLengths, null, null, bloom, rows, sources);
  }

  static byte[] readKey(DataInputStream in, byte[] previous, int limit) throws IOException {
    int shared = Varints.readLength(in, previous.length);
    int suffix = Varints.readLength(in, limit);
    byte[] key = Arrays.copyOf(previous, shared + suffix);
    in.readFully(key, shared, suffix);
    return key;
  }

  static void checkCrc(String object, String what, byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != readInt(bytes, bytes.length - 4)) {
      throw corrupt(object, what + " checksum mismatch");
    }
  }

  static CorruptObjectException corrupt(String object, String what) {
    return new CorruptObjectException("corrupt edge sst: " + what + ". object=" + object);
  }

  static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  static long readLong(byte[] b, int at) {
    return ((long) readInt(b, at) << 32) | (readInt(b, at + 4) & 0xffffffffL);
  }
}
