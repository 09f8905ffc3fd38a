package io.namidb.engine.sst;

import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.ValueCodec;
import it.unimi.dsi.fastutil.io.FastByteArrayOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes one edge SST in memory ({@link EdgeSstFormat}, the current version). Rows must come in
 * ascending (source, neighbour) {@link SortKey} order, each pair once. Each adjacency list is
 * encoded as it ends; a block is closed once its uncompressed body reaches {@code
 * targetBlockBytes}, so a block holds whole lists and may exceed the target by one list.
 */
public final class EdgeSstWriter {
  private static final byte[] NO_KEY = new byte[0];

  private final String type;
  private final Direction direction;
  private final int targetBlockBytes;
  private final ByteArrayOutputStream file = new ByteArrayOutputStream(1 << 16);
  private final DataOutputStream out = new DataOutputStream(file);
  private final int dataStart;
  private final List<IndexEntry> index = new ArrayList<>();
  private final ByteArrayOutputStream blooms = new ByteArrayOutputStream();
  private long rows;
  private long sources;

  /** The current block: its adjacency lists encoded so far, and their source keys. */
  private final FastByteArrayOutputStream lists = new FastByteArrayOutputStream(1 << 16);

  private final DataOutputStream listsOut = new DataOutputStream(lists);
  private final List<byte[]> blockSources = new ArrayList<>();

  /** The current adjacency list. */
  private byte[] currentSource;

  private final FastByteArrayOutputStream neighbours = new FastByteArrayOutputStream(1 << 10);
  private final DataOutputStream neighboursOut = new DataOutputStream(neighbours);
  private int neighbourCount;
  private byte[] lastNeighbour;

  /**
   * Two arrays that INT64 neighbour keys are written into: each time the one that is not {@link
   * #lastNeighbour}.
   */
  private final byte[][] int64Neighbours = new byte[2][];

  /** A block's first source key, its length and its bloom filter's length (checksums included). */
  private record IndexEntry(byte[] first, int length, int bloomLength) {}

  public EdgeSstWriter(String type, Direction direction, int targetBlockBytes) {
    if (direction == Direction.BOTH) {
      throw new IllegalArgumentException("an edge SST holds one direction");
    }
    this.type = type;
    this.direction = direction;
    this.targetBlockBytes = targetBlockBytes;
    try {
      out.write(EdgeSstFormat.MAGIC);
      out.writeShort(EdgeSstFormat.VERSION);
      out.writeByte(direction.ordinal());
      ValueCodec.writeString(out, type);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dataStart = file.size();
  }

  /**
   * Adds the edge between {@code source} and {@code neighbour} with {@code props}, or a tombstone
   * when {@code props} is null.
   */
  public void add(NodeKey source, NodeKey neighbour, Map<String, Object> props) {
    add(SortKey.encode(source), SortKey.encode(neighbour), props);
  }

  /**
   * As {@link #add(NodeKey, NodeKey, Map)}, with both keys already in {@link SortKey} form (a bulk
   * load encodes each node once, not once per edge). The arrays are kept, not copied.
   */
  public void add(byte[] s, byte[] n, Map<String, Object> props) {
    // The same array is the same source (a bulk load passes one array per node): no compare.
    if (s != currentSource) {
      int order = currentSource == null ? 1 : SortKey.compare(s, currentSource);
      if (order < 0) {
        throw new IllegalArgumentException("sources out of order: " + SortKey.decode(s));
      }
      if (order > 0) {
        closeSource();
        currentSource = s;
        lastNeighbour = null;
      }
    }
    // One pass over the two keys gives both the order check and the shared prefix written.
    byte[] previous = lastNeighbour == null ? NO_KEY : lastNeighbour;
    int shared = sharedPrefix(previous, n);
    if (lastNeighbour != null && !follows(previous, n, shared)) {
      throw new IllegalArgumentException(
          "neighbours out of order or repeated: " + SortKey.decode(n));
    }
    try {
      writeKey(neighboursOut, shared, n);
      neighboursOut.writeByte(props == null ? EdgeSstFormat.FLAG_TOMBSTONE : 0);
      if (props != null) {
        Varints.write(neighboursOut, props.size());
        for (Map.Entry<String, Object> e : props.entrySet()) {
          ValueCodec.writeString(neighboursOut, e.getKey());
          ValueCodec.write(neighboursOut, e.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    neighbourCount++;
    lastNeighbour = n;
    rows++;
  }

  /**
   * As {@link #add(byte[], byte[], Map)}, for a neighbour with an INT64 key: its sort key is {@code
   * neighbourPrefix} ({@link SortKey#int64Prefix}) then {@code neighbourKey}'s 8 bytes. A bulk load
   * passes these from dense arrays instead of one array per node, which it would have to fetch from
   * all over the heap for every edge.
   */
  public void add(byte[] s, byte[] neighbourPrefix, long neighbourKey, Map<String, Object> props) {
    int length = neighbourPrefix.length + 8;
    int free = int64Neighbours[0] == lastNeighbour ? 1 : 0; // also after a refused add
    byte[] n = int64Neighbours[free];
    if (n == null || n.length != length) {
      n = new byte[length];
      int64Neighbours[free] = n;
    }
    System.arraycopy(neighbourPrefix, 0, n, 0, neighbourPrefix.length);
    SortKey.putInt64(n, neighbourPrefix.length, neighbourKey);
    add(s, n, props);
  }

  /** Appends the current adjacency list to the block, closing the block once it is big enough. */
  private void closeSource() {
    if (currentSource == null) {
      return;
    }
    try {
      byte[] previous = blockSources.isEmpty() ? NO_KEY : blockSources.get(blockSources.size() - 1);
      writeKey(listsOut, previous, currentSource);
      Varints.write(listsOut, neighbourCount);
      listsOut.write(neighbours.array, 0, neighbours.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    blockSources.add(currentSource);
    sources++;
    neighbours.reset();
    neighbourCount = 0;
    currentSource = null;
    if (lists.length >= targetBlockBytes) {
      writeBlock();
    }
  }

  private void writeBlock() {
    if (blockSources.isEmpty()) {
      return;
    }
    try {
      ByteArrayOutputStream body = new ByteArrayOutputStream(lists.length + 8);
      DataOutputStream bodyOut = new DataOutputStream(body);
      Varints.write(bodyOut, blockSources.size());
      bodyOut.write(lists.array, 0, lists.length);
      BlockCodec.Encoded encoded = BlockCodec.encode(body.toByteArray());
      ByteArrayOutputStream stored = new ByteArrayOutputStream(encoded.payload().length + 8);
      DataOutputStream storedOut = new DataOutputStream(stored);
      storedOut.writeByte(encoded.codec());
      Varints.write(storedOut, body.size());
      storedOut.write(encoded.payload());
      int length = sealed(out, stored.toByteArray());

      BloomFilter bloom = BloomFilter.forKeys(blockSources.size());
      blockSources.forEach(bloom::add);
      ByteArrayOutputStream bloomBytes = new ByteArrayOutputStream(bloom.sizeInBytes());
      bloom.write(new DataOutputStream(bloomBytes));
      int bloomLength = sealed(new DataOutputStream(blooms), bloomBytes.toByteArray());
      index.add(new IndexEntry(blockSources.get(0), length, bloomLength));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    blockSources.clear();
    lists.reset();
  }

  private static void writeKey(DataOutputStream out, byte[] previous, byte[] key)
      throws IOException {
    writeKey(out, sharedPrefix(previous, key), key);
  }

  /** Writes {@code key} as the length it shares with the key before it, then the rest. */
  private static void writeKey(DataOutputStream out, int shared, byte[] key) throws IOException {
    Varints.write(out, shared);
    Varints.write(out, key.length - shared);
    out.write(key, shared, key.length - shared);
  }

  /** The length of the longest common prefix of {@code a} and {@code b}. */
  private static int sharedPrefix(byte[] a, byte[] b) {
    int max = Math.min(a.length, b.length);
    int shared = Arrays.mismatch(a, 0, max, b, 0, max);
    return shared < 0 ? max : shared;
  }

  /**
   * Whether {@code key} sorts strictly after {@code previous} in {@link SortKey} order (unsigned
   * bytes, a prefix first), given the length they share.
   */
  private static boolean follows(byte[] previous, byte[] key, int shared) {
    if (shared == key.length) {
      return false; // equal, or a prefix of previous
    }
    return shared == previous.length
        || Byte.toUnsignedInt(key[shared]) > Byte.toUnsignedInt(previous[shared]);
  }

  /**
   * Whether this process compresses blocks with libzstd (its native library loaded) rather than in
   * Java: the bytes of a compressed block differ, the format does not.
   */
  public static boolean compressesWithLibzstd() {
    return BlockCodec.nativeCompression();
  }

  /** Number of rows added so far. */
  public long rows() {
    return rows;
  }

  /** Finishes the file and returns its bytes. The writer cannot be used afterwards. */
  public byte[] finish() {
    closeSource();
    writeBlock();
    try {
      blooms.writeTo(out);
      long footerOffset = file.size();
      ByteArrayOutputStream footerBytes = new ByteArrayOutputStream(64 + 16 * index.size());
      DataOutputStream footer = new DataOutputStream(footerBytes);
      footer.writeShort(EdgeSstFormat.VERSION);
      Varints.write(footer, dataStart);
      Varints.write(footer, index.size());
      Varints.write(footer, rows);
      Varints.write(footer, sources);
      byte[] previous = NO_KEY;
      for (IndexEntry e : index) {
        writeKey(footer, previous, e.first());
        previous = e.first();
        Varints.write(footer, e.length());
        Varints.write(footer, e.bloomLength());
      }
      int footerLength = sealed(out, footerBytes.toByteArray());
      out.writeLong(footerOffset);
      out.writeInt(footerLength);
      out.write(EdgeSstFormat.TRAILER_MAGIC);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file.toByteArray();
  }

  /** Writes {@code body} and its CRC32C to {@code to}; returns how many bytes that was. */
  private static int sealed(DataOutputStream to, byte[] body) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(body);
    to.write(body);
    to.writeInt((int) crc.getValue());
    return body.length + 4;
  }

  public String type() {
    return type;
  }

  public Direction direction() {
    return direction;
  }
}
