package io.namidb.writer.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.namidb.writer.http.ApiErrors;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Requires {@code Authorization: Bearer <token>} on every request but health probes and metrics,
 * when {@link AuthTokens} is on. No token, or one the file does not list: 401 {@code unauthorized};
 * a read token where writing is asked: 403 {@code forbidden}; both with the usual JSON error body.
 * Runs before every other filter and route, so a refused request reads no body and reaches no
 * endpoint.
 *
 * <p>Each refusal is counted in {@code nami_http_requests_refused_total{reason}} and logged at INFO
 * with the client's address, method and path, never the token; at most once per client address per
 * {@value #LOG_WINDOW_SECONDS} s, so that a client retrying in a loop cannot flood the log.
 */
@ApplicationScoped
public class AuthFilter {
  private static final Logger LOG = Logger.getLogger(AuthFilter.class);
  static final long LOG_WINDOW_SECONDS = 10;
  private static final String BEARER = "bearer ";

  /** Before {@code BodyLimit} (100) and the REST routes. */
  static final int PRIORITY = 200;

  @Inject AuthTokens tokens;
  @Inject MeterRegistry registry;

  private final Cache<String, Boolean> recentlyLogged =
      Caffeine.newBuilder()
          .maximumSize(10_000)
          .expireAfterWrite(Duration.ofSeconds(LOG_WINDOW_SECONDS))
          .build();
  private Counter unauthorized;
  private Counter forbidden;

  void register(@Observes Filters filters) {
    unauthorized = refusals(ApiErrors.UNAUTHORIZED);
    forbidden = refusals(ApiErrors.FORBIDDEN);
    filters.register(this::check, PRIORITY);
  }

  private Counter refusals(String reason) {
    return Counter.builder("nami.http.requests.refused")
        .description("Requests refused by authentication (401) or authorisation (403)")
        .tag("reason", reason)
        .register(registry);
  }

  void check(RoutingContext rc) {
    Optional<Tokens> inForce = tokens.current();
    if (inForce.isEmpty()) {
      rc.next();
      return;
    }
    String path = rc.normalizedPath();
    if (Access.open(path)) {
      rc.next();
      return;
    }
    Role needed = Access.needed(rc.request().method(), path);
    String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      refuse(rc, 401, ApiErrors.UNAUTHORIZED, "missing bearer token", path);
      return;
    }
    if (header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      refuse(rc, 401, ApiErrors.UNAUTHORIZED, "not a bearer token", path);
      return;
    }
    Optional<Role> role = inForce.get().roleOf(header.substring(BEARER.length()).strip());
    if (role.isEmpty()) {
      refuse(rc, 401, ApiErrors.UNAUTHORIZED, "unknown token", path);
      return;
    }
    if (!role.get().allows(needed)) {
      refuse(rc, 403, ApiErrors.FORBIDDEN, "a read token cannot write", path);
      return;
    }
    rc.put(Access.ROLE_KEY, role.get());
    rc.next();
  }

  private void refuse(RoutingContext rc, int status, String code, String reason, String path) {
    (status == 401 ? unauthorized : forbidden).increment();
    String client = client(rc);
    if (recentlyLogged.asMap().putIfAbsent(client, Boolean.TRUE) == null) {
      LOG.infof(
          "request refused: %s. code=%d client=%s method=%s path=%s (further refusals of this"
              + " client within %ds are counted, not logged)",
          reason, status, client, rc.request().method().name(), loggable(path), LOG_WINDOW_SECONDS);
    }
    String message =
        status == 401
            ? reason
                + ": send 'Authorization: Bearer <token>' with a token of the writer's token file"
            : "forbidden: "
                + reason
                + "; this endpoint needs a write token. method="
                + rc.request().method().name()
                + " path="
                + loggable(path);
    String challenge =
        status == 401
            ? "Bearer realm=\"namidb\""
            : "Bearer realm=\"namidb\", error=\"insufficient_scope\"";
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("WWW-Authenticate", challenge)
        .end(ApiErrors.body(new ApiErrors.ApiError(status, code, message)).toString());
  }

  private static String client(RoutingContext rc) {
    SocketAddress remote = rc.request().remoteAddress();
    return remote == null ? "unknown" : remote.hostAddress();
  }

  /** A path as it may be logged: printable, at most 200 characters. */
  private static String loggable(String path) {
    String p = path == null ? "" : path.replaceAll("[^\\x21-\\x7e]", "?");
    return p.length() > 200 ? p.substring(0, 200) + "..." : p;
  }
}
