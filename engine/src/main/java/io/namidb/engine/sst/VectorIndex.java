package io.namidb.engine.sst;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;

/**
 * The vector index of one {@code VECTOR} property of one node SST: the live rows' keys and vectors
 * in one contiguous array, searched by a dense scan (split over the cores) that keeps the nearest
 * by exact Euclidean distance. It sits beside its SST as {@link SstNames#vectorIndex} and, like the
 * SST, never changes once written. Search returns ordinals; {@link #key} maps them back to node
 * keys, and the caller decides which of them are still live.
 *
 * <p>Why a dense scan and not a graph (HNSW/Vamana) or a quantized scan: on the data this was
 * measured on (200k 64-dim vectors, uniform random: docs/design/0009-vector-index.md) a graph needs
 * a beam of thousands for recall 0.95 and minutes to build, an int8 or PQ first pass is slower than
 * float arithmetic on Java 17 (no vector API: byte loops are not vectorized), and a scan of packed
 * floats does 225 queries/s per core with exact answers. The SST itself cannot be scanned that
 * fast: its rows are Parquet pages decoded into maps.
 *
 * <p>Object layout (big-endian):
 *
 * <pre>
 * index   := magic:"NAMIVIX" version:u8 (2) header keys vectors crc32c:u32
 * header  := dim:i32 metric:u8 (0 = L2) count:i32 keyType:u8 (0 = INT64, 1 = STRING)
 * keys    := count × (i64 | len:i32 utf8[len])          ordinal order
 * vectors := count × dim × f32                          ordinal order
 * </pre>
 *
 * The checksum covers everything before it. Readers reject an unknown version (version 1 was a
 * JVector graph that never shipped) with {@link CorruptObjectException}, as they do a bad checksum
 * or a truncated object.
 */
public final class VectorIndex {
  private static final byte[] MAGIC = "NAMIVIX".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 2;

  /** Rows below which a search runs on the caller's thread alone. */
  private static final int MIN_PARALLEL_ROWS = 16_384;

  private static final int STRIPES = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final ExecutorService SEARCHERS =
      Executors.newFixedThreadPool(
          Math.max(1, STRIPES - 1), DaemonThreads.numbered("nami-vector-search-"));

  private final Object[] keys;
  private final float[] vectors;
  private final int dimension;
  private final long bytes;

  private VectorIndex(Object[] keys, float[] vectors, int dimension, long bytes) {
    this.keys = keys;
    this.vectors = vectors;
    this.dimension = dimension;
    this.bytes = bytes;
  }

  /** One search result: an ordinal and its exact Euclidean distance to the query. */
  public record Hit(int ordinal, double distance) {}

  /**
   * Builds the index of {@code keys} (INT64 longs or STRING strings, one type) and their vectors,
   * all of one dimension, and returns the object's bytes.
   */
  public static byte[] build(List<Object> keys, List<float[]> vectors) {
    if (keys.isEmpty() || keys.size() != vectors.size()) {
      throw new IllegalArgumentException(
          "a vector index needs one vector per key. keys="
              + keys.size()
              + " vectors="
              + vectors.size());
    }
    int dim = vectors.get(0).length;
    ByteArrayOutputStream buffer =
        new ByteArrayOutputStream(64 + keys.size() * (12 + dim * Float.BYTES));
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.write(MAGIC);
      out.writeByte(VERSION);
      out.writeInt(dim);
      out.writeByte(0);
      out.writeInt(keys.size());
      boolean ints = keys.get(0) instanceof Long;
      out.writeByte(ints ? 0 : 1);
      for (Object key : keys) {
        if (ints) {
          out.writeLong((Long) key);
        } else {
          byte[] utf8 = ((String) key).getBytes(StandardCharsets.UTF_8);
          out.writeInt(utf8.length);
          out.write(utf8);
        }
      }
      for (float[] v : vectors) {
        if (v.length != dim) {
          throw new IllegalArgumentException(
              "a vector index holds one dimension. dim=" + dim + " found=" + v.length);
        }
        for (float f : v) {
          out.writeFloat(f);
        }
      }
      out.flush();
      CRC32C crc = new CRC32C();
      crc.update(buffer.toByteArray());
      out.writeInt((int) crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  /**
   * Reads an index object.
   *
   * @param object its name, for messages
   * @throws CorruptObjectException if the bytes are not a vector index of a known version
   */
  public static VectorIndex read(String object, byte[] data) {
    if (data.length < MAGIC.length + 1 + 4
        || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
      throw new CorruptObjectException("not a vector index: bad magic. object=" + object);
    }
    int version = data[MAGIC.length];
    if (version != VERSION) {
      throw new CorruptObjectException(
          "unknown vector index version. object=" + object + " version=" + version);
    }
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length - 4);
    ByteBuffer in = ByteBuffer.wrap(data);
    if (in.getInt(data.length - 4) != (int) crc.getValue()) {
      throw new CorruptObjectException("vector index checksum mismatch. object=" + object);
    }
    try {
      in.position(MAGIC.length + 1);
      in.limit(data.length - 4);
      int dim = in.getInt();
      int metric = in.get();
      if (metric != 0) {
        throw new CorruptObjectException(
            "unknown vector index metric. object=" + object + " metric=" + metric);
      }
      int count = in.getInt();
      boolean ints = in.get() == 0;
      if (dim < 1 || count < 0 || (long) count * dim * Float.BYTES > in.remaining()) {
        throw new CorruptObjectException(
            "vector index sizes do not fit the object. object="
                + object
                + " dim="
                + dim
                + " count="
                + count);
      }
      Object[] keys = new Object[count];
      for (int i = 0; i < count; i++) {
        if (ints) {
          keys[i] = in.getLong();
        } else {
          byte[] utf8 = new byte[in.getInt()];
          in.get(utf8);
          keys[i] = new String(utf8, StandardCharsets.UTF_8);
        }
      }
      float[] vectors = new float[count * dim];
      in.asFloatBuffer().get(vectors);
      in.position(in.position() + vectors.length * Float.BYTES);
      if (in.hasRemaining()) {
        throw new CorruptObjectException(
            "vector index has trailing bytes. object=" + object + " bytes=" + in.remaining());
      }
      return new VectorIndex(keys, vectors, dim, data.length);
    } catch (RuntimeException e) {
      if (e instanceof CorruptObjectException c) {
        throw c;
      }
      throw new CorruptObjectException("corrupt vector index: " + e + ". object=" + object, e);
    }
  }

  /**
   * The {@code topK} nearest ordinals to {@code query} by Euclidean distance, nearest first (ties
   * by ordinal); empty for a query of another dimension.
   */
  public List<Hit> search(float[] query, int topK) {
    int n = keys.length;
    if (query.length != dimension || topK <= 0 || n == 0) {
      return List.of();
    }
    int stripes = n < MIN_PARALLEL_ROWS ? 1 : STRIPES;
    Nearest[] parts = new Nearest[stripes];
    List<CompletableFuture<Void>> others = new ArrayList<>(stripes - 1);
    for (int s = 1; s < stripes; s++) {
      int stripe = s;
      others.add(
          CompletableFuture.runAsync(
              () ->
                  parts[stripe] =
                      scan(query, topK, n * stripe / stripes, n * (stripe + 1) / stripes),
              SEARCHERS));
    }
    parts[0] = scan(query, topK, 0, n / stripes);
    others.forEach(CompletableFuture::join);
    if (stripes == 1) {
      return parts[0].sorted();
    }
    Nearest all = new Nearest(Math.min(topK, n));
    for (int s = 0; s < stripes; s++) {
      for (int i = 0; i < parts[s].size; i++) {
        all.offer(parts[s].ordinals[i], parts[s].squared[i]);
      }
    }
    return all.sorted();
  }

  /** The {@code topK} nearest among ordinals {@code [from, to)}. */
  private Nearest scan(float[] query, int topK, int from, int to) {
    Nearest nearest = new Nearest(Math.min(topK, to - from));
    int dim = dimension;
    float[] v = vectors;
    int tail = dim & ~7;
    for (int i = from; i < to; i++) {
      int o = i * dim;
      // eight independent sums: the loop is bound by loads and add latency, not by arithmetic
      float s0 = 0;
      float s1 = 0;
      float s2 = 0;
      float s3 = 0;
      float s4 = 0;
      float s5 = 0;
      float s6 = 0;
      float s7 = 0;
      int j = 0;
      for (; j < tail; j += 8) {
        float d0 = v[o + j] - query[j];
        float d1 = v[o + j + 1] - query[j + 1];
        float d2 = v[o + j + 2] - query[j + 2];
        float d3 = v[o + j + 3] - query[j + 3];
        float d4 = v[o + j + 4] - query[j + 4];
        float d5 = v[o + j + 5] - query[j + 5];
        float d6 = v[o + j + 6] - query[j + 6];
        float d7 = v[o + j + 7] - query[j + 7];
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
        s4 += d4 * d4;
        s5 += d5 * d5;
        s6 += d6 * d6;
        s7 += d7 * d7;
      }
      for (; j < dim; j++) {
        float d = v[o + j] - query[j];
        s0 += d * d;
      }
      float squared = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
      if (nearest.size < nearest.capacity || squared < nearest.worst()) {
        nearest.offer(i, squared);
      }
    }
    return nearest;
  }

  /** The node key of an ordinal. */
  public Object key(int ordinal) {
    return keys[ordinal];
  }

  /** Vectors in the index. */
  public int size() {
    return keys.length;
  }

  public int dimension() {
    return dimension;
  }

  /** Size of the object it was read from. */
  public long bytes() {
    return bytes;
  }

  /** Heap the loaded index holds, roughly: the vectors and the keys. */
  public long approximateHeapBytes() {
    return (long) vectors.length * Float.BYTES + (long) keys.length * 40;
  }

  /** A bounded max-heap of (ordinal, squared distance): the worst kept is at the root. */
  private static final class Nearest {
    final int capacity;
    final int[] ordinals;
    final float[] squared;
    int size;

    Nearest(int capacity) {
      this.capacity = Math.max(capacity, 0);
      this.ordinals = new int[this.capacity];
      this.squared = new float[this.capacity];
    }

    float worst() {
      return squared[0];
    }

    private boolean worse(int a, int b) {
      return squared[a] > squared[b] || (squared[a] == squared[b] && ordinals[a] > ordinals[b]);
    }

    void offer(int ordinal, float d) {
      if (capacity == 0) {
        return;
      }
      if (size < capacity) {
        int i = size++;
        ordinals[i] = ordinal;
        squared[i] = d;
        while (i > 0 && worse(i, (i - 1) / 2)) {
          swap(i, (i - 1) / 2);
          i = (i - 1) / 2;
        }
        return;
      }
      if (d > squared[0] || (d == squared[0] && ordinal > ordinals[0])) {
        return;
      }
      ordinals[0] = ordinal;
      squared[0] = d;
      int i = 0;
      while (true) {
        int l = 2 * i + 1;
        int r = l + 1;
        int m = i;
        if (l < size && worse(l, m)) {
          m = l;
        }
        if (r < size && worse(r, m)) {
          m = r;
        }
        if (m == i) {
          return;
        }
        swap(i, m);
        i = m;
      }
    }

    private void swap(int a, int b) {
      int o = ordinals[a];
      ordinals[a] = ordinals[b];
      ordinals[b] = o;
      float d = squared[a];
      squared[a] = squared[b];
      squared[b] = d;
    }

    List<Hit> sorted() {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(
          order,
          (a, b) ->
              squared[a] != squared[b]
                  ? Float.compare(squared[a], squared[b])
                  : Integer.compare(ordinals[a], ordinals[b]));
      List<Hit> hits = new ArrayList<>(size);
      for (int i : order) {
        hits.add(new Hit(ordinals[i], Math.sqrt(squared[i])));
      }
      return hits;
    }
  }
}
