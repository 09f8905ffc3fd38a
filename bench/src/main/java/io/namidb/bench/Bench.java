package io.namidb.bench;

import io.namidb.testkit.MinioServer;

/** Shared helpers of the benchmark mains. */
final class Bench {
  private Bench() {}

  /**
   * Latencies recorded by closed-loop clients, each into its own array whose last slot holds its
   * count, merged and sorted.
   */
  static long[] mergeSorted(java.util.List<long[]> perClient) {
    int total = 0;
    for (long[] l : perClient) {
      total += (int) l[l.length - 1];
    }
    long[] all = new long[total];
    int at = 0;
    for (long[] l : perClient) {
      int n = (int) l[l.length - 1];
      System.arraycopy(l, 0, all, at, n);
      at += n;
    }
    java.util.Arrays.sort(all);
    return all;
  }

  /** The {@code p} quantile (0..1) of sorted values, nearest rank. */
  static double percentile(long[] sorted, double p) {
    return sorted.length == 0
        ? 0
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  /** A real MinIO from dev/testbin, with its credentials visible to the AWS SDK default chain. */
  static MinioServer startMinio() {
    MinioServer minio = MinioServer.start();
    System.setProperty("aws.accessKeyId", MinioServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", MinioServer.SECRET_KEY);
    System.setProperty("aws.region", MinioServer.REGION);
    return minio;
  }
}
