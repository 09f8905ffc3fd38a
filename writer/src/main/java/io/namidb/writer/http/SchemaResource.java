package io.namidb.writer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.writer.service.WriterService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /v1/schema} returns the schema (DESIGN §8 shape); {@code PUT /v1/schema} merges an
 * additive change (new labels, edge types, properties, indexes; what it omits is kept) and returns
 * the schema now in force. A non-additive change is 409 {@code conflict}.
 */
@Path("/v1/schema")
@Produces(MediaType.APPLICATION_JSON)
public class SchemaResource {
  @Inject WriterService service;

  @GET
  public ObjectNode get() {
    return service.schema().toJson();
  }

  @PUT
  public ObjectNode put(byte[] body) {
    return service.evolveSchema(RequestJson.parse(body)).toJson();
  }
}
