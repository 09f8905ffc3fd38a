package io.namidb.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {
  private static final long[] PROBES = {3, 9};
  private static final Answers REFERENCE =
      new Answers("generator", new long[] {2, 0}, new long[] {5, 0});

  @Test
  void equalAnswersPass() {
    assertThatCode(
            () ->
                Agreement.check(
                    PROBES,
                    REFERENCE,
                    List.of(new Answers("neo4j", new long[] {2, 0}, new long[] {5, 0}))))
        .doesNotThrowAnyException();
  }

  @Test
  void aDifferentAnswerFailsNamingEngineProbeAndBothValues() {
    assertThatThrownBy(
            () ->
                Agreement.check(
                    PROBES,
                    REFERENCE,
                    List.of(
                        new Answers("neo4j", new long[] {2, 0}, new long[] {5, 0}),
                        new Answers("kuzu", new long[] {2, 0}, new long[] {4, 0}))))
        .isInstanceOf(Agreement.MismatchException.class)
        .hasMessageContaining("two-hop distinct count of probe key=3")
        .hasMessageContaining("engine=kuzu answered 4")
        .hasMessageContaining("generator answered 5")
        .hasMessageNotContaining("neo4j");
  }

  @Test
  void missingAnswersFail() {
    assertThatThrownBy(
            () ->
                Agreement.check(
                    PROBES, REFERENCE, List.of(new Answers("kuzu", new long[0], new long[0]))))
        .hasMessageContaining("kuzu answered 0/0 of 2 probes");
  }

  @Test
  void theReferenceCountsOutDegreeAndDistinctEndsOfTwoHops() {
    // 0->1, 0->2, 1->0, 1->3, 2->3: from 0 the two-hop ends are {0, 3, 3} -> 2 distinct
    GraphGenerator.Graph g =
        new GraphGenerator.Graph(
            new GraphGenerator.Spec(4, 3, 1, 1, 1),
            new long[4],
            new float[4][],
            new long[] {0, 0, 1, 1, 2},
            new long[] {1, 2, 0, 3, 3});
    Answers a = Answers.of(g, new long[] {0, 1, 3});
    assertThat(a.oneHop()).containsExactly(2, 2, 0);
    assertThat(a.twoHop()).containsExactly(2, 2, 0);
  }
}
