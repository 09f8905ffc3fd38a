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
 * index), every row, and lookups (bloom filters, blocks), in both format versions. Each input is
 * also read with its footer and block checksums recomputed, so mutations reach the decompressor and
 * block decoder instead of stopping at a checksum. Corpus: {@code
 * src/test/resources/io/namidb/engine/sst/EdgeSstFuzzTestInputs/read/}.
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
   * {@code data} with the checksums its trailer and footer call for, where they point inside the
   * data: every block's and (version 2) every bloom filter's, then the footer's. Lengths and
   * offsets are left as they are.
   */
  static byte[] withChecksums(byte[] data) {
    int t = data.length - EdgeSstFormat.TRAILER_SIZE;
    if (t < 0) {
      return data;
    }
    byte[] out = data.clone();
    long footerOffset = EdgeSstFooter.readLong(out, t);
    int footerLength = EdgeSstFooter.readInt(out, t + 8);
    if (footerOffset < 0 || footerLength < 6 || footerOffset > t - footerLength) {
      return out;
    }
    int footerAt = (int) footerOffset;
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(out, footerAt, footerLength - 4))) {
      if (in.readUnsignedShort() == 1) {
        sealVersion1Blocks(out, in, footerOffset, footerLength);
      } else {
        sealVersion2Parts(out, in, footerOffset, footerLength);
      }
    } catch (IOException e) {
      // a footer that does not parse this far: seal what there is
    }
    seal(out, footerAt, footerLength);
    return out;
  }

  private static void sealVersion1Blocks(
      byte[] out, DataInputStream in, long footerOffset, int footerLength) throws IOException {
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
  }

  /** Blocks back to back from dataStart, then one bloom filter per block, as the footer says. */
  private static void sealVersion2Parts(
      byte[] out, DataInputStream in, long footerOffset, int footerLength) throws IOException {
    long at = Varints.read(in);
    int blocks = Varints.readLength(in, footerLength);
    Varints.read(in); // rows
    Varints.read(in); // sources
    if (blocks > 1000) {
      return;
    }
    int[] lengths = new int[2 * blocks];
    byte[] previous = new byte[0];
    for (int i = 0; i < lengths.length / 2; i++) {
      previous = EdgeSstFooter.readKey(in, previous, footerLength);
      lengths[i] = Varints.readLength(in, Integer.MAX_VALUE);
      lengths[lengths.length / 2 + i] = Varints.readLength(in, Integer.MAX_VALUE);
    }
    for (int length : lengths) {
      if (at < 0 || length < 4 || at > footerOffset - length) {
        return;
      }
      seal(out, (int) at, length);
      at += length;
    }
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
