package io.namidb.writer.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Which role each request needs (DESIGN §8, "--auth-tokens"). Health probes and metrics need none;
 * {@code GET}, {@code HEAD} and the read-only {@code POST}s need {@link Role#READ}; everything else
 * needs {@link Role#WRITE}. {@code POST /v1/query} passes with a read token; the query endpoint
 * then refuses a query that writes ({@link #roleOf}).
 */
public final class Access {
  /** Paths open to everyone: Kubernetes probes and Prometheus. Exact matches only. */
  static final Set<String> OPEN_PATHS =
      Set.of(
          "/q/health",
          "/q/health/live",
          "/q/health/ready",
          "/q/health/started",
          "/q/health/well",
          "/q/metrics");

  /** {@code POST} endpoints that only read. */
  static final Set<String> READ_ONLY_POSTS =
      Set.of("/v1/traverse", "/v1/vectors/search", "/v1/query");

  /** Where the role of an authenticated request is kept in its routing context. */
  static final String ROLE_KEY = "nami.auth.role";

  private Access() {}

  /** Whether {@code path} (normalised) is open to requests without a token. */
  static boolean open(String path) {
    return OPEN_PATHS.contains(path);
  }

  /** The role a request needs. */
  static Role needed(HttpMethod method, String path) {
    if (HttpMethod.GET.equals(method)
        || HttpMethod.HEAD.equals(method)
        || HttpMethod.OPTIONS.equals(method)) {
      return Role.READ;
    }
    if (HttpMethod.POST.equals(method) && READ_ONLY_POSTS.contains(path)) {
      return Role.READ;
    }
    return Role.WRITE;
  }

  /**
   * The role the request was authenticated with: {@link Role#WRITE} when authentication is off
   * (everyone may do everything then).
   */
  public static Role roleOf(RoutingContext rc) {
    Role role = rc.get(ROLE_KEY);
    return role == null ? Role.WRITE : role;
  }
}
