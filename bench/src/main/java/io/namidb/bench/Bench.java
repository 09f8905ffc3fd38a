package io.namidb.bench;

import io.namidb.testkit.MinioServer;

/** Shared helpers of the benchmark mains. */
final class Bench {
  private Bench() {}

  /** A real MinIO from dev/testbin, with its credentials visible to the AWS SDK default chain. */
  static MinioServer startMinio() {
    MinioServer minio = MinioServer.start();
    System.setProperty("aws.accessKeyId", MinioServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", MinioServer.SECRET_KEY);
    System.setProperty("aws.region", MinioServer.REGION);
    return minio;
  }
}
