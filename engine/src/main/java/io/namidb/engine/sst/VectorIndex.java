package io.namidb.engine.sst;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.DaemonThreads;
import it.unimi.dsi.fastutil.io.FastByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;

/**
 * The vector index of one {@code VECTOR} property of one node SST: the live rows' keys and vectors
 * in one contiguous array. It sits beside its SST as {@link SstNames#vectorIndex} and, like the
 * SST, never changes once written. Search returns ordinals; {@link #key} maps them back to node
 * keys, and the caller decides which of them are still live.
 *
 * <p>{@link #search} is approximate: a scan of small codes computed at load (eight levels per
 * dimension, compared by XOR and bit count) picks candidates, and their exact distances pick the
 * answer. {@link #searchExact} computes every distance (a dense scan split over the cores, about
 * 380 queries/s per core on 200k 64-dimension vectors); the code scan does 1.5 to 2 times that and
 * finds the exact top 10 in 0.9995 of places on that data. Why codes and not a graph (HNSW/Vamana),
 * PQ or int8 on Java 17: docs/design/0009-vector-index.md. The SST itself cannot be scanned that
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

  /**
   * Candidates kept beyond {@code topK} by the dot-product scan, so that rounding rarely decides
   * which vector is in.
   */
  private static final int SPARE = 16;

  /**
   * Levels of the codes' scalar quantization: each dimension of each vector falls in one of eight
   * intervals, bounded by that dimension's octiles over the index's vectors.
   */
  private static final int LEVELS = 8; // encode keeps one register per bound between levels

  /** Rows of the sample the octiles are taken from. */
  private static final int THRESHOLD_SAMPLE = 4_096;

  /** Candidates the code scan keeps for the exact distances, per result asked for. */
  private static final int CANDIDATES_PER_RESULT = 32;

  /** The fewest candidates the code scan keeps. */
  private static final int MIN_CANDIDATES = 1_024;

  /**
   * An index of at most this many times the candidates is scanned exactly: the code scan would save
   * next to nothing.
   */
  private static final int EXACT_BELOW_CANDIDATES_TIMES = 4;

  /** Distance arrays an index keeps between code scans ({@link #spareDistances}). */
  private static final int KEPT_DISTANCE_ARRAYS = 2;

  private static final int STRIPES = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final ExecutorService SEARCHERS =
      Executors.newFixedThreadPool(
          Math.max(1, STRIPES - 1), DaemonThreads.numbered("nami-vector-search-"));

  private final Object[] keys;
  private final float[] vectors;
  private final int dimension;
  private final long bytes;

  /** {@code |v|²} of each vector, rounded once from a double sum: the dot-product scan's term. */
  private final float[] norms;

  /** The largest {@code |v|}, for {@link #roundingBound}. */
  private final double maxNorm;

  /**
   * Per dimension, the {@code LEVELS - 1} ascending bounds between its levels: {@code thresholds[d
   * * (LEVELS - 1) + b]}.
   */
  private final float[] thresholds;

  /** 64-bit words of one vector's code: one per level bound and per 64 dimensions. */
  private final int words;

  /** The codes ({@link #encode}), {@link #words} per vector in ordinal order. */
  private final long[] codes;

  /**
   * Code-distance arrays ({@code 2n} bytes each) of finished code scans, for the next ones: a new
   * one per search would be zeroed each time and, over about 262,000 vectors, be a humongous object
   * to G1 (half a region of 1 MiB, the region size of heaps up to 2 GiB). At most {@value
   * #KEPT_DISTANCE_ARRAYS} are kept, however many threads searched at once: concurrent searches
   * beyond that allocate their own.
   */
  private final ArrayBlockingQueue<char[]> spareDistances =
      new ArrayBlockingQueue<>(KEPT_DISTANCE_ARRAYS);

  private VectorIndex(Object[] keys, float[] vectors, int dimension, long bytes) {
    this.keys = keys;
    this.vectors = vectors;
    this.dimension = dimension;
    this.bytes = bytes;
    this.norms = new float[keys.length];
    double max = 0;
    for (int i = 0; i < keys.length; i++) {
      double s = 0;
      for (int j = i * dimension; j < (i + 1) * dimension; j++) {
        s += (double) vectors[j] * vectors[j];
      }
      norms[i] = (float) s;
      max = Math.max(max, s);
    }
    this.maxNorm = Math.sqrt(max);
    // a code distance is at most (LEVELS - 1) * dimension, counted in a char: wider vectors
    // (over 9,362 dimensions) are always scanned exactly, as are indexes too small for any topK
    // to take the code scan
    boolean coded =
        (LEVELS - 1) * dimension <= Character.MAX_VALUE
            && keys.length > EXACT_BELOW_CANDIDATES_TIMES * MIN_CANDIDATES;
    this.thresholds = coded ? levelBounds(vectors, keys.length, dimension) : new float[0];
    this.words = coded ? (LEVELS - 1) * ((dimension + 63) / 64) : 0;
    this.codes = new long[keys.length * words];
    if (coded) {
      inStripes(
          keys.length,
          (stripe, from, to) -> {
            for (int i = from; i < to; i++) {
              encode(vectors, i * dimension, codes, i * words);
            }
          });
    }
  }

  /**
   * Each dimension's octiles over a sample of at most {@value #THRESHOLD_SAMPLE} vectors taken at
   * an even stride: the bounds between the code's levels, so that every level holds about as many
   * vectors whatever the data's distribution.
   */
  private static float[] levelBounds(float[] vectors, int count, int dim) {
    float[] bounds = new float[dim * (LEVELS - 1)];
    if (count == 0) {
      return bounds;
    }
    int sample = Math.min(count, THRESHOLD_SAMPLE);
    // 64 dimensions at a time, dimension-major (each one's sample in a row): the sampled rows are
    // read a 64-float run at a time, and the buffer stays at 1 MB whatever the dimension
    int block = Math.min(dim, 64);
    float[] values = new float[block * sample];
    for (int first = 0; first < dim; first += block) {
      int width = Math.min(block, dim - first);
      for (int j = 0; j < sample; j++) {
        int row = (int) ((long) j * count / sample) * dim + first;
        for (int d = 0; d < width; d++) {
          values[d * sample + j] = vectors[row + d];
        }
      }
      for (int d = 0; d < width; d++) {
        Arrays.sort(values, d * sample, (d + 1) * sample);
        for (int b = 0; b < LEVELS - 1; b++) {
          bounds[(first + d) * (LEVELS - 1) + b] = values[d * sample + (b + 1) * sample / LEVELS];
        }
      }
    }
    return bounds;
  }

  /**
   * Writes the code of the vector at {@code vectors[from..]} to {@code out[at..]}, {@link #words}
   * words: a thermometer code, where word {@code b} of each 64 dimensions has a dimension's bit set
   * if its value is at or above that dimension's {@code b}-th level bound. Two codes then differ in
   * as many bits as their levels are apart, summed over the dimensions: the bit count of their XOR
   * is an L1 distance over the levels, a cheap stand-in for the Euclidean one (one XOR and one
   * POPCNT per 64 dimensions and level bound, against 64 multiply-adds).
   */
  private void encode(float[] vectors, int from, long[] out, int at) {
    int chunks = (dimension + 63) / 64;
    float[] t = thresholds;
    for (int chunk = 0; chunk < chunks; chunk++) {
      // one register per level bound (LEVELS is 8), set without branches: a value's level is
      // random, and a mispredicted exit per dimension tripled the time to load an index
      long w0 = 0;
      long w1 = 0;
      long w2 = 0;
      long w3 = 0;
      long w4 = 0;
      long w5 = 0;
      long w6 = 0;
      for (int d = chunk * 64, end = Math.min(dimension, d + 64); d < end; d++) {
        float v = vectors[from + d];
        int bound = d * (LEVELS - 1);
        long bit = 1L << (d & 63);
        w0 |= v >= t[bound] ? bit : 0;
        w1 |= v >= t[bound + 1] ? bit : 0;
        w2 |= v >= t[bound + 2] ? bit : 0;
        w3 |= v >= t[bound + 3] ? bit : 0;
        w4 |= v >= t[bound + 4] ? bit : 0;
        w5 |= v >= t[bound + 5] ? bit : 0;
        w6 |= v >= t[bound + 6] ? bit : 0;
      }
      out[at + chunk] = w0;
      out[at + chunks + chunk] = w1;
      out[at + 2 * chunks + chunk] = w2;
      out[at + 3 * chunks + chunk] = w3;
      out[at + 4 * chunks + chunk] = w4;
      out[at + 5 * chunks + chunk] = w5;
      out[at + 6 * chunks + chunk] = w6;
    }
  }

  /** Work on the ordinals {@code [from, to)}, the {@code stripe}-th part of them. */
  @FunctionalInterface
  private interface Stripe {
    void run(int stripe, int from, int to);
  }

  /**
   * Runs {@code stripe} over {@code n} ordinals split into one part per core (one part below
   * {@value #MIN_PARALLEL_ROWS}), the first on the caller's thread, and returns the parts' count
   * once all are done.
   */
  private static int inStripes(int n, Stripe stripe) {
    int stripes = n < MIN_PARALLEL_ROWS ? 1 : STRIPES;
    List<CompletableFuture<Void>> others = new ArrayList<>(stripes - 1);
    for (int s = 1; s < stripes; s++) {
      int part = s;
      int from = (int) ((long) n * s / stripes);
      int to = (int) ((long) n * (s + 1) / stripes);
      others.add(CompletableFuture.runAsync(() -> stripe.run(part, from, to), SEARCHERS));
    }
    stripe.run(0, 0, n / stripes);
    others.forEach(CompletableFuture::join);
    return stripes;
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
    FastByteArrayOutputStream buffer =
        new FastByteArrayOutputStream(64 + keys.size() * (12 + dim * Float.BYTES));
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
      // big-endian, as DataOutput writes them; one write per vector, not four per float
      ByteBuffer vector = ByteBuffer.allocate(dim * Float.BYTES);
      for (float[] v : vectors) {
        if (v.length != dim) {
          throw new IllegalArgumentException(
              "a vector index holds one dimension. dim=" + dim + " found=" + v.length);
        }
        vector.asFloatBuffer().put(v);
        out.write(vector.array());
      }
      out.flush();
      CRC32C crc = new CRC32C();
      crc.update(buffer.array, 0, buffer.length);
      out.writeInt((int) crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.trim();
    return buffer.array;
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
   * About the {@code topK} nearest ordinals to {@code query} by Euclidean distance, nearest first
   * (ties by ordinal), with their exact distances; empty for a query of another dimension.
   *
   * <p>Two steps. A scan of the codes ({@link #encode}: one XOR and one bit count per 64 dimensions
   * and level bound, 56 bytes per 64 dimensions where the floats take 256) keeps {@value
   * #CANDIDATES_PER_RESULT} candidates per result asked for (at least {@value #MIN_CANDIDATES}):
   * the vectors whose codes are nearest to the query's. Then the candidates' exact distances pick
   * the answer, so every distance returned is exact and only membership is approximate: a vector
   * among the true {@code topK} is missed only if its code ranks it below all the candidates:
   * recall@10 0.9995 on 200k uniform random 64-dimension vectors, 0.98 on clustered ones
   * (docs/design/0009-vector-index.md). An index of at most {@value #EXACT_BELOW_CANDIDATES_TIMES}
   * times the candidates, or of vectors too wide for codes, is searched exactly ({@link
   * #searchExact}).
   */
  public List<Hit> search(float[] query, int topK) {
    int n = keys.length;
    if (query.length != dimension || topK <= 0 || n == 0) {
      return List.of();
    }
    if (!scansCodes(topK)) {
      return searchExact(query, topK);
    }
    char[] distances = spareDistances.poll();
    if (distances == null) {
      distances = new char[n];
    }
    int[] nearest;
    try {
      codeDistancesInto(query, distances);
      nearest = nearestCodes(distances, candidates(topK));
    } finally {
      spareDistances.offer(distances); // dropped when the index keeps enough already
    }
    // exact squared distance (non-negative, so its float bits order as it does) above the ordinal
    long[] ranked = new long[nearest.length];
    for (int j = 0; j < nearest.length; j++) {
      float squared = squaredDistance(nearest[j], query);
      ranked[j] = ((long) Float.floatToIntBits(squared) << 32) | nearest[j];
    }
    Arrays.sort(ranked);
    List<Hit> hits = new ArrayList<>(topK);
    for (int j = 0; j < topK; j++) {
      float squared = Float.intBitsToFloat((int) (ranked[j] >>> 32));
      hits.add(new Hit((int) ranked[j], Math.sqrt(squared)));
    }
    return hits;
  }

  /**
   * Candidates the code scan keeps for {@code topK} results (at most {@code Integer.MAX_VALUE}).
   */
  private static int candidates(int topK) {
    return (int)
        Math.min(Integer.MAX_VALUE, Math.max(MIN_CANDIDATES, (long) CANDIDATES_PER_RESULT * topK));
  }

  /** Whether {@link #search} takes the code scan for {@code topK} results (else it is exact). */
  boolean scansCodes(int topK) {
    return words > 0 && (long) candidates(topK) * EXACT_BELOW_CANDIDATES_TIMES < keys.length;
  }

  /** The code distance of every vector to {@code query}'s code, in a new array (for tests). */
  char[] codeDistancesTo(float[] query) {
    char[] into = new char[keys.length];
    codeDistancesInto(query, into);
    return into;
  }

  /**
   * Writes the code distance of every vector to {@code query}'s code into {@code into} (every
   * element, whatever it held), split over the cores.
   */
  private void codeDistancesInto(float[] query, char[] into) {
    long[] code = new long[words];
    encode(query, 0, code, 0);
    inStripes(keys.length, (stripe, from, to) -> codeDistances(code, from, to, into));
  }

  /**
   * The {@code count} ordinals nearest by {@code distances} (ties by ordinal), in ordinal order: a
   * histogram of the distances gives the cut.
   */
  private int[] nearestCodes(char[] distances, int count) {
    int n = keys.length;
    int[] histogram = new int[(LEVELS - 1) * dimension + 1];
    for (int i = 0; i < n; i++) {
      histogram[distances[i]]++;
    }
    int cut = 0; // the farthest code distance kept: all nearer ones, and the first ties at it
    int nearer = 0;
    while (nearer + histogram[cut] < count) {
      nearer += histogram[cut++];
    }
    int[] ordinals = new int[count];
    int kept = 0;
    int tiesLeft = count - nearer;
    for (int i = 0; i < n; i++) {
      int d = distances[i];
      if (d < cut || (d == cut && tiesLeft-- > 0)) {
        ordinals[kept++] = i;
      }
    }
    return ordinals;
  }

  /** The code distance to {@code code} of each ordinal in [from, to), into {@code into}. */
  private void codeDistances(long[] code, int from, int to, char[] into) {
    long[] c = codes;
    int w = words;
    if (w == LEVELS - 1) { // up to 64 dimensions: one word per bound, unrolled
      long q0 = code[0];
      long q1 = code[1];
      long q2 = code[2];
      long q3 = code[3];
      long q4 = code[4];
      long q5 = code[5];
      long q6 = code[6];
      for (int i = from, at = from * w; i < to; i++, at += w) {
        into[i] =
            (char)
                (Long.bitCount(c[at] ^ q0)
                    + Long.bitCount(c[at + 1] ^ q1)
                    + Long.bitCount(c[at + 2] ^ q2)
                    + Long.bitCount(c[at + 3] ^ q3)
                    + Long.bitCount(c[at + 4] ^ q4)
                    + Long.bitCount(c[at + 5] ^ q5)
                    + Long.bitCount(c[at + 6] ^ q6));
      }
      return;
    }
    for (int i = from, at = from * w; i < to; i++, at += w) {
      int a = 0;
      int b = 0;
      int j = 0;
      for (; j + 2 <= w; j += 2) { // two sums: the bit counts do not wait on each other's adds
        a += Long.bitCount(c[at + j] ^ code[j]);
        b += Long.bitCount(c[at + j + 1] ^ code[j + 1]);
      }
      if (j < w) {
        a += Long.bitCount(c[at + j] ^ code[j]);
      }
      into[i] = (char) (a + b);
    }
  }

  /**
   * The {@code topK} nearest ordinals to {@code query} by Euclidean distance, nearest first (ties
   * by ordinal); empty for a query of another dimension.
   *
   * <p>Two steps, and the answer is the one a scan of every exact distance gives. First a scan in
   * dot-product form ({@code |v|² - 2 v·q}, with {@code |v|²} computed at load) keeps the best
   * {@code topK + }{@value #SPARE} candidates: one load and one fused multiply-add per dimension,
   * over four vectors at a time so that each query element is loaded once for all four. Then the
   * candidates' exact distances are computed and sorted. The first form rounds differently (it
   * subtracts large numbers), so the answer is kept only if {@link #roundingBound} proves that no
   * vector left out can be nearer than the {@code topK}-th; otherwise the scan is redone with exact
   * distances (vectors far from the origin and close together: the bench never needs it).
   */
  public List<Hit> searchExact(float[] query, int topK) {
    int n = keys.length;
    if (query.length != dimension || topK <= 0 || n == 0) {
      return List.of();
    }
    int want = Math.min(topK, n);
    if (want + SPARE < n) {
      Nearest candidates = scanInParallel(query, want + SPARE, false);
      List<Hit> hits = candidates.exactly(this, query);
      double kth = hits.get(want - 1).distance();
      double queryNorm = squaredNorm(query);
      double worstLeftOut = candidates.worst() + queryNorm - roundingBound(queryNorm);
      if (kth * kth < worstLeftOut) {
        return hits.subList(0, want);
      }
    }
    return scanInParallel(query, want, true).exactly(this, query);
  }

  private Nearest scanInParallel(float[] query, int capacity, boolean exact) {
    int n = keys.length;
    Nearest[] parts = new Nearest[STRIPES];
    int stripes =
        inStripes(n, (stripe, from, to) -> parts[stripe] = scan(query, capacity, from, to, exact));
    if (stripes == 1) {
      return parts[0];
    }
    Nearest all = new Nearest(Math.min(capacity, n));
    for (int s = 0; s < stripes; s++) {
      for (int i = 0; i < parts[s].size; i++) {
        all.offer(parts[s].ordinals[i], parts[s].squared[i]);
      }
    }
    return all;
  }

  private Nearest scan(float[] query, int capacity, int from, int to, boolean exact) {
    Nearest nearest = new Nearest(Math.min(capacity, to - from));
    if (exact) {
      for (int i = from; i < to; i++) {
        nearest.offerIfBetter(i, squaredDistance(i, query));
      }
      return nearest;
    }
    int dim = dimension;
    float[] v = vectors;
    float[] norm = norms;
    int pairs = dim & ~1;
    int i = from;
    for (; i + 4 <= to; i += 4) {
      int a = i * dim;
      int b = a + dim;
      int c = b + dim;
      int d = c + dim;
      // eight independent sums (two per vector) keep both FMA units busy despite their latency
      float a0 = 0;
      float a1 = 0;
      float b0 = 0;
      float b1 = 0;
      float c0 = 0;
      float c1 = 0;
      float d0 = 0;
      float d1 = 0;
      for (int j = 0; j < pairs; j += 2) {
        float q0 = query[j];
        float q1 = query[j + 1];
        a0 = Math.fma(v[a + j], q0, a0);
        a1 = Math.fma(v[a + j + 1], q1, a1);
        b0 = Math.fma(v[b + j], q0, b0);
        b1 = Math.fma(v[b + j + 1], q1, b1);
        c0 = Math.fma(v[c + j], q0, c0);
        c1 = Math.fma(v[c + j + 1], q1, c1);
        d0 = Math.fma(v[d + j], q0, d0);
        d1 = Math.fma(v[d + j + 1], q1, d1);
      }
      if (pairs < dim) {
        float q0 = query[pairs];
        a0 = Math.fma(v[a + pairs], q0, a0);
        b0 = Math.fma(v[b + pairs], q0, b0);
        c0 = Math.fma(v[c + pairs], q0, c0);
        d0 = Math.fma(v[d + pairs], q0, d0);
      }
      nearest.offerIfBetter(i, norm[i] - 2 * (a0 + a1));
      nearest.offerIfBetter(i + 1, norm[i + 1] - 2 * (b0 + b1));
      nearest.offerIfBetter(i + 2, norm[i + 2] - 2 * (c0 + c1));
      nearest.offerIfBetter(i + 3, norm[i + 3] - 2 * (d0 + d1));
    }
    for (; i < to; i++) {
      int o = i * dim;
      float s0 = 0;
      float s1 = 0;
      for (int j = 0; j < pairs; j += 2) {
        s0 = Math.fma(v[o + j], query[j], s0);
        s1 = Math.fma(v[o + j + 1], query[j + 1], s1);
      }
      if (pairs < dim) {
        s0 = Math.fma(v[o + pairs], query[pairs], s0);
      }
      nearest.offerIfBetter(i, norm[i] - 2 * (s0 + s1));
    }
    return nearest;
  }

  /**
   * The squared Euclidean distance of ordinal {@code i} to {@code query}, as the answer gives it.
   */
  private float squaredDistance(int i, float[] query) {
    int o = i * dimension;
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (; j + 4 <= dimension; j += 4) {
      float d0 = vectors[o + j] - query[j];
      float d1 = vectors[o + j + 1] - query[j + 1];
      float d2 = vectors[o + j + 2] - query[j + 2];
      float d3 = vectors[o + j + 3] - query[j + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; j < dimension; j++) {
      float d = vectors[o + j] - query[j];
      s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static double squaredNorm(float[] v) {
    double s = 0;
    for (float f : v) {
      s += (double) f * f;
    }
    return s;
  }

  /**
   * A bound, in squared distance, on how far both the dot-product score ({@code |v|² - 2 v·q}, plus
   * {@code |q|²}) and the exact distance of any vector can be from the true squared distance. Float
   * sums of {@code n} terms err by at most {@code n·u} times the sum of the terms' magnitudes (u =
   * 2⁻²⁴), and every term here is bounded by {@code (|v| + |q|)²} (Cauchy–Schwarz); the bound uses
   * twice that unit and {@code dim + 4} terms, for the norm's own rounding and the final
   * subtraction.
   */
  private double roundingBound(double querySquaredNorm) {
    double reach = maxNorm + Math.sqrt(querySquaredNorm);
    return 2 * (dimension + 4) * 0x1p-23 * reach * reach;
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

  /**
   * Heap the loaded index holds, roughly: the vectors, their codes, the keys and the distance
   * arrays it may keep between code scans.
   */
  public long approximateHeapBytes() {
    long distanceArrays =
        words > 0 ? (long) KEPT_DISTANCE_ARRAYS * keys.length * Character.BYTES : 0;
    return (long) vectors.length * Float.BYTES
        + (long) codes.length * Long.BYTES
        + (long) keys.length * (40 + Float.BYTES)
        + distanceArrays;
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

    void offerIfBetter(int ordinal, float d) {
      if (size < capacity || d < squared[0]) {
        offer(ordinal, d);
      }
    }

    /** The kept ordinals with their exact distances, nearest first (ties by ordinal). */
    List<Hit> exactly(VectorIndex index, float[] query) {
      Nearest exact = new Nearest(size);
      for (int i = 0; i < size; i++) {
        exact.offer(ordinals[i], index.squaredDistance(ordinals[i], query));
      }
      return exact.sorted();
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
