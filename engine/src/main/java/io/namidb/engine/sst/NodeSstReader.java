package io.namidb.engine.sst;

import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.UnsupportedFormatVersionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Reads a node SST ({@link NodeSstWriter}). Opening reads the Parquet footer; a point lookup skips
 * row groups by key statistics and the key bloom filter, then reads one row group.
 */
public final class NodeSstReader implements AutoCloseable {
  private static final ParquetReadOptions OPTIONS =
      ParquetReadOptions.builder(new PlainParquetConfiguration())
          .usePageChecksumVerification(true)
          .build();

  private final String object;
  private final ParquetFiles.RangeInputFile file;
  private final org.apache.parquet.hadoop.metadata.ParquetMetadata footer;
  private final long rowCount;
  private final MessageType schema;
  private final String label;
  private final NodeColumns columns;
  private final List<BlockMetaData> rowGroups;
  private final DecodedCache decoded;
  private final java.util.concurrent.ConcurrentHashMap<Integer, Optional<BloomFilter>> blooms =
      new java.util.concurrent.ConcurrentHashMap<>();

  private NodeSstReader(
      String object,
      ParquetFiles.RangeInputFile file,
      ParquetFileReader reader,
      MessageType schema,
      String label,
      NodeColumns columns,
      DecodedCache decoded) {
    this.object = object;
    this.decoded = decoded;
    this.file = file;
    this.footer = reader.getFooter();
    this.rowCount = reader.getRecordCount();
    this.schema = schema;
    this.label = label;
    this.columns = columns;
    this.rowGroups = reader.getRowGroups();
  }

  /**
   * A fresh Parquet reader over the cached footer: ParquetFileReader keeps a stream position and is
   * not thread-safe, while an SST reader is shared by every query of the namespace.
   */
  private ParquetFileReader reader() throws IOException {
    return ParquetFileReader.open(file, footer, OPTIONS, file.newStream());
  }

  /**
   * Opens a node SST.
   *
   * @throws CorruptObjectException if it is not a readable node SST
   * @throws UnsupportedFormatVersionException for an unknown version
   */
  public static NodeSstReader open(String object, RangeSource source) {
    return open(object, source, DecodedCache.NONE);
  }

  /** As {@link #open(String, RangeSource)}, keeping decoded row groups in {@code decoded}. */
  public static NodeSstReader open(String object, RangeSource source, DecodedCache decoded) {
    ParquetFileReader reader;
    ParquetFiles.RangeInputFile file = new ParquetFiles.RangeInputFile(source);
    try {
      reader = ParquetFileReader.open(file, OPTIONS);
    } catch (io.namidb.engine.NamiException e) {
      throw e; // a store failure (e.g. transient), not corruption
    } catch (IOException | RuntimeException e) {
      throw new CorruptObjectException(
          "corrupt node sst: " + e.getMessage() + ". object=" + object, e);
    }
    Map<String, String> meta = reader.getFileMetaData().getKeyValueMetaData();
    if (!"node-sst".equals(meta.get("namidb.format"))) {
      close(reader);
      throw new CorruptObjectException("not a node sst. object=" + object);
    }
    int version = Integer.parseInt(meta.getOrDefault("namidb.version", "0"));
    if (version != NodeSstWriter.VERSION) {
      close(reader);
      throw new UnsupportedFormatVersionException(
          "node sst", object, version, NodeSstWriter.VERSION, NodeSstWriter.VERSION);
    }
    MessageType schema = reader.getFileMetaData().getSchema();
    Map<String, String> props = new LinkedHashMap<>();
    for (int i = 2; i < schema.getFieldCount(); i++) {
      String name = schema.getFieldName(i).substring(NodeSstWriter.PREFIX.length());
      props.put(name, meta.get("namidb.type." + name));
    }
    NodeSstReader result =
        new NodeSstReader(
            object,
            file,
            reader,
            schema,
            meta.get("namidb.label"),
            new NodeColumns(meta.get("namidb.keyType"), props),
            decoded);
    close(reader);
    return result;
  }

  public String label() {
    return label;
  }

  public NodeColumns columns() {
    return columns;
  }

  public long rows() {
    return rowCount;
  }

  /** The row of {@code key} (a tombstone included), or empty if this SST has none. */
  public Optional<NodeRow> get(Object key) {
    for (int i = 0; i < rowGroups.size(); i++) {
      if (!mayContain(i, key)) {
        continue;
      }
      NodeRow row = rowGroup(i).get(key);
      if (row != null) {
        return Optional.of(row);
      }
    }
    return Optional.empty();
  }

  /** Every row in key order: for scans and compaction. */
  public List<NodeRow> all() {
    List<NodeRow> rows = new ArrayList<>();
    for (int i = 0; i < rowGroups.size(); i++) {
      rows.addAll(rowGroup(i).values());
    }
    return rows;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private boolean mayContain(int index, Object key) {
    ColumnChunkMetaData chunk = rowGroups.get(index).getColumns().get(0);
    Statistics stats = chunk.getStatistics();
    Comparable value =
        key instanceof Long l ? (Comparable) l : (Comparable) Binary.fromString((String) key);
    if (stats != null && stats.hasNonNullValue()) {
      if (stats.comparator().compare(value, stats.genericGetMin()) < 0
          || stats.comparator().compare(value, stats.genericGetMax()) > 0) {
        return false;
      }
    }
    try {
      BloomFilter bloom = blooms.computeIfAbsent(index, i -> readBloom(chunk)).orElse(null);
      if (bloom != null) {
        long hash =
            key instanceof Long l
                ? bloom.hash(l.longValue())
                : bloom.hash(Binary.fromString((String) key));
        return bloom.findHash(hash);
      }
    } catch (io.namidb.engine.NamiException e) {
      throw e; // a store failure (e.g. transient), not corruption
    } catch (RuntimeException e) {
      throw new CorruptObjectException(
          "corrupt node sst bloom filter: " + e.getMessage() + ". object=" + object, e);
    }
    return true;
  }

  /** A row group's rows by key, in key order, decoded once per cache lifetime. */
  private Map<Object, NodeRow> rowGroup(int index) {
    return decoded.get(
        object,
        index,
        () -> {
          Map<Object, NodeRow> rows = new LinkedHashMap<>();
          for (NodeRow row : readRowGroup(index)) {
            rows.put(row.key(), row);
          }
          long bytes = rowGroups.get(index).getTotalByteSize();
          return new DecodedCache.Weighed<>(
              rows, (int) Math.min(Integer.MAX_VALUE, 2 * bytes + 64L * rows.size()));
        });
  }

  /** The key bloom filter of a row group, read once. */
  private Optional<BloomFilter> readBloom(ColumnChunkMetaData chunk) {
    try (ParquetFileReader reader = reader()) {
      return Optional.ofNullable(reader.readBloomFilter(chunk));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<NodeRow> readRowGroup(int index) {
    try (ParquetFileReader reader = reader()) {
      PageReadStore pages = reader.readRowGroup(index);
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
      RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
      List<NodeRow> rows = new ArrayList<>((int) pages.getRowCount());
      for (long r = 0; r < pages.getRowCount(); r++) {
        rows.add(toRow(records.read()));
      }
      return rows;
    } catch (io.namidb.engine.NamiException e) {
      throw e; // a store failure (e.g. transient), not corruption
    } catch (IOException | RuntimeException e) {
      throw new CorruptObjectException(
          "corrupt node sst row group " + index + ": " + e.getMessage() + ". object=" + object, e);
    }
  }

  private NodeRow toRow(Group g) {
    Object key =
        columns.keyType().equals("INT64")
            ? (Object) g.getLong(NodeSstWriter.KEY, 0)
            : g.getBinary(NodeSstWriter.KEY, 0).toStringUsingUTF8();
    if (g.getBoolean(NodeSstWriter.TOMBSTONE, 0)) {
      return new NodeRow(key, null);
    }
    Map<String, Object> props = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : columns.properties().entrySet()) {
      String field = NodeSstWriter.PREFIX + c.getKey();
      if (g.getFieldRepetitionCount(field) == 0) {
        continue;
      }
      props.put(c.getKey(), value(g, field, c.getValue()));
    }
    return new NodeRow(key, props);
  }

  private static Object value(Group g, String field, String type) {
    int dim = NodeColumns.vectorDim(type);
    if (dim > 0) {
      ByteBuffer buf =
          ByteBuffer.wrap(g.getBinary(field, 0).getBytes()).order(ByteOrder.LITTLE_ENDIAN);
      float[] f = new float[dim];
      for (int i = 0; i < dim; i++) {
        f[i] = buf.getFloat();
      }
      return f;
    }
    return switch (type) {
      case "BOOL" -> g.getBoolean(field, 0);
      case "INT64" -> g.getLong(field, 0);
      case "DOUBLE" -> g.getDouble(field, 0);
      case "STRING" -> g.getBinary(field, 0).toStringUsingUTF8();
      case "TIMESTAMP" -> {
        long nanos = g.getLong(field, 0);
        yield Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
      }
      case "BYTES" -> g.getBinary(field, 0).getBytes();
      default -> throw new IllegalArgumentException("unknown property type " + type);
    };
  }

  @Override
  public void close() {
    // nothing held: each read opens its own Parquet reader over the cached footer
  }

  private static void close(ParquetFileReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      // nothing held but memory
    }
  }
}
