package io.namidb.writer.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.NamiException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * The one place where failures become HTTP answers (DESIGN §8): {@code {"error":"<code>",
 * "message":"..."}} with
 *
 * <pre>
 * INVALID_INPUT   400 invalid_input      NOT_FOUND       404 not_found
 * CONFLICT        409 conflict           (body too big)  413 too_large
 * FENCED          503 fenced             TRANSIENT       503 unavailable (Retry-After: 1)
 * CONFIGURATION   500 configuration      CORRUPT         500 corrupt
 * INTERNAL        500 internal           anything else   500 internal
 * (no valid token) 401 unauthorized      (read token writing) 403 forbidden
 * </pre>
 *
 * 401 and 403 come from {@link io.namidb.writer.auth.AuthFilter}, before any endpoint runs.
 *
 * <p>HTTP-level refusals of the framework (unknown path, wrong method, ...) keep their status and
 * get a code from it. Server-side failures (5xx but 503) are logged; refusals of bad input are not.
 */
public final class ApiErrors {
  private static final Logger LOG = Logger.getLogger(ApiErrors.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Error code of a body larger than {@code nami.http.max-body-size}. */
  public static final String TOO_LARGE = "too_large";

  /** Error code of a request without a valid bearer token (401). */
  public static final String UNAUTHORIZED = "unauthorized";

  /** Error code of a read token asking to write (403). */
  public static final String FORBIDDEN = "forbidden";

  private ApiErrors() {}

  /** A failure with its HTTP status and error code. */
  public record ApiError(int status, String code, String message) {}

  /** How a failure is answered. */
  public static ApiError of(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof NamiException e) {
      return new ApiError(status(e.kind()), code(e.kind()), e.getMessage());
    }
    if (t instanceof HttpProblem p) {
      return new ApiError(p.status(), p.code(), p.getMessage());
    }
    if (t instanceof WebApplicationException w) {
      int status = w.getResponse().getStatus();
      return new ApiError(status, codeOfStatus(status), frameworkMessage(status, w));
    }
    return new ApiError(500, "internal", "unexpected failure. cause=" + t);
  }

  /** The response for a failure. */
  public static Response response(Throwable failure) {
    ApiError error = of(failure);
    if (error.status() >= 500 && error.status() != 503) {
      LOG.errorf(unwrap(failure), "request failed. code=%s", error.code());
    }
    return response(error);
  }

  /** The response for an error. */
  public static Response response(ApiError error) {
    Response.ResponseBuilder r =
        Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(body(error));
    if (error.status() == 503 && !"fenced".equals(error.code())) {
      r.header("Retry-After", "1");
    }
    return r.build();
  }

  /** {@code {"error","message"}}. */
  public static ObjectNode body(ApiError error) {
    ObjectNode body = JSON.objectNode();
    body.put("error", error.code());
    body.put("message", error.message() == null ? "" : error.message());
    return body;
  }

  static int status(NamiException.Kind kind) {
    return switch (kind) {
      case INVALID_INPUT -> 400;
      case TOO_LARGE -> 413;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case FENCED, TRANSIENT -> 503;
      case CONFIGURATION, CORRUPT, INTERNAL -> 500;
    };
  }

  static String code(NamiException.Kind kind) {
    return switch (kind) {
      case INVALID_INPUT -> "invalid_input";
      case TOO_LARGE -> TOO_LARGE;
      case NOT_FOUND -> "not_found";
      case CONFLICT -> "conflict";
      case FENCED -> "fenced";
      case TRANSIENT -> "unavailable";
      case CONFIGURATION -> "configuration";
      case CORRUPT -> "corrupt";
      case INTERNAL -> "internal";
    };
  }

  private static String codeOfStatus(int status) {
    return switch (status) {
      case 400 -> "invalid_input";
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 409 -> "conflict";
      case 413 -> TOO_LARGE;
      case 415 -> "unsupported_media_type";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal" : "invalid_input";
    };
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String frameworkMessage(int status, WebApplicationException w) {
    return switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 406 -> "only application/json responses are produced";
      case 415 -> "unsupported content type";
      default -> lowerFirst(w.getMessage());
    };
  }

  /** Framework messages start uppercase; ours are lowercase-first. */
  private static String lowerFirst(String s) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
