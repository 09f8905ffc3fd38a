package io.namidb.engine.sst;

import io.namidb.engine.model.Direction;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes one edge SST in memory ({@link EdgeSstFormat}). Rows must come in ascending (source,
 * neighbour) {@link SortKey} order, each pair once.
 */
public final class EdgeSstWriter {
  private final String type;
  private final Direction direction;
  private final int targetBlockBytes;
  private final ByteArrayOutputStream file = new ByteArrayOutputStream(1 << 16);
  private final DataOutputStream out = new DataOutputStream(file);
  private final List<IndexEntry> index = new ArrayList<>();
  private final List<byte[]> sourceKeys = new ArrayList<>();

  private ByteArrayOutputStream block = new ByteArrayOutputStream(1 << 15);
  private DataOutputStream blockOut = new DataOutputStream(block);
  private final List<Pending> currentSources = new ArrayList<>();
  private int currentBlockBytes;

  private byte[] currentSource;
  private final List<byte[]> currentNeighbours = new ArrayList<>();
  private final List<Map<String, Object>> currentProps = new ArrayList<>();
  private byte[] lastNeighbour;
  private long rows;

  record IndexEntry(byte[] first, byte[] last, long offset, int length) {}

  private record Pending(byte[] source, List<byte[]> neighbours, List<Map<String, Object>> props) {}

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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds the edge between {@code source} and {@code neighbour} with {@code props}, or a tombstone
   * when {@code props} is null.
   */
  public void add(NodeKey source, NodeKey neighbour, Map<String, Object> props) {
    byte[] s = SortKey.encode(source);
    byte[] n = SortKey.encode(neighbour);
    if (currentSource == null || SortKey.compare(s, currentSource) != 0) {
      if (currentSource != null && SortKey.compare(s, currentSource) < 0) {
        throw new IllegalArgumentException("sources out of order: " + source);
      }
      closeSource();
      currentSource = s;
      lastNeighbour = null;
    }
    if (lastNeighbour != null && SortKey.compare(n, lastNeighbour) <= 0) {
      throw new IllegalArgumentException("neighbours out of order or repeated: " + neighbour);
    }
    currentNeighbours.add(n);
    currentProps.add(props);
    lastNeighbour = n;
    rows++;
  }

  private void closeSource() {
    if (currentSource == null) {
      return;
    }
    Pending p =
        new Pending(
            currentSource, new ArrayList<>(currentNeighbours), new ArrayList<>(currentProps));
    currentNeighbours.clear();
    currentProps.clear();
    sourceKeys.add(p.source());
    currentSources.add(p);
    currentBlockBytes += estimate(p);
    if (currentBlockBytes >= targetBlockBytes) {
      writeBlock();
    }
    currentSource = null;
  }

  private static int estimate(Pending p) {
    int size = p.source().length + 4;
    for (int i = 0; i < p.neighbours().size(); i++) {
      size += p.neighbours().get(i).length / 2 + 3;
      Map<String, Object> props = p.props().get(i);
      if (props != null) {
        size += 16 * props.size();
      }
    }
    return size;
  }

  private void writeBlock() {
    if (currentSources.isEmpty()) {
      return;
    }
    try {
      Varints.write(blockOut, currentSources.size());
      byte[] previous = new byte[0];
      for (Pending p : currentSources) {
        writeKey(blockOut, previous, p.source());
        previous = p.source();
        Varints.write(blockOut, p.neighbours().size());
        byte[] prevNeighbour = new byte[0];
        for (int i = 0; i < p.neighbours().size(); i++) {
          byte[] n = p.neighbours().get(i);
          writeKey(blockOut, prevNeighbour, n);
          prevNeighbour = n;
          Map<String, Object> props = p.props().get(i);
          blockOut.writeByte(props == null ? EdgeSstFormat.FLAG_TOMBSTONE : 0);
          if (props != null) {
            Varints.write(blockOut, props.size());
            for (Map.Entry<String, Object> e : props.entrySet()) {
              ValueCodec.writeString(blockOut, e.getKey());
              ValueCodec.write(blockOut, e.getValue());
            }
          }
        }
      }
      blockOut.flush();
      byte[] body = block.toByteArray();
      CRC32C crc = new CRC32C();
      crc.update(body);
      long offset = file.size();
      out.write(body);
      out.writeInt((int) crc.getValue());
      index.add(
          new IndexEntry(
              currentSources.get(0).source(),
              currentSources.get(currentSources.size() - 1).source(),
              offset,
              body.length + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    currentSources.clear();
    currentBlockBytes = 0;
    block = new ByteArrayOutputStream(1 << 15);
    blockOut = new DataOutputStream(block);
  }

  private static void writeKey(DataOutputStream out, byte[] previous, byte[] key)
      throws IOException {
    int shared = 0;
    int max = Math.min(previous.length, key.length);
    while (shared < max && previous[shared] == key[shared]) {
      shared++;
    }
    Varints.write(out, shared);
    Varints.write(out, key.length - shared);
    out.write(key, shared, key.length - shared);
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
      long footerOffset = file.size();
      ByteArrayOutputStream footerBytes = new ByteArrayOutputStream();
      DataOutputStream footer = new DataOutputStream(footerBytes);
      footer.writeShort(EdgeSstFormat.VERSION);
      footer.writeInt(index.size());
      for (IndexEntry e : index) {
        Varints.write(footer, e.first().length);
        footer.write(e.first());
        Varints.write(footer, e.last().length);
        footer.write(e.last());
        footer.writeLong(e.offset());
        footer.writeInt(e.length());
      }
      BloomFilter bloom = BloomFilter.forKeys(sourceKeys.size());
      sourceKeys.forEach(bloom::add);
      bloom.write(footer);
      footer.writeLong(rows);
      footer.writeLong(sourceKeys.size());
      footer.flush();
      byte[] body = footerBytes.toByteArray();
      CRC32C crc = new CRC32C();
      crc.update(body);
      out.write(body);
      out.writeInt((int) crc.getValue());
      out.writeLong(footerOffset);
      out.writeInt(body.length + 4);
      out.write(EdgeSstFormat.TRAILER_MAGIC);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file.toByteArray();
  }

  public String type() {
    return type;
  }

  public Direction direction() {
    return direction;
  }
}
