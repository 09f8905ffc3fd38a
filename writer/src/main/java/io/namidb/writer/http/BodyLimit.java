package io.namidb.writer.http;

import io.namidb.writer.service.WriterSettings;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Refuses request bodies over {@code nami.http.max-body-size} with 413 {@code too_large} before any
 * of the body is read, by their {@code Content-Length}. Chunked bodies without a length are cut off
 * by the HTTP layer at the same limit ({@code quarkus.http.limits.max-body-size} is set to it).
 */
@ApplicationScoped
public class BodyLimit {
  @Inject WriterSettings settings;

  void register(@Observes Filters filters) {
    long max = settings.http().maxBodySize().asLongValue();
    filters.register(
        rc -> {
          String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
          long declared = -1;
          if (length != null) {
            try {
              declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
              declared = -1;
            }
          }
          if (declared > max) {
            ApiErrors.ApiError error =
                new ApiErrors.ApiError(
                    413,
                    ApiErrors.TOO_LARGE,
                    "request body too large. bytes=" + declared + " max=" + max);
            rc.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(ApiErrors.body(error).toString());
            return;
          }
          rc.next();
        },
        // before the REST routes
        100);
  }
}
