package io.namidb.engine.sst;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Unsigned LEB128 variable-length integers. */
final class Varints {
  private Varints() {}

  static void write(DataOutput out, long value) throws IOException {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  static long read(DataInput in) throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("varint longer than 64 bits");
  }

  /** A varint that must be a length within {@code max}. */
  static int readLength(DataInput in, int max) throws IOException {
    long n = read(in);
    if (n < 0 || n > max) {
      throw new IOException("length " + n + " out of bounds (max " + max + ")");
    }
    return (int) n;
  }
}
