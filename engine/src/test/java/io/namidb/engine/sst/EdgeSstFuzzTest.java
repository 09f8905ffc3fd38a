package io.namidb.engine.sst;

import static io.namidb.engine.FuzzContract.refusedOnlyAs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.store.MemoryObjectStore;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the edge SST reader over arbitrary bytes stored in a {@link MemoryObjectStore} and read
 * through an {@link SstCache} range source, as a snapshot reads them: open (trailer, footer, block
 * index, bloom filter), every row, and lookups. Each input is also read with its footer and block
 * checksums recomputed, so mutations reach the block decoder instead of stopping at a checksum.
 * Corpus: {@code src/test/resources/io/namidb/engine/sst/EdgeSstFuzzTestInputs/read/}.
 */
class EdgeSstFuzzTest {
  private static final String KEY = "sst/edges/KNOWS/000001.out.edg";
  private static final NodeKey[] PROBES = {
    NodeKey.of("Person", "alice"), NodeKey.of("Person", 7L), NodeKey.of("City", 1L)
  };

  @FuzzTest
  @Timeout(10)
  void read(byte[] data) {
    if (data == null) {
      return;
    }
    refusedOnlyAs(() -> readAll(data), Kind.CORRUPT);
    refusedOnlyAs(() -> readAll(withChecksums(data)), Kind.CORRUPT);
  }

  private static void readAll(byte[] data) {
    MemoryObjectStore store = new MemoryObjectStore();
    store.put(KEY, data);
    RangeSource source = new SstCache(1 << 20).source(store, KEY, data.length);
    EdgeSstReader reader = EdgeSstReader.open(KEY, source, new DecodedCache(1 << 20));
    reader.all();
    for (NodeKey probe : PROBES) {
      reader.neighbours(probe);
    }
  }

  /**
   * {@code data} with the checksums its trailer and footer index call for, where they point inside
   * the data: every block's, then the footer's. Lengths and offsets are left as they are.
   */
  static byte[] withChecksums(byte[] data) {
    int t = data.length - EdgeSstFormat.TRAILER_SIZE;
    if (t < 0) {
      return data;
    }
    byte[] out = data.clone();
    long footerOffset = EdgeSstReader.readLong(out, t);
    int footerLength = EdgeSstReader.readInt(out, t + 8);
    if (footerOffset < 0 || footerLength < 4 || footerOffset > t - footerLength) {
      return out;
    }
    int footerAt = (int) footerOffset;
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(out, footerAt, footerLength - 4))) {
      in.readUnsignedShort();
      int blocks = in.readInt();
      for (int i = 0; i < blocks && i < 1000; i++) {
        in.skipNBytes(Varints.readLength(in, footerLength));
        in.skipNBytes(Varints.readLength(in, footerLength));
        long offset = in.readLong();
        int length = in.readInt();
        if (offset >= 0 && length >= 4 && offset <= footerOffset - length) {
          seal(out, (int) offset, length);
        }
      }
    } catch (IOException e) {
      // a footer that does not parse this far: seal what there is
    }
    seal(out, footerAt, footerLength);
    return out;
  }

  private static void seal(byte[] b, int at, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, at, length - 4);
    int value = (int) crc.getValue();
    for (int i = 0; i < 4; i++) {
      b[at + length - 4 + i] = (byte) (value >>> (24 - 8 * i));
    }
  }
}
