package io.namidb.writer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.graph.Filter;
import io.namidb.engine.graph.GraphView;
import io.namidb.engine.graph.PinnedView;
import io.namidb.engine.graph.ScoredNode;
import io.namidb.engine.schema.LabelDef;
import io.namidb.engine.schema.PropertyType;
import io.namidb.engine.schema.Schema;
import io.namidb.writer.service.WriterService;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/vectors/search}: {@code {"label","property","vector":[...],"k":10,
 * "filter":{prop: value},"metric":"l2"|"cosine","exact":false}} → {@code {"results":[{"label",
 * "key","distance","props"}]}}, nearest first (DESIGN §8). Top-k over the label's nodes that have
 * the vector and equal every filter value. {@code metric} defaults to {@code l2} (Euclidean
 * distance); {@code cosine} gives 1 - cosine similarity. Distances are always exact; which nodes
 * are found is approximate for {@code l2} where the label's SSTs have a vector index, unless {@code
 * "exact": true} (docs/design/0009-vector-index.md).
 */
@Path("/v1/vectors/search")
@Produces(MediaType.APPLICATION_JSON)
public class VectorSearchResource {
  static final int DEFAULT_K = 10;
  static final int MAX_K = 10_000;

  private static final Set<String> FIELDS =
      Set.of("label", "property", "vector", "k", "filter", "metric", "exact");

  @Inject WriterService service;

  @POST
  public ObjectNode search(byte[] body) {
    Schema schema = service.schema();
    JsonNode json = RequestJson.object(RequestJson.parse(body), "", FIELDS);
    String label = RequestJson.string(json, "label", "label", true);
    String property = RequestJson.string(json, "property", "property", true);
    LabelDef def = schema.labels().get(label);
    if (def == null) {
      throw RequestJson.invalid("label", "unknown label. label=" + label);
    }
    PropertyType type = def.properties().get(property);
    if (type == null || !type.isVector()) {
      throw RequestJson.invalid(
          "property",
          (type == null ? "unknown property" : "not a VECTOR property")
              + ". label="
              + label
              + " property="
              + property
              + (type == null ? "" : " type=" + type));
    }
    if (!RequestJson.present(json.get("vector"))) {
      throw RequestJson.invalid("vector", "field is required");
    }
    float[] vector =
        (float[]) schema.propertyFromJson("vector", label, property, json.get("vector"));
    int k = RequestJson.count(json, "k", "k", DEFAULT_K, MAX_K);
    List<Filter> filters = filters(schema, label, json.get("filter"));
    GraphView.Metric metric = metric(RequestJson.string(json, "metric", "metric", false));
    boolean exact = RequestJson.bool(json, "exact", "exact", false);

    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode results = out.putArray("results");
    java.util.Set<String> indexed = java.util.Set.copyOf(def.indexes());
    try (PinnedView pinned = service.current().pinnedView()) {
      for (ScoredNode hit :
          pinned.view().vectorSearch(label, property, vector, k, filters, metric, indexed, exact)) {
        ObjectNode node = schema.toJson(hit.node());
        ObjectNode r = results.addObject();
        r.set("label", node.get("label"));
        r.set("key", node.get("key"));
        r.put("distance", hit.distance());
        r.set("props", node.get("props"));
      }
    }
    return out;
  }

  private static List<Filter> filters(Schema schema, String label, JsonNode json) {
    List<Filter> filters = new ArrayList<>();
    if (!RequestJson.present(json)) {
      return filters;
    }
    if (!json.isObject()) {
      throw RequestJson.invalid(
          "filter",
          "expected a JSON object of property values, got JSON " + RequestJson.kind(json));
    }
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      String path = "filter." + e.getKey();
      if (!RequestJson.present(e.getValue())) {
        throw RequestJson.invalid(path, "a filter value cannot be null");
      }
      Object value = schema.propertyFromJson(path, label, e.getKey(), e.getValue());
      filters.add(Filter.eq(e.getKey(), value));
    }
    return filters;
  }

  private static GraphView.Metric metric(String text) {
    if (text == null) {
      return GraphView.Metric.L2;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "l2" -> GraphView.Metric.L2;
      case "cosine" -> GraphView.Metric.COSINE;
      default -> throw RequestJson.invalid("metric", "must be l2 or cosine. metric=" + text);
    };
  }
}
