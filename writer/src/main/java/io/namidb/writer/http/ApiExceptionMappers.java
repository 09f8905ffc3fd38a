package io.namidb.writer.http;

import io.namidb.engine.NamiException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Routes every failure a resource throws through {@link ApiErrors}. */
public final class ApiExceptionMappers {
  @ServerExceptionMapper
  public Response nami(NamiException e) {
    return ApiErrors.response(e);
  }

  @ServerExceptionMapper
  public Response problem(HttpProblem e) {
    return ApiErrors.response(e);
  }

  @ServerExceptionMapper
  public Response framework(WebApplicationException e, HttpServerRequest request) {
    ApiErrors.ApiError error = ApiErrors.of(e);
    return ApiErrors.response(
        new ApiErrors.ApiError(
            error.status(),
            error.code(),
            error.message() + ". method=" + request.method() + " path=" + request.path()));
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    return ApiErrors.response(e);
  }
}
