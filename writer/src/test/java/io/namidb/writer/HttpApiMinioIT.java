package io.namidb.writer;

import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.util.Map;

/** The HTTP API on a real S3 store: MinIO. */
@WithMinio
class HttpApiMinioIT extends HttpApiContract {
  private final MinioBucket s3;

  HttpApiMinioIT(MinioBucket s3) {
    this.s3 = s3;
  }

  @Override
  String namespaceUri() {
    return s3.namespaceUri("data", "api");
  }

  @Override
  Map<String, String> environment() {
    return WriterProcess.minioEnv(s3);
  }
}
