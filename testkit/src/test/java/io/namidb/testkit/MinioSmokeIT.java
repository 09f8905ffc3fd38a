package io.namidb.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Proves the harness gives a real S3 server that honours create-if-absent. */
@WithMinio
class MinioSmokeIT {

  @Test
  void secondConditionalCreateOfSameKeyGets412(MinioBucket minio) {
    try (S3Client s3 = minio.client()) {
      s3.putObject(
          b -> b.bucket(minio.bucket()).key("probe/key").ifNoneMatch("*"),
          RequestBody.fromString("first"));

      assertThatThrownBy(
              () ->
                  s3.putObject(
                      b -> b.bucket(minio.bucket()).key("probe/key").ifNoneMatch("*"),
                      RequestBody.fromString("second")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));

      String stored =
          s3.getObject(
                  b -> b.bucket(minio.bucket()).key("probe/key"), ResponseTransformer.toBytes())
              .asUtf8String();
      assertThat(stored).isEqualTo("first");
    }
  }

  @Test
  void eachTestClassGetsABucketNamedAfterIt(MinioBucket minio) {
    try (S3Client s3 = minio.client()) {
      assertThat(s3.headBucket(b -> b.bucket(minio.bucket())).sdkHttpResponse().isSuccessful())
          .isTrue();
      assertThat(minio.bucket()).startsWith("t-miniosmokeit-");
    }
  }
}
