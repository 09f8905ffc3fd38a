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
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reads an edge SST ({@link EdgeSstFormat}, versions 1 and 2). Opening reads the trailer and footer
 * (one ranged read of the file's tail, two if the footer is larger than that). A lookup finds the
 * one block that may hold the source from the footer's first keys, then reads that block's bloom
 * filter (once per reader, a few hundred bytes) and, unless it rules the source out, the block: a
 * cold one-hop is three ranged reads. Version 1 files have one bloom filter in the footer instead.
 */
public final class EdgeSstReader {
  private final String object;
  private final RangeSource source;
  private final EdgeSstFooter footer;
  private final AtomicReferenceArray<BloomFilter> blooms;
  private final DecodedCache decoded;

  private EdgeSstReader(
      String object, RangeSource source, EdgeSstFooter footer, DecodedCache decoded) {
    this.object = object;
    this.source = source;
    this.footer = footer;
    this.blooms =
        footer.wholeBloom() == null ? new AtomicReferenceArray<>(footer.firsts().length) : null;
    this.decoded = decoded;
  }

  /**
   * Opens an edge SST.
   *
   * @param object the object's name, for error messages
   * @throws CorruptObjectException if the trailer or footer fails its checks
   * @throws UnsupportedFormatVersionException for a format version this build does not read
   */
  public static EdgeSstReader open(String object, RangeSource source) {
    return open(object, source, DecodedCache.NONE);
  }

  /** As {@link #open(String, RangeSource)}, keeping decoded blocks in {@code decoded}. */
  public static EdgeSstReader open(String object, RangeSource source, DecodedCache decoded) {
    return new EdgeSstReader(object, source, EdgeSstFooter.read(object, source), decoded);
  }

  /** The adjacency list of {@code node} in this SST (tombstones included), in neighbour order. */
  public List<AdjacencyEntry> neighbours(NodeKey node) {
    byte[] key = SortKey.encode(node);
    int i = blockFor(key);
    if (i < 0 || !bloom(i).mightContain(key)) {
      return List.of();
    }
    return block(i).getOrDefault(node, List.of());
  }

  /** The last block whose first source is at most {@code key}, or -1 if there is none. */
  private int blockFor(byte[] key) {
    byte[][] firsts = footer.firsts();
    int lo = 0;
    int hi = firsts.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (SortKey.compare(firsts[mid], key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Block {@code i}'s bloom filter (version 2: read on first use), or the whole file's. */
  private BloomFilter bloom(int i) {
    if (footer.wholeBloom() != null) {
      return footer.wholeBloom();
    }
    BloomFilter bloom = blooms.get(i);
    if (bloom == null) {
      byte[] bytes = readChecked(footer.bloomOffsets()[i], footer.bloomLengths()[i], "bloom " + i);
      int limit = bytes.length - 4;
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, limit))) {
        bloom = BloomFilter.read(in, limit);
        if (in.available() != 0) {
          throw EdgeSstFooter.corrupt(object, "bloom " + i + " has trailing bytes");
        }
      } catch (IOException e) {
        throw new CorruptObjectException(
            "corrupt edge sst bloom " + i + ": " + e.getMessage() + ". object=" + object, e);
      }
      blooms.set(i, bloom);
    }
    return bloom;
  }

  /** Every row, in (source, neighbour) order: for compaction and scans. */
  public List<AdjacencyEntry> all() {
    List<AdjacencyEntry> result = new ArrayList<>();
    for (int i = 0; i < footer.firsts().length; i++) {
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
          byte[] body = body(i);
          Map<NodeKey, List<AdjacencyEntry>> bySource = new LinkedHashMap<>();
          int entries = 0;
          for (List<AdjacencyEntry> list : decodeBody(i, body)) {
            if (!list.isEmpty()) {
              bySource.put(list.get(0).source(), list);
              entries += list.size();
            }
          }
          return new DecodedCache.Weighed<>(bySource, body.length * 3 + 96 * entries);
        });
  }

  /** Block {@code i}'s body, checked and uncompressed. */
  private byte[] body(int i) {
    byte[] block = readChecked(footer.blockOffsets()[i], footer.blockLengths()[i], "block " + i);
    if (footer.version() == 1) {
      return Arrays.copyOf(block, block.length - 4);
    }
    int limit = block.length - 4;
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(block, 1, limit - 1));
      int codec = block[0] & 0xff;
      int rawLength = Varints.readLength(in, Integer.MAX_VALUE);
      int payloadAt = limit - in.available();
      return BlockCodec.decode(codec, rawLength, block, payloadAt, limit - payloadAt);
    } catch (IOException e) {
      throw new CorruptObjectException(
          "corrupt edge sst block " + i + ": " + e.getMessage() + ". object=" + object, e);
    }
  }

  private byte[] readChecked(long offset, int length, String what) {
    byte[] bytes = source.read(offset, length);
    if (bytes.length != length) {
      throw EdgeSstFooter.corrupt(object, what + " short read " + bytes.length);
    }
    EdgeSstFooter.checkCrc(object, what, bytes);
    return bytes;
  }

  private List<List<AdjacencyEntry>> decodeBody(int i, byte[] body) {
    int limit = body.length;
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
      int count = Varints.readLength(in, limit);
      List<List<AdjacencyEntry>> lists = new ArrayList<>(count);
      byte[] previous = new byte[0];
      for (int s = 0; s < count; s++) {
        byte[] sourceKey = EdgeSstFooter.readKey(in, previous, limit);
        if (s == 0 && SortKey.compare(sourceKey, footer.firsts()[i]) != 0) {
          throw EdgeSstFooter.corrupt(object, "block " + i + " does not start at its first key");
        }
        if (s > 0 && SortKey.compare(sourceKey, previous) <= 0) {
          throw EdgeSstFooter.corrupt(object, "block " + i + " sources out of order");
        }
        previous = sourceKey;
        NodeKey src = SortKey.decode(sourceKey);
        int neighbours = Varints.readLength(in, limit);
        List<AdjacencyEntry> list = new ArrayList<>(neighbours);
        byte[] prevNeighbour = new byte[0];
        for (int n = 0; n < neighbours; n++) {
          byte[] nk = EdgeSstFooter.readKey(in, prevNeighbour, limit);
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
        throw EdgeSstFooter.corrupt(
            object, "block " + i + " has " + in.available() + " trailing bytes");
      }
      return lists;
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptObjectException(
          "corrupt edge sst block " + i + ": " + e.getMessage() + ". object=" + object, e);
    }
  }

  public long rows() {
    return footer.rows();
  }

  public long sources() {
    return footer.sources();
  }

  public int blocks() {
    return footer.firsts().length;
  }

  /** The format version this SST was written in. */
  public int version() {
    return footer.version();
  }
}
