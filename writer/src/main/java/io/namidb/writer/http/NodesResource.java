package io.namidb.writer.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.NamiException;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.schema.Schema;
import io.namidb.writer.service.WriterService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Reads by key (DESIGN §8). The key segment is parsed by the label's key type: a decimal integer
 * for INT64 labels (400 otherwise). An unknown label is 400; a node that does not exist is 404.
 *
 * <ul>
 *   <li>{@code GET /v1/nodes/{label}/{key}}: {@code {"label","key","props"}};
 *   <li>{@code GET /v1/nodes/{label}/{key}/edges?type=&direction=out|in|both&limit=}: {@code
 *       {"edges":[{"type","from":{"label","key"},"to":{"label","key"},"props"}]}}; every type when
 *       {@code type} is absent, both directions when {@code direction} is, at most {@code limit}
 *       (default 1000, at most 100000).
 * </ul>
 */
@Path("/v1/nodes/{label}/{key}")
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {
  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 100_000;

  @Inject WriterService service;

  @GET
  public ObjectNode node(@PathParam("label") String label, @PathParam("key") String key) {
    Schema schema = service.schema();
    GraphView view = service.current().view();
    NodeKey id = schema.nodeKeyFromText(label, key);
    return schema.toJson(existing(view, id));
  }

  @GET
  @Path("/edges")
  public ObjectNode edges(
      @PathParam("label") String label,
      @PathParam("key") String key,
      @QueryParam("type") String type,
      @QueryParam("direction") String direction,
      @QueryParam("limit") String limit) {
    Schema schema = service.schema();
    GraphView view = service.current().view();
    NodeKey id = schema.nodeKeyFromText(label, key);
    String edgeType = type == null || type.isEmpty() ? null : type;
    if (edgeType != null && !schema.edgeTypes().containsKey(edgeType)) {
      throw RequestJson.invalid("type", "unknown edge type. type=" + edgeType);
    }
    Direction dir =
        direction == null || direction.isEmpty() ? Direction.BOTH : parseDirection(direction);
    int max = RequestJson.count(limit, "limit", DEFAULT_LIMIT, MAX_LIMIT);
    existing(view, id);
    List<Edge> edges = view.edges(id, edgeType, dir);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode list = out.putArray("edges");
    for (int i = 0; i < edges.size() && i < max; i++) {
      list.add(schema.toJson(edges.get(i)));
    }
    return out;
  }

  static Node existing(GraphView view, NodeKey id) {
    return view.node(id)
        .orElseThrow(
            () ->
                new NamiException(
                    NamiException.Kind.NOT_FOUND,
                    "node not found. label=" + id.label() + " key=" + id.key()));
  }

  static Direction parseDirection(String direction) {
    try {
      return Direction.parse(direction);
    } catch (NamiException e) {
      throw RequestJson.invalid("direction", e.getMessage());
    }
  }
}
