package io.namidb.writer;

import io.namidb.testkit.MinioBucket;

/**
 * Lets the engine's S3 store in the test JVM (used to list and read a namespace's objects) find the
 * test MinIO's credentials through the SDK default chain (system properties).
 */
final class TestCredentials {
  private TestCredentials() {}

  static void useFor(MinioBucket s3) {
    System.setProperty("aws.accessKeyId", s3.accessKey());
    System.setProperty("aws.secretAccessKey", s3.secretKey());
    System.setProperty("aws.region", s3.region());
  }
}
