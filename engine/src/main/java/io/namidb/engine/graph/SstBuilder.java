package io.namidb.engine.graph;

import io.namidb.engine.NamiException;
import io.namidb.engine.manifest.SstEntry;
import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.schema.LabelDef;
import io.namidb.engine.schema.Schema;
import io.namidb.engine.sst.EdgeSstFormat;
import io.namidb.engine.sst.EdgeSstWriter;
import io.namidb.engine.sst.NodeColumns;
import io.namidb.engine.sst.NodeRow;
import io.namidb.engine.sst.NodeSstWriter;
import io.namidb.engine.sst.SortKey;
import io.namidb.engine.sst.SstNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Turns sorted node and edge versions into SST files: one node SST per label, two edge SSTs (out
 * and in) per edge type. Used by flushes (from a memtable) and compactions (from merged SSTs).
 */
public final class SstBuilder {
  /** A file to upload and the manifest entry that names it. */
  public record File(SstEntry entry, byte[] bytes) {}

  /**
   * The SSTs of everything a memtable holds (tombstones included), level 0, with node columns as
   * {@code schema} declares them.
   */
  public static List<File> fromMemTable(MemTable table, Supplier<String> ids, Schema schema) {
    List<File> files = new ArrayList<>();
    Map<String, List<NodeRow>> rowsByLabel = new TreeMap<>();
    for (Map.Entry<NodeKey, Node> e : table.nodeVersions()) {
      rowsByLabel
          .computeIfAbsent(e.getKey().label(), k -> new ArrayList<>())
          .add(new NodeRow(e.getKey().key(), e.getValue() == null ? null : e.getValue().props()));
    }
    rowsByLabel.forEach((label, rows) -> files.add(nodes(label, rows, ids, 0, schema)));
    Map<String, List<MemTable.EdgeVersion>> edgesByType = new TreeMap<>();
    for (MemTable.EdgeVersion v : table.edgeVersions()) {
      edgesByType.computeIfAbsent(v.id().type(), k -> new ArrayList<>()).add(v);
    }
    edgesByType.forEach((type, versions) -> files.addAll(edges(type, versions, ids, 0)));
    return files;
  }

  private SstBuilder() {}

  /**
   * Node SST of one label from rows sorted by key (props null = tombstone).
   *
   * @param ids next SST id
   */
  static File nodes(
      String label, List<NodeRow> rows, Supplier<String> ids, int level, Schema schema) {
    LabelDef def = schema.labels().get(label);
    NodeColumns columns =
        def == null ? columns(label, rows) : withExtras(columns(def), rows, label);
    byte[] bytes = NodeSstWriter.write(label, columns, rows);
    String key = SstNames.node(label, ids.get());
    return new File(
        new SstEntry(
            "node",
            label,
            null,
            key,
            String.valueOf(rows.get(0).key()),
            String.valueOf(rows.get(rows.size() - 1).key()),
            rows.size(),
            bytes.length,
            crc(bytes),
            level),
        bytes);
  }

  /** Out and in SSTs of one edge type from its versions (edge null = tombstone). */
  static List<File> edges(
      String type, List<MemTable.EdgeVersion> versions, Supplier<String> ids, int level) {
    String id = ids.get();
    List<File> files = new ArrayList<>(2);
    for (Direction d : List.of(Direction.OUT, Direction.IN)) {
      TreeMap<byte[], TreeMap<byte[], MemTable.EdgeVersion>> sorted =
          new TreeMap<>(SortKey::compare);
      for (MemTable.EdgeVersion v : versions) {
        NodeKey source = d == Direction.OUT ? v.id().from() : v.id().to();
        NodeKey neighbour = d == Direction.OUT ? v.id().to() : v.id().from();
        sorted
            .computeIfAbsent(SortKey.encode(source), k -> new TreeMap<>(SortKey::compare))
            .put(SortKey.encode(neighbour), v);
      }
      EdgeSstWriter writer = new EdgeSstWriter(type, d, EdgeSstFormat.BLOCK_BYTES);
      sorted.forEach(
          (s, adjacency) ->
              adjacency.forEach(
                  (n, v) -> writer.add(s, n, v.edge() == null ? null : v.edge().props())));
      files.add(
          edgeFile(
              writer,
              id,
              sorted.isEmpty() ? null : sorted.firstKey(),
              sorted.isEmpty() ? null : sorted.lastKey(),
              level));
    }
    return files;
  }

  /**
   * Finishes an edge SST and names it: {@code first} and {@code last} are the sort keys of its
   * first and last source (null if it holds none).
   */
  static File edgeFile(EdgeSstWriter writer, String id, byte[] first, byte[] last, int level) {
    byte[] bytes = writer.finish();
    Direction d = writer.direction();
    return new File(
        new SstEntry(
            "edge",
            writer.type(),
            d.name().toLowerCase(java.util.Locale.ROOT),
            SstNames.edge(writer.type(), id, d),
            first == null ? null : SortKey.decode(first).toString(),
            last == null ? null : SortKey.decode(last).toString(),
            writer.rows(),
            bytes.length,
            crc(bytes),
            level),
        bytes);
  }

  /**
   * The declared columns plus any property the rows hold that the schema at hand does not declare
   * (never drop a value: e.g. a restore folding writes made under a newer schema).
   */
  static NodeColumns withExtras(NodeColumns declared, List<NodeRow> rows, String label) {
    NodeColumns seen = columns(label, rows);
    Map<String, String> all = new LinkedHashMap<>(declared.properties());
    seen.properties().forEach(all::putIfAbsent);
    return all.size() == declared.properties().size()
        ? declared
        : new NodeColumns(declared.keyType(), all);
  }

  /** Column types of a label as the schema declares them. */
  static NodeColumns columns(LabelDef def) {
    Map<String, String> types = new LinkedHashMap<>();
    def.properties().forEach((name, type) -> types.put(name, type.toString()));
    return new NodeColumns(def.keyType().toString(), types);
  }

  /** Column types inferred from the values: for data written before its label was declared. */
  static NodeColumns columns(String label, List<NodeRow> rows) {
    String keyType = rows.get(0).key() instanceof Long ? "INT64" : "STRING";
    Map<String, String> types = new LinkedHashMap<>();
    for (NodeRow row : rows) {
      if (!(row.key() instanceof Long ? "INT64" : "STRING").equals(keyType)) {
        throw new NamiException(
            NamiException.Kind.INTERNAL,
            "label mixes int64 and string keys; cannot flush. label=" + label);
      }
      if (row.props() == null) {
        continue;
      }
      for (Map.Entry<String, Object> p : row.props().entrySet()) {
        if (p.getValue() == null) {
          continue;
        }
        String type = typeOf(p.getValue());
        String known = types.putIfAbsent(p.getKey(), type);
        if (known != null && !known.equals(type)) {
          throw new NamiException(
              NamiException.Kind.INTERNAL,
              "property holds values of two types; cannot flush. label="
                  + label
                  + " property="
                  + p.getKey()
                  + " types="
                  + known
                  + ","
                  + type);
        }
      }
    }
    // properties that are only ever null still need a column to round-trip as absent: skip them
    return new NodeColumns(keyType, types);
  }

  static String typeOf(Object v) {
    if (v instanceof Boolean) {
      return "BOOL";
    } else if (v instanceof Long) {
      return "INT64";
    } else if (v instanceof Double) {
      return "DOUBLE";
    } else if (v instanceof String) {
      return "STRING";
    } else if (v instanceof Instant) {
      return "TIMESTAMP";
    } else if (v instanceof byte[]) {
      return "BYTES";
    } else if (v instanceof float[] f) {
      return "VECTOR(" + f.length + ")";
    }
    throw new IllegalArgumentException("unsupported value " + v.getClass());
  }

  static String crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }
}
