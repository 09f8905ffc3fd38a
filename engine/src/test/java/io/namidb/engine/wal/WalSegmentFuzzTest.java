package io.namidb.engine.wal;

import static io.namidb.engine.FuzzContract.refusedOnlyAs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.namidb.engine.NamiException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the WAL segment decoder ({@link WalSegment#decode}, {@link BatchCodec}): any bytes decode
 * or end in CORRUPT. Checksums would stop almost every mutated input at the first check, so each
 * input is also decoded with its footer checksum recomputed, and as one record by the batch
 * decoder. Corpus: {@code
 * src/test/resources/io/namidb/engine/wal/WalSegmentFuzzTestInputs/decode/}.
 */
class WalSegmentFuzzTest {
  private static final String OBJECT = "wal/00000000000000000007.wal";
  private static final byte[] FOOTER_MAGIC = "NAMIEND\0".getBytes(StandardCharsets.US_ASCII);

  @FuzzTest
  @Timeout(10)
  void decode(byte[] data) {
    if (data == null) {
      return;
    }
    refusedOnlyAs(() -> WalSegment.decode(OBJECT, data), Kind.CORRUPT);
    refusedOnlyAs(() -> WalSegment.decode(OBJECT, withFooterChecksum(data)), Kind.CORRUPT);
    refusedOnlyAs(() -> decodeBatch(data));
  }

  /**
   * The record decoder on its own: the segment decoder turns whatever escapes it into CORRUPT, so
   * only here does an unchecked exception from a record show. Its refusal is an IOException.
   */
  private static void decodeBatch(byte[] payload) {
    try {
      BatchCodec.decodeAll(List.of(payload));
    } catch (IOException e) {
      // refused: WalSegment.decode reports it as CORRUPT
    }
  }

  /** {@code data} with the checksum its footer would have, when it ends in a footer. */
  private static byte[] withFooterChecksum(byte[] data) {
    int crcAt = data.length - 4;
    if (crcAt < FOOTER_MAGIC.length
        || !Arrays.equals(
            data, crcAt - FOOTER_MAGIC.length, crcAt, FOOTER_MAGIC, 0, FOOTER_MAGIC.length)) {
      return data;
    }
    byte[] sealed = data.clone();
    int crc = WalSegment.crc(sealed, 0, crcAt);
    for (int i = 0; i < 4; i++) {
      sealed[crcAt + i] = (byte) (crc >>> (24 - 8 * i));
    }
    return sealed;
  }
}
