package io.namidb.writer.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.writer.service.WriterService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /v1/status}: {@code {"namespace","state","epoch","manifestVersion","walSegment"}}
 * (DESIGN §8), plus {@code walCheckpoint}, {@code writerId}, {@code reason} (why the state is not
 * WRITER) and, when FENCED, {@code holder}: {@code {"writerId","epoch","manifestVersion"}} (and
 * {@code "sealed":true} after a purge) of the newest manifest, the writer that holds the namespace
 * now. Always answers, whatever the state; numbers are 0 until the namespace is open.
 */
@Path("/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
  @Inject WriterService service;

  @GET
  public ObjectNode status() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("namespace", service.namespace() == null ? "" : service.namespace().name());
    out.put("state", service.state().name());
    NamespaceWriter w = service.writerOrNull();
    out.put("epoch", w == null ? 0 : w.epoch());
    out.put("manifestVersion", w == null ? 0 : w.manifestVersion());
    out.put("walSegment", w == null ? 0 : w.walSegment());
    out.put("walCheckpoint", w == null ? 0 : w.manifest().walCheckpoint());
    out.put("writerId", w == null ? "" : w.writerId());
    String reason = service.stateReason();
    if (!reason.isEmpty()) {
      out.put("reason", reason);
    }
    service
        .holder()
        .ifPresent(
            h -> {
              ObjectNode holder = out.putObject("holder");
              holder.put("writerId", h.writerId());
              holder.put("epoch", h.epoch());
              holder.put("manifestVersion", h.manifestVersion());
              if (h.sealed()) {
                holder.put("sealed", true);
              }
            });
    return out;
  }
}
