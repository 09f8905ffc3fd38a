package io.namidb.engine.sst;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes a node SST: one Apache Parquet file per label per flush, rows sorted by key.
 *
 * <ul>
 *   <li>Columns: {@code __key} (required; UTF-8 string or int64), {@code __tombstone} (required
 *       boolean), then {@code p_<property>} per declared property, optional: BOOL → boolean, INT64
 *       → int64, DOUBLE → double, STRING → binary (UTF-8), TIMESTAMP → int64 timestamp(NANOS, UTC),
 *       BYTES → binary, VECTOR(d) → fixed_len_byte_array(4·d) of little-endian float32.
 *   <li>Key-value metadata {@code namidb.format=node-sst}, {@code namidb.version}, {@code
 *       namidb.label}, {@code namidb.keyType}, and {@code namidb.type.<property>} per column.
 *   <li>Row groups of {@link #ROW_GROUP_BYTES} so a point lookup reads one small range; column
 *       statistics, and a bloom filter on {@code __key}; a CRC32 on every page, verified on read.
 * </ul>
 */
public final class NodeSstWriter {
  public static final int VERSION = 1;
  static final String KEY = "__key";
  static final String TOMBSTONE = "__tombstone";
  static final String PREFIX = "p_";
  static final int ROW_GROUP_BYTES = 1 << 20;
  static final int PAGE_BYTES = 64 << 10;

  private NodeSstWriter() {}

  /** Parquet schema of a label's node SST. */
  static MessageType schema(String label, NodeColumns columns) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    if (columns.keyType().equals("INT64")) {
      b.required(PrimitiveTypeName.INT64).named(KEY);
    } else {
      b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(KEY);
    }
    b.required(PrimitiveTypeName.BOOLEAN).named(TOMBSTONE);
    for (Map.Entry<String, String> p : columns.properties().entrySet()) {
      b.addField(column(PREFIX + p.getKey(), p.getValue()));
    }
    return b.named("node_" + label.replaceAll("[^A-Za-z0-9_]", "_"));
  }

  private static Type column(String name, String type) {
    int dim = NodeColumns.vectorDim(type);
    if (dim > 0) {
      return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(4 * dim).named(name);
    }
    return switch (type) {
      case "BOOL" -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
      case "INT64" -> Types.optional(PrimitiveTypeName.INT64).named(name);
      case "DOUBLE" -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
      case "STRING" ->
          Types.optional(PrimitiveTypeName.BINARY)
              .as(LogicalTypeAnnotation.stringType())
              .named(name);
      case "TIMESTAMP" ->
          Types.optional(PrimitiveTypeName.INT64)
              .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.NANOS))
              .named(name);
      case "BYTES" -> Types.optional(PrimitiveTypeName.BINARY).named(name);
      default -> throw new IllegalArgumentException("unknown property type " + type);
    };
  }

  /**
   * Encodes {@code rows} (sorted by key, each key once) as a node SST.
   *
   * @return the file's bytes
   */
  public static byte[] write(String label, NodeColumns columns, List<NodeRow> rows) {
    return write(label, columns, rows, VERSION);
  }

  static byte[] write(String label, NodeColumns columns, List<NodeRow> rows, int version) {
    MessageType schema = schema(label, columns);
    Map<String, String> meta = new HashMap<>();
    meta.put("namidb.format", "node-sst");
    meta.put("namidb.version", Integer.toString(version));
    meta.put("namidb.label", label);
    meta.put("namidb.keyType", columns.keyType());
    columns.properties().forEach((name, type) -> meta.put("namidb.type." + name, type));
    ParquetFiles.InMemoryOutputFile file = new ParquetFiles.InMemoryOutputFile();
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(file)
            .withConf(new PlainParquetConfiguration())
            .withType(schema)
            .withExtraMetaData(meta)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
            .withRowGroupSize((long) ROW_GROUP_BYTES)
            .withPageSize(PAGE_BYTES)
            .withDictionaryEncoding(false)
            .withBloomFilterEnabled(KEY, true)
            // sized for the rows at hand: the default reserves 1 MiB per file
            .withBloomFilterNDV(KEY, Math.max(16, rows.size()))
            .withPageWriteChecksumEnabled(true)
            .build()) {
      for (NodeRow row : rows) {
        Group g = groups.newGroup();
        if (row.key() instanceof Long l) {
          g.add(KEY, l);
        } else {
          g.add(KEY, Binary.fromString((String) row.key()));
        }
        g.add(TOMBSTONE, row.tombstone());
        if (!row.tombstone()) {
          for (Map.Entry<String, String> c : columns.properties().entrySet()) {
            Object v = row.props().get(c.getKey());
            if (v != null) {
              addValue(g, PREFIX + c.getKey(), c.getValue(), v);
            }
          }
        }
        writer.write(g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write node sst for label " + label, e);
    }
    return file.toByteArray();
  }

  private static void addValue(Group g, String field, String type, Object v) {
    if (NodeColumns.vectorDim(type) > 0) {
      float[] f = (float[]) v;
      ByteBuffer buf = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
      for (float x : f) {
        buf.putFloat(x);
      }
      g.add(field, Binary.fromConstantByteArray(buf.array()));
      return;
    }
    switch (type) {
      case "BOOL" -> g.add(field, (Boolean) v);
      case "INT64" -> g.add(field, (Long) v);
      case "DOUBLE" -> g.add(field, (Double) v);
      case "STRING" -> g.add(field, Binary.fromString((String) v));
      case "TIMESTAMP" -> {
        Instant t = (Instant) v;
        g.add(
            field,
            Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano()));
      }
      case "BYTES" -> g.add(field, Binary.fromConstantByteArray((byte[]) v));
      default -> throw new IllegalArgumentException("unknown property type " + type);
    }
  }
}
