package io.namidb.engine.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One label (node table) of a {@link Schema}: its key type, typed properties and indexed
 * properties. Immutable; maps and lists keep their order. A definition on its own is not checked:
 * {@link Schema}'s constructor checks names, the key type and that every index names an indexable
 * property of the label.
 *
 * @param keyType {@link PropertyType#STRING} or {@link PropertyType#INT64}
 * @param properties property name → type, in declaration order
 * @param indexes names of indexed properties, in declaration order
 */
public record LabelDef(
    PropertyType keyType, Map<String, PropertyType> properties, List<String> indexes) {

  public LabelDef {
    Objects.requireNonNull(keyType, "keyType");
    properties = copy(properties);
    indexes = indexes == null ? List.of() : List.copyOf(indexes);
  }

  /** A label with this key type and nothing else. */
  public static LabelDef of(PropertyType keyType) {
    return new LabelDef(keyType, Map.of(), List.of());
  }

  /** This label with one more property (or a replaced type). */
  public LabelDef withProperty(String name, PropertyType type) {
    Map<String, PropertyType> p = new LinkedHashMap<>(properties);
    p.put(name, type);
    return new LabelDef(keyType, p, indexes);
  }

  /** This label with one more index; no change if it is already indexed. */
  public LabelDef withIndex(String property) {
    if (indexes.contains(property)) {
      return this;
    }
    List<String> i = new ArrayList<>(indexes);
    i.add(property);
    return new LabelDef(keyType, properties, i);
  }

  static Map<String, PropertyType> copy(Map<String, PropertyType> properties) {
    if (properties == null || properties.isEmpty()) {
      return Map.of();
    }
    Map<String, PropertyType> copy = new LinkedHashMap<>();
    for (Map.Entry<String, PropertyType> e : properties.entrySet()) {
      copy.put(
          Objects.requireNonNull(e.getKey(), "property name"),
          Objects.requireNonNull(e.getValue(), "property type"));
    }
    return Collections.unmodifiableMap(copy);
  }
}
