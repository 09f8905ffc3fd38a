package io.namidb.engine.schema;

import io.namidb.engine.NamiException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The validity rules of a {@link Schema}. Local rules look at one definition (its names, its key
 * type, duplicate indexes); whole-schema rules look across definitions (indexes name indexable
 * properties of their label, edge types name existing labels). Messages start with the definition's
 * path in the schema JSON, e.g. {@code labels.Person.indexes: ...}.
 */
final class SchemaRules {
  /** Names of labels, edge types and properties. */
  static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]{0,127}";

  static final int MAX_NAME_LENGTH = 128;

  private SchemaRules() {}

  static boolean isIdentifier(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  static void checkLabel(String name, LabelDef def) {
    String path = "labels." + name;
    if (!isIdentifier(name)) {
      throw invalid(path, "label name must match " + IDENTIFIER + ". label=" + name);
    }
    if (!def.keyType().isKeyType()) {
      throw invalid(
          path + ".key",
          "key type must be STRING or INT64. label=" + name + " type=" + def.keyType());
    }
    checkPropertyNames(path, "label=" + name, def.properties());
    Set<String> seen = new HashSet<>();
    for (String index : def.indexes()) {
      if (!seen.add(index)) {
        throw invalid(path + ".indexes", "duplicate index. label=" + name + " index=" + index);
      }
    }
  }

  /**
   * A property a label adds: not named {@code key}, which is the node's key in queries ({@code
   * MATCH (p:Person {key: 'alice'})}). Checked on additions only, so that a stored schema from
   * before this rule still loads.
   */
  static void checkNewLabelProperty(String label, String property) {
    if (KEY_PROPERTY.equals(property)) {
      throw invalid(
          "labels." + label + ".properties." + property,
          "a property cannot be named key, the node's key is its key property in queries. label="
              + label);
    }
  }

  /** The name of a node's key in queries. */
  static final String KEY_PROPERTY = "key";

  static void checkEdgeType(String name, EdgeTypeDef def) {
    String path = "edgeTypes." + name;
    if (!isIdentifier(name)) {
      throw invalid(path, "edge type name must match " + IDENTIFIER + ". edgeType=" + name);
    }
    checkPropertyNames(path, "edgeType=" + name, def.properties());
  }

  /** Every rule, local and across definitions. */
  static void checkSchema(Map<String, LabelDef> labels, Map<String, EdgeTypeDef> edgeTypes) {
    for (Map.Entry<String, LabelDef> e : labels.entrySet()) {
      String name = e.getKey();
      LabelDef def = e.getValue();
      checkLabel(name, def);
      for (String index : def.indexes()) {
        PropertyType type = def.properties().get(index);
        if (type == null) {
          throw invalid(
              "labels." + name + ".indexes",
              "index on unknown property. label=" + name + " index=" + index);
        }
        if (!type.isIndexable()) {
          throw invalid(
              "labels." + name + ".indexes",
              "VECTOR and BYTES properties cannot be indexed. label="
                  + name
                  + " index="
                  + index
                  + " type="
                  + type);
        }
      }
    }
    for (Map.Entry<String, EdgeTypeDef> e : edgeTypes.entrySet()) {
      String name = e.getKey();
      EdgeTypeDef def = e.getValue();
      checkEdgeType(name, def);
      if (!EdgeTypeDef.ANY.equals(def.from()) && !labels.containsKey(def.from())) {
        throw invalid(
            "edgeTypes." + name + ".from",
            "unknown label. edgeType=" + name + " label=" + def.from());
      }
      if (!EdgeTypeDef.ANY.equals(def.to()) && !labels.containsKey(def.to())) {
        throw invalid(
            "edgeTypes." + name + ".to", "unknown label. edgeType=" + name + " label=" + def.to());
      }
    }
  }

  private static void checkPropertyNames(
      String path, String owner, Map<String, PropertyType> properties) {
    for (String property : properties.keySet()) {
      if (!isIdentifier(property)) {
        throw invalid(
            path + ".properties." + property,
            "property name must match " + IDENTIFIER + ". " + owner + " property=" + property);
      }
    }
  }

  /**
   * {@code problem. k=v k=v}: the problem, then the non-empty {@code key=value} groups joined by
   * spaces.
   */
  static String message(String problem, String... details) {
    StringBuilder b = new StringBuilder(problem);
    String sep = ". ";
    for (String d : details) {
      if (d != null && !d.isEmpty()) {
        b.append(sep).append(d);
        sep = " ";
      }
    }
    return b.toString();
  }

  static NamiException invalid(String path, String message) {
    return new NamiException(
        NamiException.Kind.INVALID_INPUT, path.isEmpty() ? message : path + ": " + message);
  }
}
