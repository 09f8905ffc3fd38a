package io.namidb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Without rules the wrapper keeps the whole contract; with rules it injects exactly its faults. */
class FaultInjectingObjectStoreTest extends ObjectStoreContract {
  private final MemoryObjectStore backend = new MemoryObjectStore();
  private final List<Duration> slept = new ArrayList<>();

  @Override
  protected ObjectStore openAt(String path) {
    return new FaultInjectingObjectStore(backend.rootedAt(path), new Random(42), slept::add);
  }

  private FaultInjectingObjectStore faults() {
    return (FaultInjectingObjectStore) store;
  }

  private ObjectStore delegate() {
    return faults().delegate();
  }

  @Test
  void itsPutsAreAsLocalAsItsDelegates() {
    assertThat(store.putsAreLocal()).isTrue(); // memory underneath
  }

  @Test
  void failThrowsTransientBeforeTheCallAndWritesNothing() {
    faults().on(StoreOp.PUT_IF_ABSENT).fail();

    assertThatThrownBy(() -> store.putIfAbsent("wal/1", bytes("x")))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(NamiException.Kind.TRANSIENT);
              assertThat(e.getMessage())
                  .startsWith("injected fault: request failed.")
                  .contains("op=PUT_IF_ABSENT", "key=wal/1");
            });
    assertThat(delegate().head("wal/1")).isEmpty();
    assertThat(store.stats().errors(StoreOp.PUT_IF_ABSENT)).isEqualTo(1);
    assertThat(faults().injected(StoreOp.PUT_IF_ABSENT)).isEqualTo(1);
  }

  @Test
  void loseResponseLandsTheWriteThenReportsATransientFailure() {
    faults().on(StoreOp.PUT_IF_ABSENT, "wal/").loseResponse().times(1);

    assertThatThrownBy(() -> store.putIfAbsent("wal/00000000000000000001.wal", bytes("mine")))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(NamiException.Kind.TRANSIENT);
              assertThat(e.getMessage()).startsWith("injected fault: response lost");
            });
    assertThat(delegate().get("wal/00000000000000000001.wal")).isEqualTo(bytes("mine"));
    // The caller's retry now collides with its own landed write: the pitfall of DESIGN §4.
    assertThatThrownBy(() -> store.putIfAbsent("wal/00000000000000000001.wal", bytes("mine")))
        .isInstanceOf(ObjectExistsException.class);
    assertThat(store.get("wal/00000000000000000001.wal")).isEqualTo(bytes("mine"));
  }

  @Test
  void loseResponseOnACreateTheDelegateRefusesStillReportsTheCollision() {
    delegate().putIfAbsent("k", bytes("other"));
    FaultInjectingObjectStore.Rule rule = faults().on(StoreOp.PUT_IF_ABSENT).loseResponse();

    assertThatThrownBy(() -> store.putIfAbsent("k", bytes("mine")))
        .isInstanceOf(ObjectExistsException.class);
    assertThat(rule.fired()).isEqualTo(1);
  }

  @Test
  void rulesApplyOnlyToTheirOperationAndKeyPrefix() {
    faults().on(StoreOp.PUT_IF_ABSENT, "wal/").fail();
    faults().on(StoreOp.LIST, "manifest/").fail();

    store.putIfAbsent("manifest/1", bytes("m"));
    store.put("wal/1", bytes("plain put is another operation"));
    assertThat(store.list("")).hasSize(2);
    assertThat(store.list("wal/")).hasSize(1);
    assertThatThrownBy(() -> store.putIfAbsent("wal/2", bytes("x")))
        .isInstanceOf(ObjectStoreException.class);
    assertThatThrownBy(() -> store.list("manifest/0")).isInstanceOf(ObjectStoreException.class);
  }

  @Test
  void timesAndAfterMatchesBoundWhenARuleFires() {
    FaultInjectingObjectStore.Rule rule =
        faults().on(StoreOp.GET, "g/").fail().afterMatches(2).times(2);
    store.putIfAbsent("g/1", bytes("x"));

    List<Boolean> failed = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      try {
        store.get("g/1");
        failed.add(false);
      } catch (ObjectStoreException e) {
        failed.add(true);
      }
    }

    assertThat(failed).containsExactly(false, false, true, true, false, false);
    assertThat(rule.fired()).isEqualTo(2);
    assertThat(store.stats().calls(StoreOp.GET)).isEqualTo(6);
    assertThat(store.stats().errors(StoreOp.GET)).isEqualTo(2);
    assertThat(store.stats().bytes(StoreOp.GET)).isEqualTo(4);
  }

  @Test
  void probabilisticRulesAreReproducibleForASeed() {
    List<Boolean> first = failurePattern(11);
    List<Boolean> again = failurePattern(11);
    List<Boolean> other = failurePattern(12);

    assertThat(first).isEqualTo(again);
    assertThat(first).isNotEqualTo(other);
    assertThat(first).contains(true, false);
  }

  private List<Boolean> failurePattern(long seed) {
    FaultInjectingObjectStore s =
        new FaultInjectingObjectStore(new MemoryObjectStore(), new Random(seed));
    s.on(StoreOp.HEAD).fail().probability(0.3);
    List<Boolean> pattern = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      try {
        s.head("k");
        pattern.add(false);
      } catch (ObjectStoreException e) {
        pattern.add(true);
      }
    }
    return pattern;
  }

  @Test
  void delaysGoToTheInjectedSleeperNotTheClock() {
    faults().on(StoreOp.PUT, "sst/").delay(Duration.ofSeconds(30)).times(2);
    faults().on(StoreOp.PUT).delay(Duration.ofMillis(5));

    store.put("sst/1", bytes("x"));
    store.put("other", bytes("y"));

    assertThat(slept)
        .containsExactly(Duration.ofSeconds(30), Duration.ofMillis(5), Duration.ofMillis(5));
    assertThat(faults().totalDelay()).isEqualTo(Duration.ofMillis(30_010));
    assertThat(store.get("sst/1")).isEqualTo(bytes("x"));
  }

  @Test
  void aDelayAndAFailureCanHitOneCall() {
    faults().on(StoreOp.DELETE).delay(Duration.ofMillis(1));
    faults().on(StoreOp.DELETE).fail().times(1);
    faults().on(StoreOp.DELETE).loseResponse().times(1);
    store.put("d", bytes("x"));

    assertThatThrownBy(() -> store.delete("d")).hasMessageStartingWith("injected fault: request");
    assertThat(delegate().head("d")).isPresent();
    assertThatThrownBy(() -> store.delete("d")).hasMessageStartingWith("injected fault: response");
    assertThat(delegate().head("d")).isEmpty();
    store.delete("d");
    assertThat(slept).hasSize(3);
  }

  @Test
  void failCanThrowAChosenException() {
    faults()
        .on(StoreOp.GET_RANGE)
        .fail(() -> new ObjectStoreException(NamiException.Kind.CONFIGURATION, "access denied"));
    store.put("r", bytes("0123"));

    assertThatThrownBy(() -> store.getRange("r", 0, 2))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.CONFIGURATION));
  }

  @Test
  void removedAndClearedRulesStopFiring() {
    FaultInjectingObjectStore.Rule rule = faults().on(StoreOp.HEAD).fail();
    assertThatThrownBy(() -> store.head("k")).isInstanceOf(ObjectStoreException.class);
    rule.remove();
    assertThat(store.head("k")).isEmpty();

    faults().on(StoreOp.HEAD).fail();
    faults().clearRules();
    assertThat(store.head("k")).isEmpty();
  }

  @Test
  void ignoringIfNoneMatchMakesCreateIfAbsentAPlainPut() {
    faults().ignoreIfNoneMatch(true);

    store.putIfAbsent("probe/w-1", bytes("first"));
    store.putIfAbsent("probe/w-1", bytes("second")); // accepted: the store breaks fencing

    assertThat(store.get("probe/w-1")).isEqualTo(bytes("second"));
    faults().ignoreIfNoneMatch(false);
    assertThatThrownBy(() -> store.putIfAbsent("probe/w-1", bytes("third")))
        .isInstanceOf(ObjectExistsException.class);
  }

  @Test
  void corruptFlipsOneBitOfWhatIsStoredOrRead() {
    faults().on(StoreOp.PUT_IF_ABSENT, "sst/").corrupt().times(1);
    faults().on(StoreOp.GET, "wal/").corrupt().times(1);
    store.putIfAbsent("sst/a", bytes("abc"));
    store.putIfAbsent("sst/b", bytes("abc"));
    store.putIfAbsent("wal/1", bytes("abc"));

    assertThat(delegate().get("sst/a")).isEqualTo(bytes("acc"));
    assertThat(delegate().get("sst/b")).isEqualTo(bytes("abc"));
    assertThat(store.get("wal/1")).isEqualTo(bytes("acc"));
    assertThat(store.get("wal/1")).isEqualTo(bytes("abc"));
    assertThat(delegate().get("wal/1")).isEqualTo(bytes("abc"));
    assertThat(faults().injected(StoreOp.PUT_IF_ABSENT)).isEqualTo(1);
  }

  @Test
  void ruleArgumentsAreChecked() {
    assertThatThrownBy(() -> faults().on(StoreOp.HEAD).corrupt())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("op=HEAD");
    assertThatThrownBy(() -> faults().on(StoreOp.GET).fail().probability(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probability=1.5");
    assertThatThrownBy(() -> faults().on(StoreOp.GET).fail().times(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults().on(StoreOp.GET).delay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
