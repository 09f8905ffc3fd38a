package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.model.Edge;
import io.namidb.engine.model.EdgeKey;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shape check every write and every bulk-load batch passes first: empty names, by field. */
class BatchShapeTest {
  private static final NodeKey ALICE = NodeKey.of("Person", "alice");

  private static WriteBatch.Builder twoGoodItems() {
    return WriteBatch.builder()
        .node(new Node(ALICE, Map.of()))
        .edge(new Edge(new EdgeKey("KNOWS", ALICE, ALICE), Map.of()));
  }

  private static void refused(WriteBatch batch, String message) {
    assertThatThrownBy(() -> Committer.validateShape(batch))
        .isInstanceOfSatisfying(
            NamiException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT))
        .hasMessage(message);
  }

  @Test
  void aWellFormedBatchPasses() {
    assertThatCode(() -> Committer.validateShape(twoGoodItems().build()))
        .doesNotThrowAnyException();
  }

  @Test
  void anEmptyBatchIsRefused() {
    refused(WriteBatch.builder().build(), "batch is empty");
  }

  @Test
  void anEmptyNameIsRefusedNamingItsField() {
    refused(
        twoGoodItems().node(new Node(NodeKey.of("", "x"), Map.of())).build(),
        "empty name. field=nodes[1].label");
    refused(
        twoGoodItems().edge(new Edge(new EdgeKey("", ALICE, ALICE), Map.of())).build(),
        "empty name. field=edges[1].type");
    refused(
        twoGoodItems()
            .edge(new Edge(new EdgeKey("KNOWS", NodeKey.of("", "x"), ALICE), Map.of()))
            .build(),
        "empty name. field=edges[1].from.label");
    refused(
        twoGoodItems()
            .edge(new Edge(new EdgeKey("KNOWS", ALICE, NodeKey.of("", "x")), Map.of()))
            .build(),
        "empty name. field=edges[1].to.label");
  }
}
