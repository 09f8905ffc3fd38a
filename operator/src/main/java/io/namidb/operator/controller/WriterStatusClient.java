package io.namidb.operator.controller;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** Reads a writer's {@code GET /v1/status} (DESIGN §8). */
public interface WriterStatusClient {
  /**
   * Asks the writer at {@code endpoint}: its report, or why there is none (unreachable, another
   * answer than 200, an unreadable body).
   *
   * @param endpoint the writer's base URL, e.g. {@code http://10.232.1.7:8080}
   * @param credentials the bearer tokens to authenticate with and, for {@code https}, the
   *     certificates to trust
   */
  Answer fetch(String endpoint, Credentials credentials);

  /**
   * How to authenticate to one tenant's writer.
   *
   * @param tokens bearer tokens to try in order (read tokens first): the next one is tried on 401,
   *     so a token file in the middle of a rotation still works
   * @param trust the certificates an {@code https} writer must chain to (the TLS Secret's {@code
   *     ca.crt}, else its {@code tls.crt}); the host name is not checked, since the operator asks
   *     the pod by IP and trusts only this tenant's certificates
   */
  record Credentials(List<String> tokens, List<X509Certificate> trust) {
    public static final Credentials NONE = new Credentials(List.of(), List.of());

    public Credentials {
      tokens = List.copyOf(tokens);
      trust = List.copyOf(trust);
    }

    /** Never the tokens: a record's default toString would print them. */
    @Override
    public String toString() {
      return "Credentials[tokens=" + tokens.size() + ", trust=" + trust.size() + "]";
    }
  }

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

  /**
   * The body of {@code GET /v1/status}; fields the operator does not know are ignored. {@code
   * holder} comes only with {@code FENCED}: who holds the namespace, as its newest manifest says.
   */
  record WriterReport(
      String namespace,
      String state,
      Long epoch,
      Long manifestVersion,
      Long walSegment,
      String reason,
      String writerId,
      Holder holder) {
    public WriterReport(
        String namespace, String state, Long epoch, Long manifestVersion, Long walSegment) {
      this(namespace, state, epoch, manifestVersion, walSegment, null, null, null);
    }

    public WriterReport(
        String namespace,
        String state,
        Long epoch,
        Long manifestVersion,
        Long walSegment,
        String reason,
        String writerId) {
      this(namespace, state, epoch, manifestVersion, walSegment, reason, writerId, null);
    }

    /** This writer lost the namespace to another one. */
    public boolean fenced() {
      return "FENCED".equals(state);
    }
  }

  /**
   * The writer that holds a namespace a fenced writer lost: the newest manifest's writer id and
   * epoch ({@code sealed}: the namespace was purged).
   */
  record Holder(String writerId, Long epoch, Long manifestVersion, Boolean sealed) {}
}
