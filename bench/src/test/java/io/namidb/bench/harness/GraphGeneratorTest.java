package io.namidb.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphGeneratorTest {
  private static final GraphGenerator.Spec SPEC =
      new GraphGenerator.Spec(2000, 20_000, 1.5, 2.5, 7);

  @Test
  void theSameSeedGivesTheSameGraph() {
    GraphGenerator.Graph a = GraphGenerator.generate(SPEC);
    GraphGenerator.Graph b = GraphGenerator.generate(SPEC);
    assertThat(a.edgeFrom()).isEqualTo(b.edgeFrom());
    assertThat(a.edgeTo()).isEqualTo(b.edgeTo());
    assertThat(a.age()).isEqualTo(b.age());
    assertThat(a.emb()).isDeepEqualTo(b.emb());
    GraphGenerator.Graph other =
        GraphGenerator.generate(new GraphGenerator.Spec(2000, 20_000, 1.5, 2.5, 8));
    assertThat(other.edgeTo()).isNotEqualTo(a.edgeTo());
  }

  @Test
  void edgesAreDistinctWithoutLoopsAndOfTheRequestedCount() {
    GraphGenerator.Graph g = GraphGenerator.generate(SPEC);
    assertThat(g.edges()).isEqualTo(20_000);
    assertThat(g.nodes()).isEqualTo(2000);
    for (int i = 0; i < g.edges(); i++) {
      assertThat(g.edgeFrom()[i]).isNotEqualTo(g.edgeTo()[i]).isBetween(0L, 1999L);
      assertThat(g.edgeTo()[i]).isBetween(0L, 1999L);
      if (i > 0) {
        long prev = g.edgeFrom()[i - 1] * 2000 + g.edgeTo()[i - 1];
        assertThat(g.edgeFrom()[i] * 2000 + g.edgeTo()[i]).isGreaterThan(prev);
      }
    }
    for (float[] v : g.emb()) {
      assertThat(v).hasSize(GraphGenerator.DIM);
    }
  }

  @Test
  void degreesAreSkewedTowardTheHubs() {
    GraphGenerator.Graph g = GraphGenerator.generate(SPEC);
    int[] out = g.outDegrees();
    int[] in = new int[g.nodes()];
    for (long to : g.edgeTo()) {
      in[(int) to]++;
    }
    // the lowest 1% of keys get far more than 1% of the edge ends
    assertThat(Arrays.stream(in, 0, 20).sum()).isGreaterThan(g.edges() / 10);
    assertThat(Arrays.stream(out, 0, 20).sum()).isGreaterThan(g.edges() / 50);
    assertThat(Arrays.stream(in).max().getAsInt()).isGreaterThan(20 * g.edges() / g.nodes());
  }

  @Test
  void refusesMoreEdgesThanADuplicateFreeGraphCanHold() {
    assertThatThrownBy(() -> new GraphGenerator.Spec(10, 1000, 1, 1, 1))
        .hasMessageContaining("too many edges");
  }

  @Test
  void writesNodesAndEdgesAsParquet(@TempDir Path dir) throws Exception {
    GraphGenerator.writeParquet(GraphGenerator.generate(SPEC), dir);
    assertThat(Files.size(dir.resolve("nodes.parquet")))
        .isGreaterThan(2000L * GraphGenerator.DIM * 4);
    assertThat(Files.size(dir.resolve("edges.parquet"))).isGreaterThan(20_000L);
  }
}
