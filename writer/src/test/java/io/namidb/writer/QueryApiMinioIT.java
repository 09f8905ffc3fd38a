package io.namidb.writer;

import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.util.Map;

/** {@code POST /v1/query} on MinIO. */
@WithMinio
class QueryApiMinioIT extends QueryApiContract {
  private final MinioBucket s3;

  QueryApiMinioIT(MinioBucket s3) {
    this.s3 = s3;
  }

  @Override
  String namespaceUri() {
    return s3.namespaceUri("data", "query");
  }

  @Override
  Map<String, String> environment() {
    return WriterProcess.minioEnv(s3);
  }
}
