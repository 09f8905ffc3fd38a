package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.model.Direction;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.engine.store.StoreStats;
import io.namidb.testkit.MinioBucket;
import io.namidb.testkit.WithMinio;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data path on real MinIO: the model-based test with more seeds, and read costs. */
@WithMinio
class GraphIT {

  @Test
  void randomHistoriesMatchTheReferenceModelOnMinio(MinioBucket s3) throws Exception {
    int seeds = Integer.getInteger("namidb.model.seeds", 3);
    for (long seed = 100; seed < 100 + seeds; seed++) {
      try (ObjectStore store =
          ObjectStores.open(NamespaceUri.parse(s3.namespaceUri("model", "seed-" + seed)))) {
        new GraphModelTest.GraphModelRun(store, seed, 250).run();
      }
    }
  }

  @Test
  void coldOneHopCostsAtMostThreeGetsAfterTheManifest(MinioBucket s3) throws Exception {
    String uri = s3.namespaceUri("cost", "one-hop");
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
        NamespaceWriter w = Writes.open(store, Writes.config(5))) {
      for (int batch = 0; batch < 20; batch++) {
        WriteBatch.Builder b = WriteBatch.builder();
        for (int i = 0; i < 100; i++) {
          int n = batch * 100 + i;
          b.node(new Node(NodeKey.of("Person", "p" + n), Map.of("name", "n" + n)));
          if (n > 0) {
            b.edge(
                new Edge(
                    new EdgeKey(
                        "KNOWS",
                        NodeKey.of("Person", "p" + n),
                        NodeKey.of("Person", "p" + (n / 2))),
                    Map.of()));
          }
        }
        w.write(b.build()).get();
      }
      w.flush();
    }
    try (ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
        NamespaceReader reader = NamespaceReader.open(store)) {
      StoreStats.Snapshot before = store.stats().snapshot();
      assertThat(reader.view().edges(NodeKey.of("Person", "p1234"), "KNOWS", Direction.OUT))
          .hasSize(1);
      long gets = store.stats().snapshot().minus(before).gets();
      assertThat(gets).as("GETs for a cold one-hop").isLessThanOrEqualTo(3);
      before = store.stats().snapshot();
      assertThat(reader.view().edges(NodeKey.of("Person", "p1235"), "KNOWS", Direction.OUT))
          .hasSize(1);
      assertThat(store.stats().snapshot().minus(before).gets())
          .as("footer cached: at most one block GET")
          .isLessThanOrEqualTo(1);
    }
  }
}
