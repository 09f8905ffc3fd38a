package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.LegacyLayouts;
import io.namidb.engine.store.LocalObjectStore;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A namespace on the local store is its directory, key for key (DESIGN §3): a plain copy serves
 * elsewhere (see {@code LocalS3CopyIT}), and one written in the first {@code .d} layout still
 * opens.
 */
class LocalLayoutTest {
  @TempDir Path dir;

  /** What a reader sees of the sample graph. */
  record Contents(List<Node> nodes, List<Edge> edges) {
    static Contents of(GraphView view) {
      return new Contents(view.scan("Person"), view.scanEdges("KNOWS"));
    }
  }

  /**
   * Writes a small graph into {@code store}: flushed SSTs, compacted ones, deletes and a WAL tail
   * the next writer replays. Returns what the writer saw when it closed.
   */
  static Contents writeSample(ObjectStore store, long seed) throws Exception {
    try (NamespaceWriter w = Writes.open(store, Writes.config(seed))) {
      for (int round = 0; round < 3; round++) {
        WriteBatch.Builder b = WriteBatch.builder();
        for (int i = 0; i < 40; i++) {
          int n = round * 40 + i;
          b.node(new Node(NodeKey.of("Person", "p" + n), Map.of("name", "n" + n)));
          if (n > 0) {
            b.edge(
                new Edge(
                    new EdgeKey(
                        "KNOWS", NodeKey.of("Person", "p" + n), NodeKey.of("Person", "p" + n / 2)),
                    Map.of()));
          }
        }
        w.write(b.build()).get();
        w.flush();
      }
      w.compact();
      w.write(WriteBatch.builder().deleteNode(NodeKey.of("Person", "p7")).build()).get();
      w.write(Writes.person("tail")).get();
      w.write(Writes.knows("tail", "p1")).get();
      return Contents.of(w.view());
    }
  }

  /** Opens a writer on {@code store}, checks it sees {@code expected} and can write on. */
  static void assertServes(ObjectStore store, Contents expected, long seed) throws Exception {
    try (NamespaceWriter w = Writes.open(store, Writes.config(seed))) {
      assertThat(Contents.of(w.view())).isEqualTo(expected);
      w.write(Writes.person("after-the-move")).get();
      w.flush();
      assertThat(w.node(NodeKey.of("Person", "after-the-move"))).isPresent();
    }
    try (NamespaceReader r = NamespaceReader.open(store)) {
      assertThat(r.view().node(NodeKey.of("Person", "after-the-move"))).isPresent();
      assertThat(r.view().node(NodeKey.of("Person", "p7"))).isEmpty();
    }
  }

  @Test
  void theNamespaceDirectoryHoldsExactlyItsKeys() throws Exception {
    Path root = dir.resolve("tenant-a");
    try (LocalObjectStore store = new LocalObjectStore(root)) {
      writeSample(store, 1);
      List<String> keys = store.list("").stream().map(ObjectInfo::key).toList();
      List<String> files;
      try (Stream<Path> s = Files.walk(root)) {
        files =
            s.filter(Files::isRegularFile)
                .map(p -> root.relativize(p).toString())
                .sorted()
                .toList();
      }

      assertThat(files).isEqualTo(keys.stream().sorted().toList());
      assertThat(keys)
          .anyMatch(k -> k.matches("manifest/\\d{20}\\.json"))
          .anyMatch(k -> k.matches("wal/\\d{20}\\.wal"))
          .anyMatch(k -> k.startsWith("sst/nodes/Person/") && k.endsWith(".parquet"))
          .anyMatch(k -> k.startsWith("sst/edges/KNOWS/") && k.endsWith(".out.edg"))
          .anyMatch(k -> k.startsWith("sst/edges/KNOWS/") && k.endsWith(".in.edg"));
    }
  }

  @Test
  void aNamespaceWrittenInTheOldDotDLayoutOpensAndIsMigrated() throws Exception {
    Path root = dir.resolve("tenant-old");
    Contents written;
    try (LocalObjectStore store = new LocalObjectStore(root)) {
      written = writeSample(store, 2);
    }
    LegacyLayouts.rewrite(root);
    assertThat(root.resolve("manifest.d")).isDirectory();
    assertThat(root.resolve("manifest")).doesNotExist();

    try (LocalObjectStore store = new LocalObjectStore(root)) {
      assertServes(store, written, 3);
    }
    assertThat(root.resolve("manifest.d")).doesNotExist();
    assertThat(root.resolve("sst/nodes/Person")).isDirectory();
  }
}
