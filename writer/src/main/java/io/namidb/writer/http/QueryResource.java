package io.namidb.writer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.query.CypherException;
import io.namidb.query.QueryJson;
import io.namidb.query.QueryOptions;
import io.namidb.writer.auth.Access;
import io.namidb.writer.auth.Role;
import io.namidb.writer.service.QueryService;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/query}: {@code {"query": "...", "parameters": {...}, "timeout": 5000}} → {@code
 * {"columns","rows","stats"}} (DESIGN §8; {@code "plan"} too for EXPLAIN and PROFILE). {@code
 * timeout} (milliseconds, optional) lowers or raises the query's time limit up to {@code
 * nami.query.max-timeout}. Errors: 400 {@code invalid_query} (syntax, with line and column, or
 * semantics), 400 {@code unsupported} (a construct NamiDB does not run, named), 400 {@code
 * query_failed} (a Cypher error while running), 413 {@code query_too_large}, 503 {@code
 * query_timeout}, and the usual ones (503 {@code fenced}, 400 {@code invalid_input} for a write the
 * schema refuses). With tokens on, a read token may run only queries that do not write: 403 {@code
 * forbidden} otherwise, before anything runs.
 */
@Path("/v1/query")
@Produces(MediaType.APPLICATION_JSON)
public class QueryResource {
  private static final Set<String> FIELDS = Set.of("query", "parameters", "timeout");

  @Inject QueryService queries;

  @POST
  @Blocking
  public ObjectNode query(byte[] body, RoutingContext rc) {
    JsonNode json = RequestJson.object(RequestJson.parse(body), "", FIELDS);
    String query = RequestJson.string(json, "query", "query", true);
    QueryOptions options = queries.options();
    JsonNode timeout = json.get("timeout");
    if (RequestJson.present(timeout)) {
      if (!timeout.canConvertToLong() || timeout.longValue() <= 0) {
        throw RequestJson.invalid("timeout", "expected a positive number of milliseconds");
      }
      Duration t = Duration.ofMillis(timeout.longValue());
      if (t.compareTo(queries.maxTimeout()) > 0) {
        throw RequestJson.invalid(
            "timeout",
            "longer than the server allows. timeout="
                + t.toMillis()
                + "ms max="
                + queries.maxTimeout().toMillis()
                + "ms");
      }
      options = options.withTimeout(t);
    }
    try {
      if (Access.roleOf(rc) == Role.READ && !queries.isReadOnly(query)) {
        throw new HttpProblem(
            403,
            ApiErrors.FORBIDDEN,
            "a read token cannot run a query that writes (CREATE, MERGE, SET, REMOVE, DELETE);"
                + " use a write token");
      }
      Map<String, Object> params = QueryJson.parameters(json.get("parameters"));
      return QueryJson.toJson(queries.execute(query, params, options));
    } catch (CypherException e) {
      throw problem(e);
    }
  }

  static HttpProblem problem(CypherException e) {
    return new HttpProblem(e.httpStatus(), e.code(), e.getMessage());
  }
}
