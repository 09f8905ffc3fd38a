package io.namidb.writer;

import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.util.Map;

/** The bad-input matrix on MinIO. */
@WithMinio
class BadInputMinioIT extends BadInputContract {
  private final MinioBucket s3;

  BadInputMinioIT(MinioBucket s3) {
    this.s3 = s3;
    TestCredentials.useFor(s3);
  }

  @Override
  String namespaceUri() {
    return s3.namespaceUri("data", "bad");
  }

  @Override
  Map<String, String> environment() {
    return WriterProcess.minioEnv(s3);
  }
}
