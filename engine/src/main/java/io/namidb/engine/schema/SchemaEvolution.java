package io.namidb.engine.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Additive schema evolution (DESIGN §5). {@link #merge} adds what a proposal adds and refuses what
 * it changes; {@link #replace} also refuses what it omits. Conflicts throw {@link
 * SchemaConflictException}; a proposal that is invalid in itself, or whose result would be, throws
 * INVALID_INPUT.
 */
final class SchemaEvolution {
  private static final String ADDITIVE = "schema changes are additive only";

  private SchemaEvolution() {}

  static Schema merge(
      Schema current,
      Map<String, LabelDef> proposedLabels,
      Map<String, EdgeTypeDef> proposedEdges,
      Schema.Mode proposedMode) {
    proposedLabels.forEach(SchemaRules::checkLabel);
    proposedEdges.forEach(SchemaRules::checkEdgeType);
    boolean changed = false;
    Schema.Mode mode = current.mode();
    if (proposedMode != null && proposedMode != mode) {
      if (proposedMode == Schema.Mode.STRICT) {
        throw new SchemaConflictException(
            "schema mode cannot go back from open to strict, "
                + ADDITIVE
                + ". mode="
                + mode.jsonName()
                + " proposed="
                + proposedMode.jsonName());
      }
      mode = proposedMode;
      changed = true;
    }

    Map<String, LabelDef> labels = new LinkedHashMap<>(current.labels());
    for (Map.Entry<String, LabelDef> e : proposedLabels.entrySet()) {
      String name = e.getKey();
      LabelDef proposed = e.getValue();
      LabelDef existing = labels.get(name);
      if (existing == null) {
        proposed.properties().keySet().forEach(p -> SchemaRules.checkNewLabelProperty(name, p));
        labels.put(name, proposed);
        changed = true;
        continue;
      }
      if (!existing.keyType().equals(proposed.keyType())) {
        throw new SchemaConflictException(
            "key type cannot change, stored keys have the old type. label="
                + name
                + " from="
                + existing.keyType()
                + " to="
                + proposed.keyType());
      }
      for (String p : proposed.properties().keySet()) {
        if (!existing.properties().containsKey(p)) {
          SchemaRules.checkNewLabelProperty(name, p);
        }
      }
      Map<String, PropertyType> properties =
          mergeProperties("label=" + name, existing.properties(), proposed.properties());
      List<String> indexes = new ArrayList<>(existing.indexes());
      for (String index : proposed.indexes()) {
        if (!indexes.contains(index)) {
          indexes.add(index);
        }
      }
      if (properties.size() != existing.properties().size()
          || indexes.size() != existing.indexes().size()) {
        labels.put(name, new LabelDef(existing.keyType(), properties, indexes));
        changed = true;
      }
    }

    Map<String, EdgeTypeDef> edgeTypes = new LinkedHashMap<>(current.edgeTypes());
    for (Map.Entry<String, EdgeTypeDef> e : proposedEdges.entrySet()) {
      String name = e.getKey();
      EdgeTypeDef proposed = e.getValue();
      EdgeTypeDef existing = edgeTypes.get(name);
      if (existing == null) {
        edgeTypes.put(name, proposed);
        changed = true;
        continue;
      }
      checkEndpoint(name, "from", existing.from(), proposed.from());
      checkEndpoint(name, "to", existing.to(), proposed.to());
      Map<String, PropertyType> properties =
          mergeProperties("edgeType=" + name, existing.properties(), proposed.properties());
      if (properties.size() != existing.properties().size()) {
        edgeTypes.put(name, new EdgeTypeDef(existing.from(), existing.to(), properties));
        changed = true;
      }
    }
    return changed ? new Schema(labels, edgeTypes, mode) : current;
  }

  static Schema replace(Schema current, Schema desired) {
    for (Map.Entry<String, LabelDef> e : current.labels().entrySet()) {
      String name = e.getKey();
      LabelDef wanted = desired.labels().get(name);
      if (wanted == null) {
        throw new SchemaConflictException(
            "label cannot be removed, " + ADDITIVE + ". label=" + name);
      }
      for (String property : e.getValue().properties().keySet()) {
        if (!wanted.properties().containsKey(property)) {
          throw new SchemaConflictException(
              "property cannot be removed, "
                  + ADDITIVE
                  + ". label="
                  + name
                  + " property="
                  + property);
        }
      }
      for (String index : e.getValue().indexes()) {
        if (!wanted.indexes().contains(index)) {
          throw new SchemaConflictException(
              "index cannot be removed, " + ADDITIVE + ". label=" + name + " index=" + index);
        }
      }
    }
    for (Map.Entry<String, EdgeTypeDef> e : current.edgeTypes().entrySet()) {
      String name = e.getKey();
      EdgeTypeDef wanted = desired.edgeTypes().get(name);
      if (wanted == null) {
        throw new SchemaConflictException(
            "edge type cannot be removed, " + ADDITIVE + ". edgeType=" + name);
      }
      for (String property : e.getValue().properties().keySet()) {
        if (!wanted.properties().containsKey(property)) {
          throw new SchemaConflictException(
              "property cannot be removed, "
                  + ADDITIVE
                  + ". edgeType="
                  + name
                  + " property="
                  + property);
        }
      }
    }
    return merge(current, desired.labels(), desired.edgeTypes(), desired.mode());
  }

  private static Map<String, PropertyType> mergeProperties(
      String owner, Map<String, PropertyType> existing, Map<String, PropertyType> proposed) {
    Map<String, PropertyType> merged = new LinkedHashMap<>(existing);
    for (Map.Entry<String, PropertyType> p : proposed.entrySet()) {
      PropertyType old = merged.putIfAbsent(p.getKey(), p.getValue());
      if (old != null && !old.equals(p.getValue())) {
        throw new SchemaConflictException(
            "property type cannot change, stored values have the old type. "
                + owner
                + " property="
                + p.getKey()
                + " from="
                + old
                + " to="
                + p.getValue());
      }
    }
    return merged;
  }

  private static void checkEndpoint(String edgeType, String end, String existing, String proposed) {
    if (!existing.equals(proposed)) {
      throw new SchemaConflictException(
          "edge type "
              + end
              + " label cannot change, stored edges connect the old labels. edgeType="
              + edgeType
              + " current="
              + existing
              + " proposed="
              + proposed);
    }
  }
}
