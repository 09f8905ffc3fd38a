package io.namidb.operator.controller;

import java.util.Optional;

/** Reads a writer's {@code GET /v1/status} (DESIGN §8). */
public interface WriterStatusClient {
  /**
   * Asks the writer at {@code endpoint}: its report, or why there is none (unreachable, another
   * answer than 200, an unreadable body).
   *
   * @param endpoint the writer's base URL, e.g. {@code http://10.232.1.7:8080}
   */
  Answer fetch(String endpoint);

  /** What one {@code GET /v1/status} gave: exactly one of a report and an error. */
  record Answer(WriterReport report, String error) {
    public static Answer of(WriterReport report) {
      return new Answer(report, null);
    }

    public static Answer failed(String error) {
      return new Answer(null, error);
    }

    public Optional<WriterReport> asOptional() {
      return Optional.ofNullable(report);
    }
  }

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
