package io.namidb.writer;

import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.util.Map;

/** SIGTERM during a write stream on MinIO. */
@WithMinio
class GracefulShutdownMinioIT extends GracefulShutdownContract {
  private final MinioBucket s3;

  GracefulShutdownMinioIT(MinioBucket s3) {
    this.s3 = s3;
  }

  @Override
  String namespaceUri() {
    return s3.namespaceUri("data", "drain");
  }

  @Override
  Map<String, String> environment() {
    return WriterProcess.minioEnv(s3);
  }
}
