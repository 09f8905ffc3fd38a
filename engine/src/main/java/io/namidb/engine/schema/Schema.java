package io.namidb.engine.schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.NamiException;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The schema of a namespace (DESIGN §5): labels with a key type, typed properties and indexes, and
 * edge types with their {@code from}/{@code to} labels and typed properties. Immutable and always
 * valid: the constructor refuses (INVALID_INPUT, message naming the path in the schema JSON)
 *
 * <ul>
 *   <li>label, edge type and property names not matching {@code [A-Za-z_][A-Za-z0-9_]{0,127}} (they
 *       end up in object keys and Parquet columns; labels, edge types and each owner's properties
 *       are separate name spaces, names are case-sensitive);
 *   <li>a key type other than STRING or INT64;
 *   <li>an index naming a property the label does not have, a VECTOR or BYTES property, or the same
 *       property twice;
 *   <li>an edge type whose {@code from} or {@code to} label does not exist.
 * </ul>
 *
 * <p><b>JSON.</b> {@link #fromJson}/{@link #toJson} use the shape of DESIGN §8, kept in the
 * manifest's {@code schema} field; an empty manifest schema {@code {}} is {@link #EMPTY}.
 *
 * <p><b>Evolution.</b> Changes are additive only. {@link #evolve(Schema)} and {@link
 * #evolve(JsonNode)} (the body of {@code PUT /v1/schema}) <em>merge</em>: the proposal lists what
 * it adds or re-states, and whatever it leaves out is kept, not removed. {@link #evolveTo} takes
 * the full desired schema instead, so an omission is a removal and is refused. Either way a changed
 * key type, property type or edge endpoint throws {@link SchemaConflictException} (CONFLICT, HTTP
 * 409), and re-submitting what exists is a no-op returning {@code this}.
 *
 * <p><b>Writes.</b> {@link #validate} checks a whole {@link WriteBatch}; {@link #batchFromJson} and
 * the other {@code *FromJson} methods build graph objects from the JSON bodies of DESIGN §8, and
 * the {@code toJson} methods write the response shapes. Value encodings: {@link JsonValues}.
 *
 * <p><b>Mode.</b> {@link Mode#STRICT} (the default) refuses writes of anything undeclared. A
 * namespace may opt into {@link Mode#OPEN} ({@code "mode":"open"}): a writer that knows the values
 * (the Cypher layer) then adds labels, properties and edge types as it first writes them, each an
 * additive change, and a value of a conflicting type is still refused. The mode only moves from
 * strict to open. An edge type may name {@link EdgeTypeDef#ANY} ({@code "*"}) as its {@code from}
 * or {@code to} label: edges of it may then start (or end) at a node of any label.
 *
 * @param labels label name → definition, in declaration order
 * @param edgeTypes edge type name → definition, in declaration order
 * @param mode whether writes may add to the schema
 */
public record Schema(Map<String, LabelDef> labels, Map<String, EdgeTypeDef> edgeTypes, Mode mode) {

  /** No labels, no edge types: the schema of a new namespace. */
  public static final Schema EMPTY = new Schema(Map.of(), Map.of());

  /** Whether writes may add labels, properties and edge types as they first use them. */
  public enum Mode {
    /** Only what is declared may be written. */
    STRICT,
    /** Writes through the query layer declare what they use (additive changes only). */
    OPEN;

    /** {@code strict} or {@code open}, as in the schema JSON. */
    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A strict schema. */
  public Schema(Map<String, LabelDef> labels, Map<String, EdgeTypeDef> edgeTypes) {
    this(labels, edgeTypes, Mode.STRICT);
  }

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  public Schema {
    labels = copy(labels, "label");
    edgeTypes = copy(edgeTypes, "edge type");
    mode = mode == null ? Mode.STRICT : mode;
    SchemaRules.checkSchema(labels, edgeTypes);
  }

  private static <T> Map<String, T> copy(Map<String, T> map, String what) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    Map<String, T> copy = new LinkedHashMap<>();
    for (Map.Entry<String, T> e : map.entrySet()) {
      copy.put(
          Objects.requireNonNull(e.getKey(), what + " name"),
          Objects.requireNonNull(e.getValue(), what + " definition"));
    }
    return Collections.unmodifiableMap(copy);
  }

  // ---- JSON form of the schema

  /**
   * Parses the schema JSON (DESIGN §8). A Java null or missing node is {@link #EMPTY}; absent or
   * null {@code labels}, {@code edgeTypes}, {@code properties} and {@code indexes} are empty.
   *
   * @throws NamiException INVALID_INPUT naming the path: unknown fields, a missing key type,
   *     unknown type names, bad VECTOR dimensions, and every rule of the constructor
   */
  public static Schema fromJson(JsonNode json) {
    SchemaJson.Definitions d = SchemaJson.parse(json);
    return new Schema(d.labels(), d.edgeTypes(), d.mode());
  }

  /** Parses schema JSON text; duplicate object keys are refused. */
  public static Schema parse(String json) {
    return fromJson(readStrict(json, "schema"));
  }

  /** The JSON form (DESIGN §8): every field written, declaration order kept. */
  public ObjectNode toJson() {
    return SchemaJson.write(this);
  }

  // ---- building

  /** This schema with one more label (or a replaced definition), checked. */
  public Schema withLabel(String name, LabelDef def) {
    Map<String, LabelDef> l = new LinkedHashMap<>(labels);
    l.put(name, def);
    return new Schema(l, edgeTypes, mode);
  }

  /** This schema with one more edge type (or a replaced definition), checked. */
  public Schema withEdgeType(String name, EdgeTypeDef def) {
    Map<String, EdgeTypeDef> e = new LinkedHashMap<>(edgeTypes);
    e.put(name, def);
    return new Schema(labels, e, mode);
  }

  // ---- evolution

  /**
   * Merges an additive change. Labels, edge types, properties and indexes of {@code proposed} that
   * are new are added (after the existing ones); those that exist must be re-stated unchanged; what
   * {@code proposed} omits is kept.
   *
   * @return the merged schema, or {@code this} when {@code proposed} adds nothing
   * @throws SchemaConflictException a changed key type, property type or edge {@code from}/{@code
   *     to} label
   * @throws NamiException INVALID_INPUT when the merged schema breaks a rule (e.g. a new index on a
   *     VECTOR property)
   */
  public Schema evolve(Schema proposed) {
    return SchemaEvolution.merge(this, proposed.labels, proposed.edgeTypes, proposed.mode);
  }

  /**
   * Merges an additive change given as schema JSON, as {@link #evolve(Schema)}: the body of {@code
   * PUT /v1/schema}. Unlike {@link #fromJson}, the change alone need not be a complete schema: it
   * may index or connect with an edge type what exists only in this schema, e.g. {@code
   * {"edgeTypes":{"LIKES":{"from":"Person","to":"Movie"}}}} or {@code
   * {"labels":{"Person":{"key":"STRING","indexes":["age"]}}}}. Every label it names must still
   * state its key type.
   */
  public Schema evolve(JsonNode change) {
    SchemaJson.Definitions d = SchemaJson.parse(change);
    return SchemaEvolution.merge(this, d.labels(), d.edgeTypes(), d.mode());
  }

  /**
   * Moves to {@code desired}, the full desired schema: anything of this schema that {@code desired}
   * omits (a label, edge type, property or index) is a removal, refused with {@link
   * SchemaConflictException}; changes are refused as in {@link #evolve(Schema)}.
   *
   * @return a schema equal in content to {@code desired}, or {@code this} when nothing is added
   */
  public Schema evolveTo(Schema desired) {
    return SchemaEvolution.replace(this, desired);
  }

  /** Whether writes may add to this schema ({@link Mode#OPEN}). */
  public boolean isOpen() {
    return mode == Mode.OPEN;
  }

  // ---- writes

  /**
   * Checks a whole batch against this schema and throws at the first bad item, naming its index and
   * field ({@code nodes[3].props.age: expected INT64, got STRING. label=Person key=bob}): unknown
   * label, edge type or property; a key of the wrong type or an empty STRING key; a value of the
   * wrong type or vector dimension; NaN or infinite DOUBLE values and vector elements; timestamps
   * outside int64 nanoseconds; strings with unpaired surrogates; edges (and edge deletes) whose
   * {@code from}/{@code to} label is not the edge type's. Null is valid for every property. Whether
   * edge endpoints exist is the writer's check.
   *
   * @throws NamiException INVALID_INPUT
   */
  public void validate(WriteBatch batch) {
    BatchValidator.validate(this, batch);
  }

  /**
   * Builds a batch from the body of {@code POST /v1/write} ({@code {"nodes","edges","deleteNodes",
   * "deleteEdges"}}, each optional), converting values per the declared types; the result passes
   * {@link #validate}. Unknown fields are refused.
   *
   * @throws NamiException INVALID_INPUT naming the field path, e.g. {@code nodes[3].props.age}
   */
  public WriteBatch batchFromJson(JsonNode body) {
    return GraphJson.batch(this, body);
  }

  /** {@link #nodeFromJson(String, String, JsonNode, JsonNode)} with path {@code node}. */
  public Node nodeFromJson(String label, JsonNode key, JsonNode props) {
    return GraphJson.node(this, "node", label, key, props);
  }

  /**
   * A node of {@code label} from its JSON key and props ({@code props} may be null or missing).
   *
   * @param path prefix of field paths in messages, e.g. {@code nodes[3]}
   */
  public Node nodeFromJson(String path, String label, JsonNode key, JsonNode props) {
    return GraphJson.node(this, path, label, key, props);
  }

  /**
   * An edge of {@code type} from its JSON endpoints ({@code {"label","key"}} each) and props.
   *
   * @param path prefix of field paths in messages, e.g. {@code edges[0]}
   */
  public Edge edgeFromJson(String path, String type, JsonNode from, JsonNode to, JsonNode props) {
    return GraphJson.edge(this, path, type, from, to, props);
  }

  /** A node key from a JSON node reference {@code {"label","key"}}. */
  public NodeKey nodeKeyFromJson(String path, JsonNode ref) {
    return GraphJson.nodeRef(this, path, ref);
  }

  /** A node key from its label and JSON key. */
  public NodeKey nodeKeyFromJson(String path, String label, JsonNode key) {
    return GraphJson.nodeKey(this, path, label, key);
  }

  /**
   * A node key from URL path segments ({@code GET /v1/nodes/{label}/{key}}): INT64 keys as decimal
   * text. Messages use the paths {@code label} and {@code key}.
   */
  public NodeKey nodeKeyFromText(String label, String key) {
    return GraphJson.nodeKeyFromText(this, label, key);
  }

  /** An edge key from a JSON edge reference {@code {"type","from","to"}}. */
  public EdgeKey edgeKeyFromJson(String path, JsonNode ref) {
    return GraphJson.edgeRef(this, path, ref);
  }

  /**
   * One property value of {@code label} from JSON (for filters and query vectors): unknown label or
   * property is INVALID_INPUT.
   */
  public Object propertyFromJson(String path, String label, String property, JsonNode value) {
    LabelDef def = labels.get(label);
    if (def == null) {
      throw SchemaRules.invalid(path, SchemaRules.message("unknown label", "label=" + label));
    }
    PropertyType type = def.properties().get(property);
    if (type == null) {
      throw SchemaRules.invalid(
          path,
          SchemaRules.message("unknown property", "label=" + label + " property=" + property));
    }
    return JsonValues.fromJson(value, type, path, "label=" + label);
  }

  /** {@code {"label","key","props"}} (DESIGN §8). */
  public ObjectNode toJson(Node node) {
    return GraphJson.toJson(this, node);
  }

  /** {@code {"type","from":{"label","key"},"to":{"label","key"},"props"}} (DESIGN §8). */
  public ObjectNode toJson(Edge edge) {
    return GraphJson.toJson(this, edge);
  }

  /** {@code {"label","key"}}. */
  public ObjectNode toJson(NodeKey key) {
    return GraphJson.toJson(key);
  }

  static JsonNode readStrict(String json, String what) {
    try {
      return STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      throw new NamiException(
          NamiException.Kind.INVALID_INPUT,
          what + " is not valid JSON: " + e.getOriginalMessage(),
          e);
    }
  }
}
