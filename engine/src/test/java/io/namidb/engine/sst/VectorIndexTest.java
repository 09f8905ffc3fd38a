package io.namidb.engine.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.CorruptObjectException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VectorIndexTest {
  private static final int DIM = 16;

  private static float[] random(SplittableRandom random) {
    return uniform(random, DIM);
  }

  /** A vector of {@code dim} values drawn uniformly from [0, 1). */
  private static float[] uniform(SplittableRandom random, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) random.nextDouble();
    }
    return v;
  }

  private static double l2(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
    }
    return Math.sqrt(sum);
  }

  @Test
  void theBytesOfAnIndexAreThoseItsFormatVersionAlwaysWrote() throws Exception {
    // digests of what the first writer of version 1 made from this input: a change of byte order
    // or layout would leave every index already stored unreadable
    Random random = new Random(1);
    List<Object> ints = new ArrayList<>();
    List<Object> strings = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      ints.add((long) i * 3 - 7);
      strings.add("k" + ((long) i * 3 - 7));
      float[] v = new float[17];
      for (int d = 0; d < v.length; d++) {
        v[d] = random.nextFloat() - 0.5f;
      }
      vectors.add(v);
    }
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] intIndex = VectorIndex.build(ints, vectors);
    assertThat(intIndex).hasSize(380_022);
    assertThat(HexFormat.of().formatHex(sha.digest(intIndex)))
        .isEqualTo("fb426cf96e401e27a56c55350d36f906e42bc631535003b1f2358e5b0f7bacc7");
    byte[] stringIndex = VectorIndex.build(strings, vectors);
    assertThat(stringIndex).hasSize(386_311);
    assertThat(HexFormat.of().formatHex(sha.digest(stringIndex)))
        .isEqualTo("c20880eddafd5c4e24a5e96728bf7c79ac77d25435347675fa084c650a2d431c");
  }

  @Test
  void theNearestByExactDistanceOverEveryStripeAndARoundTrip() {
    SplittableRandom random = new SplittableRandom(14);
    List<Object> keys = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) { // above the parallel threshold: split over the cores
      keys.add((long) i * 7);
      vectors.add(random(random));
    }
    VectorIndex index = VectorIndex.read("test", VectorIndex.build(keys, vectors));
    assertThat(index.size()).isEqualTo(20_000);
    assertThat(index.dimension()).isEqualTo(DIM);

    int queries = 20;
    for (int q = 0; q < queries; q++) {
      float[] query = random(random);
      List<Object> truth =
          IntStream.range(0, vectors.size())
              .boxed()
              .sorted(Comparator.comparingDouble(i -> l2(query, vectors.get(i))))
              .limit(10)
              .map(keys::get)
              .toList();
      List<VectorIndex.Hit> hits = index.searchExact(query, 10);
      assertThat(hits).hasSize(10);
      for (VectorIndex.Hit hit : hits) {
        // the key and the distance are those of the vector at that ordinal
        assertThat(hit.distance())
            .isCloseTo(
                l2(query, vectors.get(hit.ordinal())), org.assertj.core.data.Offset.offset(1e-3));
        assertThat(index.key(hit.ordinal())).isEqualTo(keys.get(hit.ordinal()));
      }
      assertThat(hits.stream().map(h -> index.key(h.ordinal())).toList()).isEqualTo(truth);
    }
    assertThat(index.searchExact(new float[DIM + 1], 10)).isEmpty();
    assertThat(index.search(new float[DIM + 1], 10)).isEmpty();
    assertThat(index.scansCodes(10)).isTrue();
    assertThat(index.scansCodes(30_000)).isFalse(); // candidates would be most of the index
    assertThat(index.search(random(random), 30_000)).hasSize(20_000);
  }

  /**
   * The code scan's answer against the exact one, on 20,000 vectors (the code scan's side of the
   * size rule), uniform and in 20 tight clusters (where octiles over the whole index are coarse
   * inside one cluster), of 64 dimensions (one word per level bound) and of 100 (two, the second
   * half used). Codes that carried no information (all equal, or levels mixed up) would keep the
   * first candidates by ordinal and find about 5 % of the answer.
   */
  @Test
  void theCodeScanFindsNearlyAllOfTheExactAnswerOnUniformAndClusteredVectors() {
    for (int run = 0; run < 3; run++) {
      int dim = run == 2 ? 100 : 64;
      boolean clustered = run == 1;
      SplittableRandom random = new SplittableRandom(clustered ? 21 : 20);
      float[][] centres = new float[20][dim];
      for (float[] c : centres) {
        for (int d = 0; d < dim; d++) {
          c[d] = (float) random.nextGaussian();
        }
      }
      java.util.function.Supplier<float[]> next =
          () -> {
            float[] v = new float[dim];
            float[] c = centres[random.nextInt(centres.length)];
            for (int d = 0; d < dim; d++) {
              v[d] =
                  clustered
                      ? c[d] + 0.3f * (float) random.nextGaussian()
                      : (float) random.nextDouble();
            }
            return v;
          };
      List<Object> keys = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        keys.add((long) i);
        vectors.add(next.get());
      }
      VectorIndex index = VectorIndex.read("test", VectorIndex.build(keys, vectors));
      assertThat(index.scansCodes(10)).isTrue();
      int found = 0;
      int queries = 50;
      for (int q = 0; q < queries; q++) {
        float[] query = next.get();
        List<VectorIndex.Hit> hits = index.search(query, 10);
        assertThat(hits).hasSize(10);
        for (int h = 0; h < hits.size(); h++) {
          VectorIndex.Hit hit = hits.get(h);
          assertThat(hit.distance())
              .isCloseTo(
                  l2(query, vectors.get(hit.ordinal())), org.assertj.core.data.Offset.offset(1e-3));
          if (h > 0) {
            assertThat(hit.distance()).isGreaterThanOrEqualTo(hits.get(h - 1).distance());
          }
        }
        List<Integer> exact =
            index.searchExact(query, 10).stream().map(VectorIndex.Hit::ordinal).toList();
        found += (int) hits.stream().filter(h -> exact.contains(h.ordinal())).count();
      }
      assertThat(found / (queries * 10.0))
          .as("recall@10, dim=%s clustered=%s", dim, clustered)
          .isGreaterThan(0.95);
    }
  }

  /**
   * Code scans reuse the distance arrays of finished ones: searches from several threads at once,
   * more than the arrays an index keeps, each give the answer the same search gives alone.
   */
  @Test
  void concurrentSearchesGiveTheAnswersOfSequentialOnes() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    List<Object> keys = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      keys.add((long) i);
      vectors.add(uniform(random, 64));
    }
    VectorIndex index = VectorIndex.read("test", VectorIndex.build(keys, vectors));
    assertThat(index.scansCodes(10)).isTrue();
    List<float[]> queries = new ArrayList<>();
    List<List<VectorIndex.Hit>> alone = new ArrayList<>();
    for (int q = 0; q < 40; q++) {
      float[] query = uniform(random, 64);
      queries.add(query);
      alone.add(index.search(query, 10));
    }
    int threads = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Integer>> mismatches = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * 7;
        mismatches.add(
            pool.submit(
                () -> {
                  int wrong = 0;
                  for (int pass = 0; pass < 3; pass++) {
                    for (int j = 0; j < queries.size(); j++) {
                      int q = (j + offset) % queries.size();
                      if (!index.search(queries.get(q), 10).equals(alone.get(q))) {
                        wrong++;
                      }
                    }
                  }
                  return wrong;
                }));
      }
      for (java.util.concurrent.Future<Integer> m : mismatches) {
        assertThat(m.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The scan unrolls codes of up to 64 dimensions (one word per level bound); wider ones take a
   * general loop. A 65th dimension that is 0 everywhere (every value at its one level) adds nothing
   * to a code distance, so the same vectors with it must score exactly as without it: the unrolled
   * and the general loop agree, word for word.
   */
  @Test
  void theUnrolledCodeScanAgreesWithTheGeneralOne() {
    SplittableRandom random = new SplittableRandom(64);
    List<Object> keys = new ArrayList<>();
    List<float[]> narrow = new ArrayList<>();
    List<float[]> wide = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      float[] v = uniform(random, 64);
      keys.add((long) i);
      narrow.add(v);
      wide.add(java.util.Arrays.copyOf(v, 65));
    }
    VectorIndex unrolled = VectorIndex.read("test", VectorIndex.build(keys, narrow));
    VectorIndex general = VectorIndex.read("test", VectorIndex.build(keys, wide));
    for (int q = 0; q < 5; q++) {
      float[] query = narrow.get(random.nextInt(narrow.size()));
      char[] expected = general.codeDistancesTo(java.util.Arrays.copyOf(query, 65));
      assertThat(unrolled.codeDistancesTo(query)).isEqualTo(expected);
      assertThat(new String(expected).chars().max().getAsInt()).isGreaterThan(100);
    }
  }

  /**
   * Vectors whose codes tie with the last candidate's are kept by ordinal, and the answer orders
   * candidates by exact distance then ordinal: with every vector equal but one, the query's own
   * vector comes first and the ties follow from ordinal 0.
   */
  @Test
  void codeTiesAreKeptByOrdinalAndTheAnswerIsOrderedByExactDistance() {
    List<Object> keys = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    float[] same = new float[DIM];
    java.util.Arrays.fill(same, 0.5f);
    for (int i = 0; i < 10_000; i++) {
      keys.add((long) i);
      vectors.add(same);
    }
    float[] odd = same.clone();
    odd[3] = 0.1f;
    vectors.set(7_777, odd);
    VectorIndex index = VectorIndex.read("test", VectorIndex.build(keys, vectors));
    List<VectorIndex.Hit> hits = index.search(odd, 10);
    assertThat(hits.stream().map(VectorIndex.Hit::ordinal).toList())
        .containsExactly(7_777, 0, 1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(hits.get(0).distance()).isZero();
    assertThat(hits.get(1).distance()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-6));
  }

  /**
   * The fast scan scores in dot-product form, which rounds badly far from the origin; with every
   * vector at 10,000 plus noise below 1 its scores are off by more than the distances between
   * neighbours, so only the rounding check and the exact rescan give the right answer. Odd
   * dimensions and row counts that are not a multiple of four take the scan's tail paths.
   */
  @Test
  void theAnswerIsTheExactOneFarFromTheOriginAndForOddSizes() {
    for (float offset : new float[] {0, 10_000}) {
      for (int dim : new int[] {1, 5, 64}) {
        SplittableRandom random = new SplittableRandom(dim);
        List<Object> keys = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 1_003; i++) {
          keys.add((long) i);
          float[] v = new float[dim];
          for (int d = 0; d < dim; d++) {
            v[d] = offset + (float) random.nextDouble();
          }
          vectors.add(v);
        }
        VectorIndex index = VectorIndex.read("test", VectorIndex.build(keys, vectors));
        assertThat(index.scansCodes(7)).isFalse(); // 1,003 rows: exact
        for (int q = 0; q < 10; q++) {
          float[] query = vectors.get(random.nextInt(vectors.size())).clone();
          query[0] += 0.25f;
          List<Integer> truth =
              IntStream.range(0, vectors.size())
                  .boxed()
                  .sorted(
                      Comparator.<Integer>comparingDouble(i -> l2(query, vectors.get(i)))
                          .thenComparing(i -> i))
                  .limit(7)
                  .toList();
          assertThat(index.search(query, 7).stream().map(VectorIndex.Hit::ordinal).toList())
              .as("offset %s dim %s query %s", offset, dim, q)
              .isEqualTo(truth);
        }
      }
    }
  }

  @Test
  void stringKeysRoundTrip() {
    SplittableRandom random = new SplittableRandom(3);
    List<Object> keys = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      keys.add("node-é-" + i);
      vectors.add(random(random));
    }
    VectorIndex index = VectorIndex.read("test", VectorIndex.build(keys, vectors));
    List<VectorIndex.Hit> hits = index.search(vectors.get(17), 1);
    assertThat(index.key(hits.get(0).ordinal())).isEqualTo("node-é-17");
    assertThat(hits.get(0).distance()).isZero();
  }

  @Test
  void aFlippedBitOrAnUnknownVersionIsRejected() {
    SplittableRandom random = new SplittableRandom(5);
    List<Object> keys = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add((long) i);
      vectors.add(random(random));
    }
    byte[] bytes = VectorIndex.build(keys, vectors);
    byte[] flipped = bytes.clone();
    flipped[bytes.length / 2] ^= 1;
    assertThatThrownBy(() -> VectorIndex.read("x.vix", flipped))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("checksum")
        .hasMessageContaining("object=x.vix");
    byte[] future = bytes.clone();
    future[7] = 9;
    assertThatThrownBy(() -> VectorIndex.read("x.vix", future))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("version=9");
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 9);
    assertThatThrownBy(() -> VectorIndex.read("x.vix", truncated))
        .isInstanceOf(CorruptObjectException.class);
    assertThatThrownBy(() -> VectorIndex.read("x.vix", new byte[3]))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("bad magic");
    // a count the object cannot hold, under a valid checksum: refused, not an array overflow
    byte[] lying = bytes.clone();
    java.nio.ByteBuffer.wrap(lying).putInt(8 + 4 + 1, 1 << 28);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(lying, 0, lying.length - 4);
    java.nio.ByteBuffer.wrap(lying).putInt(lying.length - 4, (int) crc.getValue());
    assertThatThrownBy(() -> VectorIndex.read("x.vix", lying))
        .isInstanceOf(CorruptObjectException.class)
        .hasMessageContaining("count=" + (1 << 28));
  }

  @Test
  void indexKeysSitBesideTheirSstAndGoWithIt() {
    String sst = SstNames.node("Person", SstNames.id(3, 12));
    String index = SstNames.vectorIndex(sst, "emb");
    assertThat(index).isEqualTo("sst/nodes/Person/00000000000000000003-00000012.emb.vix");
    assertThat(SstNames.ownerOf(index)).isEqualTo(sst);
    assertThat(SstNames.ownerOf(sst)).isEqualTo(sst);
    assertThat(SstNames.epochOf(SstNames.idOf(index))).isEqualTo(3);
  }
}
