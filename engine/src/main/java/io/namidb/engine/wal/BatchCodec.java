package io.namidb.engine.wal;

import io.namidb.engine.NamiException;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.ValueCodec;
import io.namidb.engine.model.WriteBatch;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compact binary encoding of a {@link WriteBatch}, self-describing (values carry a type tag) so a
 * WAL replays without the schema. Big-endian:
 *
 * <pre>
 * batch    = count:u32 node*  count:u32 edge*  count:u32 nodeKey*  count:u32 edgeKey*
 * node     = nodeKey props
 * edge     = edgeKey props
 * edgeKey  = type:str nodeKey nodeKey
 * nodeKey  = label:str value            (value tag INT64 or STRING)
 * props    = count:u32 (name:str value)*
 * value    = see {@link ValueCodec}
 * str      = len:u32 utf8-byte*
 * </pre>
 */
public final class BatchCodec {
  private BatchCodec() {}

  public static byte[] encode(WriteBatch batch) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(batch.nodes().size());
      for (Node n : batch.nodes()) {
        writeNodeKey(out, n.id());
        writeProps(out, n.props());
      }
      out.writeInt(batch.edges().size());
      for (Edge e : batch.edges()) {
        writeEdgeKey(out, e.id());
        writeProps(out, e.props());
      }
      out.writeInt(batch.deleteNodes().size());
      for (NodeKey k : batch.deleteNodes()) {
        writeNodeKey(out, k);
      }
      out.writeInt(batch.deleteEdges().size());
      for (EdgeKey k : batch.deleteEdges()) {
        writeEdgeKey(out, k);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a batch.
   *
   * @throws IOException when the bytes do not form exactly one batch
   */
  public static WriteBatch decode(DataInputStream in) throws IOException {
    try {
      return decodeRecords(in);
    } catch (NamiException e) {
      // a record the model refuses (an empty property name, ...): the bytes are not a batch
      throw new IOException(e.getMessage(), e);
    }
  }

  private static WriteBatch decodeRecords(DataInputStream in) throws IOException {
    WriteBatch.Builder b = WriteBatch.builder();
    int nodes = count(in);
    for (int i = 0; i < nodes; i++) {
      b.node(new Node(readNodeKey(in), readProps(in)));
    }
    int edges = count(in);
    for (int i = 0; i < edges; i++) {
      b.edge(new Edge(readEdgeKey(in), readProps(in)));
    }
    int deleteNodes = count(in);
    for (int i = 0; i < deleteNodes; i++) {
      b.deleteNode(readNodeKey(in));
    }
    int deleteEdges = count(in);
    for (int i = 0; i < deleteEdges; i++) {
      b.deleteEdge(readEdgeKey(in));
    }
    return b.build();
  }

  private static void writeNodeKey(DataOutputStream out, NodeKey k) throws IOException {
    writeString(out, k.label());
    writeValue(out, k.key());
  }

  private static void writeEdgeKey(DataOutputStream out, EdgeKey k) throws IOException {
    writeString(out, k.type());
    writeNodeKey(out, k.from());
    writeNodeKey(out, k.to());
  }

  private static void writeProps(DataOutputStream out, Map<String, Object> props)
      throws IOException {
    out.writeInt(props.size());
    for (Map.Entry<String, Object> e : props.entrySet()) {
      writeString(out, e.getKey());
      writeValue(out, e.getValue());
    }
  }

  private static void writeValue(DataOutputStream out, Object v) throws IOException {
    ValueCodec.write(out, v);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    ValueCodec.writeString(out, s);
  }

  private static NodeKey readNodeKey(DataInputStream in) throws IOException {
    String label = readString(in);
    Object key = readValue(in);
    if (!(key instanceof String) && !(key instanceof Long)) {
      throw new IOException("node key of label " + label + " is not a string or int64");
    }
    return new NodeKey(label, key);
  }

  private static EdgeKey readEdgeKey(DataInputStream in) throws IOException {
    String type = readString(in);
    return new EdgeKey(type, readNodeKey(in), readNodeKey(in));
  }

  private static Map<String, Object> readProps(DataInputStream in) throws IOException {
    int n = count(in);
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      props.put(readString(in), readValue(in));
    }
    return props;
  }

  private static Object readValue(DataInputStream in) throws IOException {
    return ValueCodec.read(in, in.available());
  }

  private static String readString(DataInputStream in) throws IOException {
    return ValueCodec.readString(in, in.available());
  }

  /** A length or count, bounded by what is left so corrupt input cannot allocate gigabytes. */
  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new EOFException("count " + n + " exceeds the remaining " + in.available() + " bytes");
    }
    return n;
  }

  /** Reads whole batches from a list of record payloads. */
  static List<WriteBatch> decodeAll(List<byte[]> payloads) throws IOException {
    List<WriteBatch> out = new ArrayList<>(payloads.size());
    for (byte[] p : payloads) {
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(p));
      out.add(decode(in));
      if (in.available() != 0) {
        throw new IOException("trailing bytes after batch: " + in.available());
      }
    }
    return out;
  }
}
