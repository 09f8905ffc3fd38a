package io.namidb.engine.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One edge type of a {@link Schema}: the label its edges start from, the label they point to, and
 * typed properties. Immutable. {@link Schema}'s constructor checks that both labels exist.
 *
 * @param from the label of every edge's {@code from} node, or {@link #ANY}
 * @param to the label of every edge's {@code to} node, or {@link #ANY}
 * @param properties property name → type, in declaration order
 */
public record EdgeTypeDef(String from, String to, Map<String, PropertyType> properties) {

  /** As {@code from} or {@code to}: edges may start (or end) at a node of any label. */
  public static final String ANY = "*";

  public EdgeTypeDef {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    properties = LabelDef.copy(properties);
  }

  /** An edge type between these labels without properties. */
  public static EdgeTypeDef of(String from, String to) {
    return new EdgeTypeDef(from, to, Map.of());
  }

  /** This edge type with one more property (or a replaced type). */
  public EdgeTypeDef withProperty(String name, PropertyType type) {
    Map<String, PropertyType> p = new LinkedHashMap<>(properties);
    p.put(name, type);
    return new EdgeTypeDef(from, to, p);
  }
}
