package io.namidb.writer.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.NamiException;
import io.namidb.engine.model.WriteBatch;
import io.namidb.writer.metrics.WriterMetrics;
import io.namidb.writer.service.WriterService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/write}: one batch {@code {"nodes","edges","deleteNodes","deleteEdges"}} (DESIGN
 * §8), checked against the schema and applied whole or not at all. Answers 200 {@code {"lsn"}} only
 * once the batch's WAL segment is durable; the request holds no thread while it waits.
 */
@Path("/v1/write")
@Produces(MediaType.APPLICATION_JSON)
public class WriteResource {
  @Inject WriterService service;
  @Inject WriterMetrics metrics;
  @Inject io.namidb.writer.service.WriterSettings settings;

  @POST
  @Blocking
  public CompletionStage<Response> write(byte[] body) {
    long start = System.nanoTime();
    CompletableFuture<Long> lsn;
    try {
      WriteBatch batch = service.schema().batchFromJson(RequestJson.parse(body));
      lsn = service.write(batch);
    } catch (RuntimeException e) {
      lsn = CompletableFuture.failedFuture(e);
    }
    Duration timeout = settings.http().writeTimeout();
    return lsn.copy()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (value, failure) -> {
              if (failure instanceof java.util.concurrent.CompletionException c
                  && c.getCause() != null) {
                failure = c.getCause();
              }
              if (failure instanceof TimeoutException) {
                failure =
                    new NamiException(
                        NamiException.Kind.TRANSIENT,
                        "write not acknowledged within "
                            + timeout
                            + " (nami.http.write-timeout): its outcome is unknown, it may still"
                            + " commit; retrying it is safe (writes are upserts and deletes)");
              }
              Response response;
              String outcome;
              if (failure == null) {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                out.put("lsn", value);
                response = Response.ok(out, MediaType.APPLICATION_JSON_TYPE).build();
                outcome = "ok";
              } else {
                ApiErrors.ApiError error = ApiErrors.of(failure);
                response = ApiErrors.response(failure);
                outcome = error.code();
              }
              metrics.recordWrite(start, outcome);
              return response;
            });
  }
}
