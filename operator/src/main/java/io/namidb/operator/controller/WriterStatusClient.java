package io.namidb.operator.controller;

import java.util.Optional;

/** Reads a writer's {@code GET /v1/status} (DESIGN §8). */
public interface WriterStatusClient {
  /**
   * The writer's report, or empty when it cannot be reached or answers with something else (the
   * operator may run outside the cluster, where Service DNS names do not resolve).
   *
   * @param endpoint the writer's base URL, e.g. {@code http://acme-writer.tenants.svc:8080}
   */
  Optional<WriterReport> fetch(String endpoint);

  /** The body of {@code GET /v1/status}; fields the operator does not know are ignored. */
  record WriterReport(
      String namespace,
      String state,
      Long epoch,
      Long manifestVersion,
      Long walSegment,
      String reason,
      String writerId) {
    public WriterReport(
        String namespace, String state, Long epoch, Long manifestVersion, Long walSegment) {
      this(namespace, state, epoch, manifestVersion, walSegment, null, null);
    }

    /** This writer lost the namespace to another one. */
    public boolean fenced() {
      return "FENCED".equals(state);
    }
  }
}
