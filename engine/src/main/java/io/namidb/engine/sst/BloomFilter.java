package io.namidb.engine.sst;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A bloom filter over byte keys, part of NamiDB's edge SST format: {@code bits:u32 hashes:u8
 * words:i64*}. Probes use double hashing of one 64-bit hash (FNV-1a, then a 64-bit finaliser).
 * About 10 bits per key and 7 probes give ~1% false positives.
 */
public final class BloomFilter {
  private final long[] words;
  private final int bits;
  private final int hashes;

  private BloomFilter(long[] words, int bits, int hashes) {
    this.words = words;
    this.bits = bits;
    this.hashes = hashes;
  }

  /** An empty filter sized for {@code expectedKeys} at ~1% false positives. */
  public static BloomFilter forKeys(int expectedKeys) {
    int bits = Math.max(64, expectedKeys * 10);
    bits = (bits + 63) / 64 * 64;
    return new BloomFilter(new long[bits / 64], bits, 7);
  }

  public void add(byte[] key) {
    long h = hash(key);
    int h1 = (int) h;
    int h2 = (int) (h >>> 32);
    for (int i = 0; i < hashes; i++) {
      int bit = Math.floorMod(h1 + i * h2, bits);
      words[bit >>> 6] |= 1L << (bit & 63);
    }
  }

  /** False means the key is certainly absent. */
  public boolean mightContain(byte[] key) {
    long h = hash(key);
    int h1 = (int) h;
    int h2 = (int) (h >>> 32);
    for (int i = 0; i < hashes; i++) {
      int bit = Math.floorMod(h1 + i * h2, bits);
      if ((words[bit >>> 6] & (1L << (bit & 63))) == 0) {
        return false;
      }
    }
    return true;
  }

  public void write(DataOutput out) throws IOException {
    out.writeInt(bits);
    out.writeByte(hashes);
    for (long w : words) {
      out.writeLong(w);
    }
  }

  public static BloomFilter read(DataInput in, int remaining) throws IOException {
    int bits = in.readInt();
    int hashes = in.readUnsignedByte();
    if (bits <= 0 || bits % 64 != 0 || bits / 8 > remaining || hashes < 1 || hashes > 30) {
      throw new IOException("bad bloom filter header bits=" + bits + " hashes=" + hashes);
    }
    long[] words = new long[bits / 64];
    for (int i = 0; i < words.length; i++) {
      words[i] = in.readLong();
    }
    return new BloomFilter(words, bits, hashes);
  }

  public int sizeInBytes() {
    return 5 + words.length * 8;
  }

  static long hash(byte[] key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
