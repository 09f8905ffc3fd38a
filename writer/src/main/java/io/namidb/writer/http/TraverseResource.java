package io.namidb.writer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.PinnedView;
import io.namidb.engine.graph.Step;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.schema.Schema;
import io.namidb.writer.service.WriterService;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/traverse}: {@code {"from":{"label","key"},"steps":[{"type","direction"}],
 * "distinct":true,"limit":1000}} → {@code {"nodes":[{"label","key","props"}]}}, the nodes reached
 * after the last step (DESIGN §8). A step without {@code type} follows every edge type; {@code
 * direction} is {@code out} (default), {@code in} or {@code both}. {@code distinct} (default true)
 * lists each node once. 404 when the start node does not exist.
 */
@Path("/v1/traverse")
@Produces(MediaType.APPLICATION_JSON)
public class TraverseResource {
  static final int MAX_STEPS = 16;

  private static final Set<String> FIELDS = Set.of("from", "steps", "distinct", "limit");
  private static final Set<String> STEP_FIELDS = Set.of("type", "direction");

  @Inject WriterService service;

  @POST
  public ObjectNode traverse(byte[] body) {
    Schema schema = service.schema();
    JsonNode json = RequestJson.object(RequestJson.parse(body), "", FIELDS);
    NodeKey from = schema.nodeKeyFromJson("from", json.get("from"));
    List<Step> steps = steps(schema, json.get("steps"));
    boolean distinct = RequestJson.bool(json, "distinct", "distinct", true);
    int limit =
        RequestJson.count(
            json, "limit", "limit", NodesResource.DEFAULT_LIMIT, NodesResource.MAX_LIMIT);
    try (PinnedView pinned = service.current().pinnedView()) {
      GraphView view = pinned.view();
      NodesResource.existing(view, from);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      ArrayNode nodes = out.putArray("nodes");
      for (Node n : view.traverse(from, steps, distinct, limit)) {
        nodes.add(schema.toJson(n));
      }
      return out;
    }
  }

  private static List<Step> steps(Schema schema, JsonNode json) {
    if (!RequestJson.present(json)) {
      throw RequestJson.invalid("steps", "field is required");
    }
    if (!json.isArray()) {
      throw RequestJson.invalid("steps", "expected an array, got JSON " + RequestJson.kind(json));
    }
    if (json.isEmpty() || json.size() > MAX_STEPS) {
      throw RequestJson.invalid(
          "steps", "expected 1 to " + MAX_STEPS + " steps. steps=" + json.size());
    }
    List<Step> steps = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      String path = "steps[" + i + "]";
      JsonNode step = RequestJson.object(json.get(i), path, STEP_FIELDS);
      String type = RequestJson.string(step, "type", path + ".type", false);
      if (type != null && !schema.edgeTypes().containsKey(type)) {
        throw RequestJson.invalid(path + ".type", "unknown edge type. type=" + type);
      }
      String direction = RequestJson.string(step, "direction", path + ".direction", false);
      Direction dir;
      try {
        dir = direction == null ? Direction.OUT : Direction.parse(direction);
      } catch (io.namidb.engine.NamiException e) {
        throw RequestJson.invalid(path + ".direction", e.getMessage());
      }
      steps.add(new Step(type, dir));
    }
    return steps;
  }
}
