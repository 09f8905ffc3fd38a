package io.namidb.engine.sst;

import java.nio.charset.StandardCharsets;

/**
 * NamiDB's edge SST format, one object per edge type and direction ({@code
 * sst/edges/<type>/<id>.<out|in>.edg}): CSR-like adjacency lists sorted by source, in blocks that
 * each hold whole adjacency lists, so one hop from a node is one ranged GET once the footer is
 * known. Big-endian; {@code vint} is unsigned LEB128; keys are {@link SortKey}s.
 *
 * <pre>
 * file       = header block* footer trailer
 * header     = magic:"NAMIEDG\0" version:u16 direction:u8 type:str
 * block      = sources:vint source* crc32c:u32                (crc over the block's bytes before it)
 * source     = shared:vint suffix:bytes neighbours:vint neighbour*
 * neighbour  = shared:vint suffix:bytes flags:u8 [props]      (flags bit 0: tombstone, no props)
 * props      = count:vint (name:str value)*                   (value: {@link io.namidb.engine.model.ValueCodec})
 * footer     = version:u16 blocks:u32 index* bloom rows:u64 sources:u64 crc32c:u32
 * index      = first:bytes last:bytes offset:u64 length:u32   (first/last source key of the block)
 * bloom      = {@link BloomFilter} of every source key
 * trailer    = footerOffset:u64 footerLength:u32 magic:"NAMIEDGT"
 * bytes      = len:vint byte*
 * str        = len:u32 utf8-byte*
 * </pre>
 *
 * {@code shared} is the length of the prefix a key shares with the previous source of the block
 * (for sources) or the previous neighbour of the same source (for neighbours): prefix compression,
 * which for INT64 keys amounts to delta encoding of the big-endian bytes.
 */
public final class EdgeSstFormat {
  static final byte[] MAGIC = "NAMIEDG\0".getBytes(StandardCharsets.US_ASCII);
  static final byte[] TRAILER_MAGIC = "NAMIEDGT".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 1;
  static final int TRAILER_SIZE = 8 + 4 + 8;
  static final int FLAG_TOMBSTONE = 1;

  private EdgeSstFormat() {}
}
