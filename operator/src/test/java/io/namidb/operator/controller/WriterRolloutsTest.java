package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.namidb.operator.controller.WriterRollouts.Decision;
import io.namidb.operator.controller.WriterRollouts.Limit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rollout slots on their own: whose change waits, who gets a slot, when it frees. */
class WriterRolloutsTest {
  private final WriterRollouts rollouts =
      new WriterRollouts(
          Limit.parse("2"), Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));

  @Test
  void limitsAreACountOrAShareOfTheRunningWritersAndAtLeastOne() {
    assertThat(Limit.parse("3").slots(100)).isEqualTo(3);
    assertThat(Limit.parse("10%").slots(100)).isEqualTo(10);
    assertThat(Limit.parse("10%").slots(101)).isEqualTo(11);
    assertThat(Limit.parse("10%").slots(3)).isEqualTo(1);
    assertThat(Limit.parse(" 100% ").slots(7)).isEqualTo(7);
    for (String bad : List.of("0", "-1", "0%", "101%", "two", "", "5 %%")) {
      assertThatThrownBy(() -> Limit.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("max-concurrent-writer-rollouts")
          .hasMessageContaining("value=" + bad);
    }
  }

  @Test
  void operatorChangesOfServingWritersTakeSlotsInTurnAndTheRestWait() {
    List<Deployment> fleet = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d")) {
      fleet.add(serving(name, "old", "in"));
    }
    assertThat(decide("a", fleet)).isEqualTo(Decision.apply(true));
    assertThat(decide("b", fleet)).isEqualTo(Decision.apply(true));
    Decision c = decide("c", fleet);
    assertThat(c.apply()).isFalse();
    assertThat(c.queuedMessage()).contains("at most 2 writers restart at a time");
    assertThat(decide("d", fleet).apply()).isFalse();
    // asked again, the grant stands and the queue keeps its order
    assertThat(decide("a", fleet)).isEqualTo(Decision.apply(true));
    assertThat(decide("d", fleet).apply()).isFalse();
    assertThat(rollouts.next(fleet)).isEmpty();

    // a and b are applied: their Deployments now roll in a slot
    fleet.set(0, rolling("a", "new", "in"));
    fleet.set(1, rolling("b", "new", "in"));
    assertThat(rollouts.next(fleet)).isEmpty();
    assertThat(decide("c", fleet).apply()).isFalse();

    // a's new pod is available: one slot for the first in line
    fleet.set(0, serving("a", "new", "in", true));
    assertThat(rollouts.next(fleet)).containsExactly(id("c"));
    assertThat(decide("d", fleet).apply()).as("d is behind c").isFalse();
    assertThat(decide("c", fleet)).isEqualTo(Decision.apply(true));
    assertThat(decide("a", fleet)).as("done: the mark goes").isEqualTo(Decision.apply(false));
  }

  @Test
  void aTenantsOwnChangeAWriterThatServesNothingAndANewWriterNeverWait() {
    List<Deployment> fleet = new ArrayList<>();
    fleet.add(rolling("a", "new", "in"));
    fleet.add(rolling("b", "new", "in"));
    Deployment c = serving("c", "old", "in");
    fleet.add(c);
    assertThat(decide("c", fleet).apply()).isFalse();
    // the tenant changed its spec.writer: new inputs
    assertThat(rollouts.decide(id("c"), Optional.of(c), c, "new2", "in2", fleet))
        .isEqualTo(Decision.apply(false));
    assertThat(rollouts.queued(id("c"))).isFalse();

    Deployment down = serving("e", "old", "in");
    down.getStatus().setAvailableReplicas(0);
    fleet.add(down);
    assertThat(rollouts.decide(id("e"), Optional.of(down), down, "new", "in", fleet))
        .isEqualTo(Decision.apply(false));

    assertThat(rollouts.decide(id("f"), Optional.empty(), c, "new", "in", fleet))
        .isEqualTo(Decision.apply(false));
  }

  @Test
  void aDeploymentFromBeforeTheAnnotationsWaitsLikeAnOperatorChange() {
    List<Deployment> fleet = new ArrayList<>();
    fleet.add(rolling("a", "new", "in"));
    fleet.add(rolling("b", "new", "in"));
    Deployment legacy = serving("c", "old", "in");
    legacy.getMetadata().getLabels().remove(WriterRollouts.TEMPLATE_LABEL);
    legacy.getMetadata().getLabels().remove(WriterRollouts.INPUTS_LABEL);
    fleet.add(legacy);
    assertThat(rollouts.decide(id("c"), Optional.of(legacy), legacy, "new", "in", fleet).apply())
        .isFalse();
  }

  @Test
  void hashesIgnoreTheOrderOfMapKeys() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("cpu", "250m");
    one.put("memory", "512Mi");
    Map<String, String> other = new LinkedHashMap<>();
    other.put("memory", "512Mi");
    other.put("cpu", "250m");
    assertThat(WriterRollouts.hash(one)).isEqualTo(WriterRollouts.hash(other)).hasSize(24);
    assertThat(WriterRollouts.hash(Map.of("cpu", "1"))).isNotEqualTo(WriterRollouts.hash(one));
  }

  private Decision decide(String name, List<Deployment> fleet) {
    Deployment actual =
        fleet.stream()
            .filter(d -> d.getMetadata().getName().equals(name + "-writer"))
            .findFirst()
            .orElseThrow();
    return rollouts.decide(id(name), Optional.of(actual), actual, "new", "in", fleet);
  }

  private static ResourceID id(String name) {
    return new ResourceID(name, "tenants");
  }

  private static Deployment serving(String name, String template, String inputs) {
    return serving(name, template, inputs, false);
  }

  private static Deployment serving(
      String name, String template, String inputs, boolean markedRolling) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Constants.INSTANCE_LABEL, name);
    labels.put(WriterRollouts.TEMPLATE_LABEL, template);
    labels.put(WriterRollouts.INPUTS_LABEL, inputs);
    if (markedRolling) {
      labels.put(WriterRollouts.ROLLOUT_LABEL, WriterRollouts.ROLLOUT_OPERATOR);
    }
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name + "-writer")
        .withNamespace("tenants")
        .withGeneration(2L)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName(Constants.WRITER_CONTAINER)
        .withImage("writer:" + template)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(2L)
        .withReplicas(1)
        .withUpdatedReplicas(1)
        .withAvailableReplicas(1)
        .endStatus()
        .build();
  }

  /** Applied in a slot: a new generation the Deployment controller has not rolled out yet. */
  private static Deployment rolling(String name, String template, String inputs) {
    Deployment d = serving(name, template, inputs, true);
    d.getMetadata().setGeneration(3L);
    return d;
  }
}
