package io.namidb.engine.sst;

/** Ranged reads of one immutable object (an SST), e.g. backed by ranged GETs and a block cache. */
public interface RangeSource {
  /** {@code length} bytes at {@code offset}. */
  byte[] read(long offset, int length);

  /** The object's size in bytes. */
  long size();
}
