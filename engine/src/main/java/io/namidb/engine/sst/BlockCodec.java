package io.namidb.engine.sst;

import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.util.Arrays;

/**
 * Compression of edge SST blocks ({@link EdgeSstFormat}): zstd (aircompressor's pure-Java codec,
 * already on the class path for Parquet), kept only where it saves bytes and expands at most {@link
 * EdgeSstFormat#MAX_RATIO} times.
 */
final class BlockCodec {
  private BlockCodec() {}

  /** A block body as stored: its codec and payload. */
  record Encoded(int codec, byte[] payload) {}

  static Encoded encode(byte[] body) {
    ZstdCompressor zstd = new ZstdCompressor();
    byte[] buffer = new byte[zstd.maxCompressedLength(body.length)];
    int n = zstd.compress(body, 0, body.length, buffer, 0, buffer.length);
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
