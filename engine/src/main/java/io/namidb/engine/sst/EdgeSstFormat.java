package io.namidb.engine.sst;

import java.nio.charset.StandardCharsets;

/**
 * NamiDB's edge SST format, one object per edge type and direction ({@code
 * sst/edges/<type>/<id>.<out|in>.edg}): CSR-like adjacency lists sorted by source, in blocks that
 * each hold whole adjacency lists. Big-endian; {@code vint} is unsigned LEB128; keys are {@link
 * SortKey}s. Version 2, written since the cold-read work of issue 14 (docs/design/0008):
 *
 * <pre>
 * file       = header block* bloom* footer trailer
 * header     = magic:"NAMIEDG\0" version:u16 direction:u8 type:str
 * block      = codec:u8 rawLength:vint payload crc32c:u32      (crc over codec..payload)
 * payload    = body as is (codec 0), or body as one zstd frame (codec 1)
 * body       = sources:vint source*                            (rawLength bytes)
 * source     = shared:vint suffix:bytes neighbours:vint neighbour*
 * neighbour  = shared:vint suffix:bytes flags:u8 [props]       (flags bit 0: tombstone, no props)
 * props      = count:vint (name:str value)*                    (value: {@link io.namidb.engine.model.ValueCodec})
 * bloom      = {@link BloomFilter} crc32c:u32                  (the source keys of one block)
 * footer     = version:u16 dataStart:vint blocks:vint rows:vint sources:vint entry* crc32c:u32
 * entry      = shared:vint suffix:bytes blockLength:vint bloomLength:vint
 * trailer    = footerOffset:u64 footerLength:u32 magic:"NAMIEDGT"
 * bytes      = len:vint byte*
 * str        = len:u32 utf8-byte*
 * </pre>
 *
 * Blocks lie back to back from {@code dataStart}, then one bloom per block in block order, then the
 * footer: offsets follow from the lengths, and they must add up to {@code footerOffset}. An {@code
 * entry} is a block's first source key (prefix-compressed against the previous entry's), its length
 * and its bloom's length, both with their checksums. A compressed block's {@code rawLength} is at
 * most {@link #MAX_RATIO} times its payload (the writer keeps a block raw otherwise), so a reader
 * never allocates more than that for the bytes it fetched.
 *
 * <p>{@code shared} is the length of the prefix a key shares with the previous source of the block
 * (for sources) or the previous neighbour of the same source (for neighbours): prefix compression,
 * which for INT64 keys amounts to delta encoding of the big-endian bytes.
 *
 * <p>A cold lookup reads the file's tail (trailer and footer, one read when the footer fits in
 * {@code EdgeSstFooter.tailRead}), the bloom of the one block that may hold the source, and that
 * block: three ranged reads, a few tens of KiB, whatever the file's size up to hundreds of MiB.
 *
 * <p>Version 1 (read, never written): blocks were {@code body crc32c:u32}, uncompressed; the footer
 * was {@code version:u16 blocks:u32 (first:bytes last:bytes offset:u64 length:u32)* bloom rows:u64
 * sources:u64 crc32c:u32} with one bloom filter of every source key. Its footer is therefore read
 * whole when a version 1 SST is opened.
 */
public final class EdgeSstFormat {
  static final byte[] MAGIC = "NAMIEDG\0".getBytes(StandardCharsets.US_ASCII);
  static final byte[] TRAILER_MAGIC = "NAMIEDGT".getBytes(StandardCharsets.US_ASCII);

  /** The version this build writes. */
  public static final int VERSION = 2;

  /** The oldest version this build reads. */
  public static final int MIN_VERSION = 1;

  /**
   * The uncompressed block size flushes and compactions aim at: small enough that a cold one-hop
   * reads a few KiB of block once compressed, large enough that the footer's index stays within
   * {@code EdgeSstFooter.tailRead} (docs/design/0008).
   */
  public static final int BLOCK_BYTES = 16 * 1024;

  static final int TRAILER_SIZE = 8 + 4 + 8;
  static final int FLAG_TOMBSTONE = 1;
  static final int CODEC_NONE = 0;
  static final int CODEC_ZSTD = 1;

  /** Most a compressed block may expand: {@code rawLength <= MAX_RATIO * payload length}. */
  static final int MAX_RATIO = 256;

  private EdgeSstFormat() {}
}
