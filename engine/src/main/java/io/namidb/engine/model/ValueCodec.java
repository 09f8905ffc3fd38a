package io.namidb.engine.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The tagged binary encoding of one property value, shared by the WAL and the edge SST format
 * (big-endian):
 *
 * <pre>
 * value = tag:u8 payload
 *         0 NULL | 1 BOOL u8 | 2 INT64 i64 | 3 DOUBLE f64 | 4 STRING str
 *         | 5 TIMESTAMP seconds:i64 nanos:i32 | 6 BYTES len:u32 byte* | 7 VECTOR dim:u32 f32*
 * str   = len:u32 utf8-byte*
 * </pre>
 */
public final class ValueCodec {
  private static final int NULL = 0;
  private static final int BOOL = 1;
  private static final int INT64 = 2;
  private static final int DOUBLE = 3;
  private static final int STRING = 4;
  private static final int TIMESTAMP = 5;
  private static final int BYTES = 6;
  private static final int VECTOR = 7;

  private ValueCodec() {}

  public static void write(DataOutput out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof Boolean b) {
      out.writeByte(BOOL);
      out.writeByte(b ? 1 : 0);
    } else if (v instanceof Long l) {
      out.writeByte(INT64);
      out.writeLong(l);
    } else if (v instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (v instanceof String s) {
      out.writeByte(STRING);
      writeString(out, s);
    } else if (v instanceof Instant t) {
      out.writeByte(TIMESTAMP);
      out.writeLong(t.getEpochSecond());
      out.writeInt(t.getNano());
    } else if (v instanceof byte[] b) {
      out.writeByte(BYTES);
      out.writeInt(b.length);
      out.write(b);
    } else if (v instanceof float[] f) {
      out.writeByte(VECTOR);
      out.writeInt(f.length);
      for (float x : f) {
        out.writeFloat(x);
      }
    } else {
      throw new IllegalArgumentException("unsupported value type " + v.getClass());
    }
  }

  /**
   * Reads one value; {@code remaining} bounds lengths so corrupt input cannot allocate gigabytes.
   */
  public static Object read(DataInput in, int remaining) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case NULL:
        return null;
      case BOOL:
        return in.readByte() != 0;
      case INT64:
        return in.readLong();
      case DOUBLE:
        return in.readDouble();
      case STRING:
        return readString(in, remaining);
      case TIMESTAMP:
        return timestamp(in.readLong(), in.readInt());
      case BYTES:
        {
          byte[] b = new byte[length(in, remaining)];
          in.readFully(b);
          return b;
        }
      case VECTOR:
        {
          float[] f = new float[length(in, remaining / 4)];
          for (int i = 0; i < f.length; i++) {
            f[i] = in.readFloat();
          }
          return f;
        }
      default:
        throw new IOException("unknown value tag " + tag);
    }
  }

  /** An instant from its stored fields, which corrupt input can put outside Instant's range. */
  private static Instant timestamp(long seconds, int nanos) throws IOException {
    try {
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (DateTimeException | ArithmeticException e) {
      throw new IOException("timestamp out of range. seconds=" + seconds + " nanos=" + nanos, e);
    }
  }

  public static void writeString(DataOutput out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  public static String readString(DataInput in, int remaining) throws IOException {
    byte[] utf8 = new byte[length(in, remaining)];
    in.readFully(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /** A u32 length that must fit in what is left. */
  public static int length(DataInput in, int remaining) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > remaining) {
      throw new EOFException("length " + n + " exceeds the remaining " + remaining + " bytes");
    }
    return n;
  }
}
