package io.namidb.operator.testing;

import io.namidb.operator.controller.WriterStatusClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the writers' {@code GET /v1/status}: no pod runs under kube-api-test, so a test says what
 * the writer at an endpoint would answer. Unknown endpoints are unreachable.
 */
public final class FakeWriters implements WriterStatusClient {
  private final Map<String, WriterReport> reports = new ConcurrentHashMap<>();

  public void answer(String endpoint, WriterReport report) {
    reports.put(endpoint, report);
  }

  @Override
  public Optional<WriterReport> fetch(String endpoint) {
    return Optional.ofNullable(reports.get(endpoint));
  }
}
