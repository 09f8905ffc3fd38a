package io.namidb.engine.sst;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.UnsupportedFormatVersionException;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads an edge SST ({@link EdgeSstFormat}). Opening reads the trailer and footer (one ranged read
 * of the file's tail, two if the footer is larger than that); a lookup then costs at most one
 * ranged read of one block, none when the bloom filter rules the source out.
 */
public final class EdgeSstReader {
  /** How much of the tail the first read fetches, hoping to get the whole footer at once. */
  static final int TAIL_READ = 64 * 1024;

  private final String object;
  private final RangeSource source;
  private final List<EdgeSstWriter.IndexEntry> index;
  private final BloomFilter bloom;
  private final long rows;
  private final long sources;
  private final DecodedCache decoded;

  private EdgeSstReader(
      String object,
      RangeSource source,
      List<EdgeSstWriter.IndexEntry> index,
      BloomFilter bloom,
      long rows,
      long sources,
      DecodedCache decoded) {
    this.object = object;
    this.decoded = decoded;
    this.source = source;
    this.index = index;
    this.bloom = bloom;
    this.rows = rows;
    this.sources = sources;
  }

  /**
   * Opens an edge SST.
   *
   * @param object the object's name, for error messages
   * @throws CorruptObjectException if the trailer or footer fails its checks
   * @throws UnsupportedFormatVersionException for an unknown format version
   */
  public static EdgeSstReader open(String object, RangeSource source) {
    return open(object, source, DecodedCache.NONE);
  }

  /** As {@link #open(String, RangeSource)}, keeping decoded blocks in {@code decoded}. */
  public static EdgeSstReader open(String object, RangeSource source, DecodedCache decoded) {
    long size = source.size();
    if (size < EdgeSstFormat.MAGIC.length + EdgeSstFormat.TRAILER_SIZE) {
      throw corrupt(object, "too short. size=" + size);
    }
    int tailLength = (int) Math.min(size, TAIL_READ);
    byte[] tail = source.read(size - tailLength, tailLength);
    int t = tail.length - EdgeSstFormat.TRAILER_SIZE;
    if (!Arrays.equals(
        tail, t + 12, t + 20, EdgeSstFormat.TRAILER_MAGIC, 0, EdgeSstFormat.TRAILER_MAGIC.length)) {
      throw corrupt(object, "trailer magic missing (torn or not an edge SST)");
    }
    long footerOffset = readLong(tail, t);
    int footerLength = readInt(tail, t + 8);
    if (footerOffset < EdgeSstFormat.MAGIC.length
        || footerLength < 4
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
    }
    checkCrc(object, "footer", footer);
    try {
      DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(footer, 0, footer.length - 4));
      int version = in.readUnsignedShort();
      if (version != EdgeSstFormat.VERSION) {
        throw new UnsupportedFormatVersionException(
            "edge sst", object, version, EdgeSstFormat.VERSION, EdgeSstFormat.VERSION);
      }
      int blocks = in.readInt();
      if (blocks < 0 || blocks > footer.length) {
        throw corrupt(object, "bad block count " + blocks);
      }
      List<EdgeSstWriter.IndexEntry> index = new ArrayList<>(blocks);
      for (int i = 0; i < blocks; i++) {
        byte[] first = new byte[Varints.readLength(in, footer.length)];
        in.readFully(first);
        byte[] last = new byte[Varints.readLength(in, footer.length)];
        in.readFully(last);
        long offset = in.readLong();
        int length = in.readInt();
        if (offset < 0 || length < 4 || offset + length > footerOffset) {
          throw corrupt(object, "block " + i + " out of bounds");
        }
        index.add(new EdgeSstWriter.IndexEntry(first, last, offset, length));
      }
      BloomFilter bloom = BloomFilter.read(in, footer.length);
      long rows = in.readLong();
      long sources = in.readLong();
      return new EdgeSstReader(object, source, List.copyOf(index), bloom, rows, sources, decoded);
    } catch (IOException e) {
      throw new CorruptObjectException(
          "corrupt edge sst footer: " + e.getMessage() + ". object=" + object, e);
    }
  }

  /** The adjacency list of {@code node} in this SST (tombstones included), in neighbour order. */
  public List<AdjacencyEntry> neighbours(NodeKey node) {
    byte[] key = SortKey.encode(node);
    if (!bloom.mightContain(key)) {
      return List.of();
    }
    int lo = 0;
    int hi = index.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      EdgeSstWriter.IndexEntry e = index.get(mid);
      if (SortKey.compare(key, e.first()) < 0) {
        hi = mid - 1;
      } else if (SortKey.compare(key, e.last()) > 0) {
        lo = mid + 1;
      } else {
        return block(mid).getOrDefault(node, List.of());
      }
    }
    return List.of();
  }

  /** Every row, in (source, neighbour) order: for compaction and scans. */
  public List<AdjacencyEntry> all() {
    List<AdjacencyEntry> result = new ArrayList<>();
    for (int i = 0; i < index.size(); i++) {
      for (List<AdjacencyEntry> list : block(i).values()) {
        result.addAll(list);
      }
    }
    return result;
  }

  /** A block's adjacency lists by source, in source order, decoded once per cache lifetime. */
  private Map<NodeKey, List<AdjacencyEntry>> block(int i) {
    return decoded.get(
        object,
        i,
        () -> {
          Map<NodeKey, List<AdjacencyEntry>> bySource = new LinkedHashMap<>();
          int entries = 0;
          for (List<AdjacencyEntry> list : decodeBlock(i)) {
            if (!list.isEmpty()) {
              bySource.put(list.get(0).source(), list);
              entries += list.size();
            }
          }
          return new DecodedCache.Weighed<>(bySource, index.get(i).length() * 3 + 96 * entries);
        });
  }

  private List<List<AdjacencyEntry>> decodeBlock(int i) {
    EdgeSstWriter.IndexEntry entry = index.get(i);
    byte[] block = source.read(entry.offset(), entry.length());
    if (block.length != entry.length()) {
      throw corrupt(object, "block " + i + " short read " + block.length);
    }
    checkCrc(object, "block " + i, block);
    try {
      int limit = block.length - 4;
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(block, 0, limit));
      int count = Varints.readLength(in, limit);
      List<List<AdjacencyEntry>> lists = new ArrayList<>(count);
      byte[] previous = new byte[0];
      for (int s = 0; s < count; s++) {
        byte[] sourceKey = readKey(in, previous, limit);
        previous = sourceKey;
        NodeKey src = SortKey.decode(sourceKey);
        int neighbours = Varints.readLength(in, limit);
        List<AdjacencyEntry> list = new ArrayList<>(neighbours);
        byte[] prevNeighbour = new byte[0];
        for (int n = 0; n < neighbours; n++) {
          byte[] nk = readKey(in, prevNeighbour, limit);
          prevNeighbour = nk;
          int flags = in.readUnsignedByte();
          boolean tombstone = (flags & EdgeSstFormat.FLAG_TOMBSTONE) != 0;
          Map<String, Object> props = Map.of();
          if (!tombstone) {
            int count2 = Varints.readLength(in, limit);
            props = new LinkedHashMap<>();
            for (int p = 0; p < count2; p++) {
              props.put(ValueCodec.readString(in, limit), ValueCodec.read(in, limit));
            }
          }
          list.add(new AdjacencyEntry(src, SortKey.decode(nk), props, tombstone));
        }
        lists.add(list);
      }
      if (in.available() != 0) {
        throw corrupt(object, "block " + i + " has " + in.available() + " trailing bytes");
      }
      return lists;
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptObjectException(
          "corrupt edge sst block " + i + ": " + e.getMessage() + ". object=" + object, e);
    }
  }

  private static byte[] readKey(DataInputStream in, byte[] previous, int limit) throws IOException {
    int shared = Varints.readLength(in, previous.length);
    int suffix = Varints.readLength(in, limit);
    byte[] key = Arrays.copyOf(previous, shared + suffix);
    in.readFully(key, shared, suffix);
    return key;
  }

  public long rows() {
    return rows;
  }

  public long sources() {
    return sources;
  }

  public int blocks() {
    return index.size();
  }

  private static void checkCrc(String object, String what, byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != readInt(bytes, bytes.length - 4)) {
      throw corrupt(object, what + " checksum mismatch");
    }
  }

  private static CorruptObjectException corrupt(String object, String what) {
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
