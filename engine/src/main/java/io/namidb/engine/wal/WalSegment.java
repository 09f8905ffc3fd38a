package io.namidb.engine.wal;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.UnsupportedFormatVersionException;
import io.namidb.engine.model.WriteBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One WAL segment object, {@code wal/<20-digit id>.wal}: the batches of one group commit, or an
 * empty fence that a new writer puts at the first free id (DESIGN §4).
 *
 * <pre>
 * segment = header record* footer                                 (big-endian)
 * header  = magic:"NAMIWAL\0" version:u16 kind:u8 id:i64 epoch:i64 writerId:str nonce:str count:u32
 * record  = length:u32 crc32c(payload):u32 payload                 (payload: {@link BatchCodec})
 * footer  = magic:"NAMIEND\0" crc32c(every byte before this field):u32
 * str     = len:u16 utf8-byte*
 * </pre>
 *
 * A segment is decoded whole and verified (footer checksum, every record checksum, lengths, its own
 * id) before any batch of it is applied: a torn or corrupt segment is never half-applied.
 *
 * @param kind {@link Kind#DATA} or {@link Kind#FENCE}
 * @param id the segment id, equal to the number in its object name
 * @param epoch the writer epoch that wrote it
 * @param writerId the writer process that wrote it
 * @param nonce unique per write attempt, so a writer recognises its own segment after a lost
 *     response
 * @param batches the batches (none for a fence)
 */
public record WalSegment(
    Kind kind, long id, long epoch, String writerId, String nonce, List<WriteBatch> batches) {

  public static final int FORMAT_VERSION = 1;
  private static final byte[] MAGIC = "NAMIWAL\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FOOTER_MAGIC = "NAMIEND\0".getBytes(StandardCharsets.US_ASCII);
  private static final int FOOTER_SIZE = FOOTER_MAGIC.length + 4;

  /** What a segment holds. */
  public enum Kind {
    DATA,
    FENCE
  }

  public WalSegment {
    batches = List.copyOf(batches);
  }

  /** The object key of segment {@code id}. */
  public static String key(long id) {
    if (id < 0) {
      return String.format("wal/%020d.wal", id); // no segment has one; kept as it always was
    }
    // "wal/%020d.wal" without the formatter, which the committer would run for every segment
    String digits = Long.toString(id);
    return "wal/" + "0".repeat(20 - digits.length()) + digits + ".wal";
  }

  /** The id in a key made by {@link #key}, or -1 if it is not a segment key. */
  public static long idOf(String key) {
    if (!key.startsWith("wal/") || !key.endsWith(".wal") || key.length() != 28) {
      return -1;
    }
    try {
      return Long.parseLong(key.substring(4, 24));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public byte[] encode() {
    List<byte[]> payloads = new ArrayList<>(batches.size());
    for (WriteBatch batch : batches) {
      payloads.add(BatchCodec.encode(batch));
    }
    return encode(kind, id, epoch, writerId, nonce, payloads);
  }

  /** Encodes a data segment from batches already encoded by {@link BatchCodec#encode}. */
  public static byte[] encodeData(
      long id, long epoch, String writerId, String nonce, List<byte[]> payloads) {
    return encode(Kind.DATA, id, epoch, writerId, nonce, payloads);
  }

  private static byte[] encode(
      Kind kind, long id, long epoch, String writerId, String nonce, List<byte[]> payloads) {
    int size = 64 + writerId.length() + nonce.length();
    for (byte[] p : payloads) {
      size += 8 + p.length;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeShort(FORMAT_VERSION);
      out.writeByte(kind.ordinal());
      out.writeLong(id);
      out.writeLong(epoch);
      writeShortString(out, writerId);
      writeShortString(out, nonce);
      out.writeInt(payloads.size());
      for (byte[] payload : payloads) {
        out.writeInt(payload.length);
        out.writeInt(crc(payload, 0, payload.length));
        out.write(payload);
      }
      out.write(FOOTER_MAGIC);
      out.flush();
      byte[] body = bytes.toByteArray();
      out.writeInt(crc(body, 0, body.length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes and verifies a segment.
   *
   * @param object the object's name, for error messages
   * @throws CorruptObjectException if any check fails
   * @throws UnsupportedFormatVersionException for a version this build cannot read
   */
  public static WalSegment decode(String object, byte[] data) {
    if (data.length < MAGIC.length + 2 + FOOTER_SIZE
        || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw corrupt(object, "bad magic or too short. length=" + data.length);
    }
    int version = ((data[MAGIC.length] & 0xff) << 8) | (data[MAGIC.length + 1] & 0xff);
    if (version != FORMAT_VERSION) {
      throw new UnsupportedFormatVersionException(
          "wal segment", object, version, FORMAT_VERSION, FORMAT_VERSION);
    }
    int crcAt = data.length - 4;
    if (!Arrays.equals(
        data, crcAt - FOOTER_MAGIC.length, crcAt, FOOTER_MAGIC, 0, FOOTER_MAGIC.length)) {
      throw corrupt(object, "footer missing (torn segment)");
    }
    int storedCrc = readInt(data, crcAt);
    if (storedCrc != crc(data, 0, crcAt)) {
      throw corrupt(object, "segment checksum mismatch");
    }
    try {
      DataInputStream in =
          new DataInputStream(
              new ByteArrayInputStream(
                  data, MAGIC.length + 2, crcAt - FOOTER_MAGIC.length - MAGIC.length - 2));
      int kindOrdinal = in.readUnsignedByte();
      if (kindOrdinal >= Kind.values().length) {
        throw corrupt(object, "unknown segment kind " + kindOrdinal);
      }
      long id = in.readLong();
      long epoch = in.readLong();
      String writerId = readShortString(in);
      String nonce = readShortString(in);
      int count = in.readInt();
      if (count < 0 || count > in.available()) {
        throw corrupt(object, "bad record count " + count);
      }
      List<byte[]> payloads = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int length = in.readInt();
        int crc = in.readInt();
        if (length < 0 || length > in.available()) {
          throw corrupt(object, "record " + i + " length " + length + " out of bounds");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (crc != crc(payload, 0, length)) {
          throw corrupt(object, "record " + i + " checksum mismatch");
        }
        payloads.add(payload);
      }
      if (in.available() != 0) {
        throw corrupt(object, in.available() + " trailing bytes before the footer");
      }
      long expectedId = idOf(object.substring(Math.max(0, object.lastIndexOf("wal/"))));
      if (expectedId >= 0 && expectedId != id) {
        throw corrupt(object, "segment id " + id + " does not match its name");
      }
      return new WalSegment(
          Kind.values()[kindOrdinal], id, epoch, writerId, nonce, BatchCodec.decodeAll(payloads));
    } catch (IOException | RuntimeException e) {
      if (e instanceof CorruptObjectException c) {
        throw c;
      }
      throw new CorruptObjectException(
          "corrupt wal segment: " + e.getMessage() + ". object=" + object, e);
    }
  }

  private static CorruptObjectException corrupt(String object, String what) {
    return new CorruptObjectException("corrupt wal segment: " + what + ". object=" + object);
  }

  static int crc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static void writeShortString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > 0xffff) {
      throw new IllegalArgumentException("string too long for a segment header");
    }
    out.writeShort(utf8.length);
    out.write(utf8);
  }

  private static String readShortString(DataInputStream in) throws IOException {
    byte[] utf8 = new byte[in.readUnsignedShort()];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
