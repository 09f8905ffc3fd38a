package io.namidb.engine.sst;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.util.Native;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Compression of edge SST blocks ({@link EdgeSstFormat}): zstd, kept only where it saves bytes and
 * expands at most {@link EdgeSstFormat#MAX_RATIO} times.
 *
 * <p>Blocks are compressed by libzstd through zstd-jni (parquet-hadoop's own zstd dependency, same
 * version) when its native library loads, and by aircompressor's pure-Java codec otherwise, or when
 * the system property {@value #JAVA_ONLY_PROPERTY} is {@code true}. Both write standard zstd
 * frames, which aircompressor decompresses: reading needs no native code (the library is loaded at
 * the first compression). libzstd compresses a 16 KiB block about twice as fast once warm, and
 * needs no warm-up: a bulk load's edge SSTs spent over half their build in the pure-Java codec
 * (docs/design/0010).
 */
final class BlockCodec {
  private static final Logger LOG = Logger.getLogger(BlockCodec.class.getName());

  /** Set to {@code true} to compress with the pure-Java codec only. */
  static final String JAVA_ONLY_PROPERTY = "namidb.zstd.javaOnly";

  /** zstd's default level, the one aircompressor always uses. */
  private static final int LEVEL = 3;

  private BlockCodec() {}

  /** A block body as stored: its codec and payload. */
  record Encoded(int codec, byte[] payload) {}

  /** Loaded at the first compression only: reading never touches the native library. */
  private static final class Libzstd {
    static final boolean LOADED = load();

    private static boolean load() {
      if (Boolean.getBoolean(JAVA_ONLY_PROPERTY)) {
        return false;
      }
      try {
        Native.load();
        return true;
      } catch (LinkageError | RuntimeException e) { // no library for this platform, no tmpdir
        LOG.log(
            Level.INFO,
            "zstd: native library not loaded ({0}); edge SST blocks are compressed in Java",
            e.toString());
        return false;
      }
    }
  }

  /** Whether blocks are compressed by libzstd (else by the pure-Java codec). */
  static boolean nativeCompression() {
    return Libzstd.LOADED;
  }

  static Encoded encode(byte[] body) {
    return encode(body, Libzstd.LOADED);
  }

  static Encoded encode(byte[] body, boolean nativeCodec) {
    byte[] buffer = null;
    int n = -1;
    if (nativeCodec) {
      buffer = new byte[(int) Zstd.compressBound(body.length)];
      try {
        n = (int) Zstd.compressByteArray(buffer, 0, buffer.length, body, 0, body.length, LEVEL);
      } catch (RuntimeException e) { // ZstdException; not seen with a buffer of the bound
        LOG.log(Level.WARNING, "zstd: libzstd failed on a block; compressing it in Java", e);
        n = -1;
      }
    }
    if (n < 0) {
      ZstdCompressor zstd = new ZstdCompressor();
      buffer = new byte[zstd.maxCompressedLength(body.length)];
      n = zstd.compress(body, 0, body.length, buffer, 0, buffer.length);
    }
    if (n >= body.length || (long) n * EdgeSstFormat.MAX_RATIO < body.length) {
      return new Encoded(EdgeSstFormat.CODEC_NONE, body);
    }
    return new Encoded(EdgeSstFormat.CODEC_ZSTD, Arrays.copyOf(buffer, n));
  }

  /**
   * The body of {@code length} payload bytes at {@code offset} of {@code bytes}.
   *
   * @throws IOException when the codec is unknown, the lengths break the format's rules or the
   *     payload does not decompress to exactly {@code rawLength} bytes
   */
  static byte[] decode(int codec, int rawLength, byte[] bytes, int offset, int length)
      throws IOException {
    switch (codec) {
      case EdgeSstFormat.CODEC_NONE -> {
        if (rawLength != length) {
          throw new IOException("raw block length " + rawLength + " != payload " + length);
        }
        return Arrays.copyOfRange(bytes, offset, offset + length);
      }
      case EdgeSstFormat.CODEC_ZSTD -> {
        if ((long) length * EdgeSstFormat.MAX_RATIO < rawLength) {
          throw new IOException("block expands too much. raw=" + rawLength + " payload=" + length);
        }
        byte[] body = new byte[rawLength];
        int n;
        try {
          n = new ZstdDecompressor().decompress(bytes, offset, length, body, 0, rawLength);
        } catch (RuntimeException e) { // MalformedInputException, or bounds on a hostile frame
          throw new IOException("zstd payload does not decompress: " + e.getMessage(), e);
        }
        if (n != rawLength) {
          throw new IOException("zstd payload gave " + n + " bytes, expected " + rawLength);
        }
        return body;
      }
      default -> throw new IOException("unknown block codec " + codec);
    }
  }
}
