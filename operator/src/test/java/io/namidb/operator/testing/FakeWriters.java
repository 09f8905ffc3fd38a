package io.namidb.operator.testing;

import io.namidb.operator.controller.WriterStatusClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the writers' {@code GET /v1/status}: no pod runs under kube-api-test, so a test says what
 * the writer at an endpoint would answer. Unknown endpoints are unreachable.
 */
public final class FakeWriters implements WriterStatusClient {
  private final Map<String, WriterReport> reports = new ConcurrentHashMap<>();
  private final AtomicInteger asked = new AtomicInteger();
  private final Map<String, Credentials> presented = new ConcurrentHashMap<>();

  public void answer(String endpoint, WriterReport report) {
    reports.put(endpoint, report);
  }

  /** How many times the operator asked, over all endpoints. */
  public int asked() {
    return asked.get();
  }

  /** The credentials the operator last asked {@code endpoint} with. */
  public Credentials presented(String endpoint) {
    return presented.get(endpoint);
  }

  @Override
  public Answer fetch(String endpoint, Credentials credentials) {
    asked.incrementAndGet();
    presented.put(endpoint, credentials);
    WriterReport report = reports.get(endpoint);
    return report == null
        ? Answer.failed("connection refused from " + endpoint)
        : Answer.of(report);
  }
}
