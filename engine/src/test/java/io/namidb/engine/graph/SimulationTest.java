package io.namidb.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.namidb.engine.IdGenerator;
import io.namidb.engine.NamiException;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.FaultInjectingObjectStore;
import io.namidb.engine.store.MemoryObjectStore;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStoreException;
import io.namidb.engine.store.StoreOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deterministic simulation of one namespace (issue 11, item 8; SlateDB's DST is the model). A seed
 * drives, one step at a time: writes and deletes, flushes, compactions, GC, readers in another
 * "process", crashes at any store call (every later call of that writer fails, as if the process
 * had died there), zombies (a new writer opens while the old one still runs), lost responses and
 * failing calls through {@link FaultInjectingObjectStore}. A reference model holds, per key, the
 * values a read may return: the last acknowledged one, plus any written later whose outcome is
 * unknown. Every read, every reopen and the end check compare against it; an acknowledged write
 * that vanishes, or any CORRUPT error, fails the seed.
 *
 * <p>{@code -Dnami.dst.seeds=1..200} (a range) or {@code =7,42} (a list) and {@code
 * -Dnami.dst.steps=N} run more. Operations and faults are drawn from the seed; the writer's own
 * threads only run while a step waits for them (no timed flushes), so a failing seed replays the
 * same operations and faults, though thread timing inside a step can differ.
 */
class SimulationTest {
  private static final int KEYS = 24;

  static LongStream seeds() {
    String spec = System.getProperty("nami.dst.seeds", "1..4");
    if (spec.contains("..")) {
      String[] range = spec.split("\\.\\.");
      return LongStream.rangeClosed(Long.parseLong(range[0]), Long.parseLong(range[1]));
    }
    return java.util.Arrays.stream(spec.split(",")).mapToLong(s -> Long.parseLong(s.strip()));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyAcknowledgedWriteSurvivesAndEveryReadMatchesTheModel(long seed) throws Exception {
    new Run(seed, Integer.getInteger("nami.dst.steps", 600)).go();
  }

  /** A store that dies at a chosen call: that call and every later one fail. */
  static final class CrashableStore implements ObjectStore {
    private final ObjectStore delegate;
    private final AtomicLong callsLeft = new AtomicLong(Long.MAX_VALUE);

    CrashableStore(ObjectStore delegate) {
      this.delegate = delegate;
    }

    void crashAfter(long calls) {
      callsLeft.set(calls);
    }

    boolean crashed() {
      return callsLeft.get() <= 0;
    }

    private void call(String op, String key) {
      if (callsLeft.getAndDecrement() <= 0) {
        throw new ObjectStoreException(
            NamiException.Kind.TRANSIENT, "simulated crash at " + op + " " + key);
      }
    }

    @Override
    public void putIfAbsent(String key, byte[] data) {
      call("putIfAbsent", key);
      delegate.putIfAbsent(key, data);
    }

    @Override
    public void put(String key, byte[] data) {
      call("put", key);
      delegate.put(key, data);
    }

    @Override
    public byte[] get(String key) {
      call("get", key);
      return delegate.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
      call("getRange", key);
      return delegate.getRange(key, offset, length);
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
      call("head", key);
      return delegate.head(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
      call("list", prefix);
      return delegate.list(prefix);
    }

    @Override
    public void delete(String key) {
      call("delete", key);
      delegate.delete(key);
    }

    @Override
    public String location() {
      return delegate.location();
    }

    @Override
    public boolean putsAreLocal() {
      return delegate.putsAreLocal();
    }

    @Override
    public void close() {}
  }

  private static final class Run {
    private final long seed;
    private final int steps;
    private final SplittableRandom random;
    private final MemoryObjectStore bucket = new MemoryObjectStore();
    private final FaultInjectingObjectStore faults;
    private final Map<String, Set<Optional<String>>> model = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private NamespaceWriter writer;
    private CrashableStore writerStore;
    private int opened;

    Run(long seed, int steps) {
      this.seed = seed;
      this.steps = steps;
      this.random = new SplittableRandom(seed);
      this.faults =
          new FaultInjectingObjectStore(bucket, new SplittableRandom(seed ^ 0x5eed), d -> {});
      for (int i = 0; i < KEYS; i++) {
        model.put(key(i), new LinkedHashSet<>(List.of(Optional.empty())));
      }
    }

    void go() throws Exception {
      try {
        reopen();
        for (int step = 0; step < steps; step++) {
          step(step);
        }
        faults.clearRules();
        closeWriter();
        reopen();
        checkAll(writer.view(), "end");
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "seed " + seed + " failed; last steps:\n  " + String.join("\n  ", tail()), e);
      } finally {
        closeWriter();
      }
    }

    private void step(int step) throws Exception {
      int dice = random.nextInt(100);
      if (dice < 55) {
        write(step);
      } else if (dice < 63) {
        record("flush");
        quietly(() -> writer.flush(Duration.ofSeconds(2)));
      } else if (dice < 67) {
        record("compact");
        quietly(() -> writer.compact(Duration.ofSeconds(2)));
      } else if (dice < 71) {
        record("gc");
        quietly(writer::collectGarbage);
      } else if (dice < 77) {
        read();
      } else if (dice < 81) {
        long calls = random.nextInt(40);
        record("crash after " + calls + " store calls");
        writerStore.crashAfter(calls);
      } else if (dice < 84) {
        zombie(step);
      } else if (dice < 92) {
        faults();
      } else {
        record("fault-free");
        faults.clearRules();
      }
      if (writer.state() != NamespaceWriter.State.WRITER || writerStore.crashed()) {
        record("restart (state " + writer.state() + ")");
        closeWriter();
        reopen();
      }
    }

    private void write(int step) throws Exception {
      String key = key(random.nextInt(KEYS));
      boolean delete = random.nextInt(8) == 0;
      String value = "s" + step;
      WriteBatch batch =
          delete
              ? WriteBatch.builder().deleteNode(NodeKey.of("Person", key)).build()
              : put(key, value);
      Optional<String> outcome = delete ? Optional.empty() : Optional.of(value);
      record((delete ? "delete " : "put ") + key + (delete ? "" : "=" + value));
      try {
        writer.write(batch).get(60, TimeUnit.SECONDS);
        model.put(key, new LinkedHashSet<>(List.of(outcome)));
      } catch (ExecutionException e) {
        NamiException cause = (NamiException) e.getCause();
        if (cause.kind() == NamiException.Kind.CORRUPT
            || cause.kind() == NamiException.Kind.INVALID_INPUT) {
          throw new AssertionError("write refused as " + cause.kind(), cause);
        }
        model.get(key).add(outcome); // may or may not have landed
      }
    }

    private void read() {
      record("reader");
      try (NamespaceReader reader = NamespaceReader.open(faults, new Pins())) {
        checkAll(reader.view(), "reader");
      } catch (NamiException e) {
        if (e.kind() == NamiException.Kind.CORRUPT) {
          throw e;
        }
        record("reader failed: " + e.getMessage()); // a failed GET or a GC race: not a wrong answer
      }
    }

    private void zombie(int step) throws Exception {
      record("zombie: a second writer opens while the first runs");
      NamespaceWriter old = writer;
      CrashableStore oldStore = writerStore;
      if (!open()) {
        writer = old;
        writerStore = oldStore;
        return;
      }
      String key = key(random.nextInt(KEYS));
      try {
        old.write(put(key, "zombie" + step)).get(60, TimeUnit.SECONDS);
        fail("a fenced writer acknowledged a write");
      } catch (ExecutionException expected) {
        NamiException cause = (NamiException) expected.getCause();
        assertThat(cause.kind()).as("zombie write").isNotEqualTo(NamiException.Kind.CORRUPT);
        model.get(key).add(Optional.of("zombie" + step)); // never acknowledged: must not matter
      } finally {
        old.close();
      }
    }

    private void faults() {
      faults.clearRules();
      String[] prefixes = {"wal/", "manifest/", "sst/", ""};
      String prefix = prefixes[random.nextInt(prefixes.length)];
      double p = 0.02 + random.nextDouble() * 0.2;
      StoreOp op = random.nextBoolean() ? StoreOp.PUT_IF_ABSENT : StoreOp.GET;
      if (random.nextBoolean()) {
        faults.on(op, prefix).loseResponse().probability(p);
        record("faults: lose " + op + " " + prefix + " p=" + p);
      } else {
        faults.on(op, prefix).fail().probability(p);
        record("faults: fail " + op + " " + prefix + " p=" + p);
      }
    }

    private void reopen() {
      for (int attempt = 0; attempt < 50; attempt++) {
        if (open()) {
          checkAll(writer.view(), "reopen");
          return;
        }
        if (attempt == 25) {
          faults.clearRules(); // a store that keeps failing: let it heal
        }
      }
      fail("could not open a writer in 50 attempts");
    }

    private boolean open() {
      CrashableStore store = new CrashableStore(faults);
      WriterConfig config =
          Writes.config(seed * 1000 + opened++)
              .withIds(new IdGenerator(new SplittableRandom(seed * 1000 + opened)))
              .withGroupCommit(Duration.ZERO, 4 << 20)
              .withFlush(1L << 40, Duration.ofDays(1), 3)
              .withRetention(2, Duration.ZERO)
              .withRetries(3, Duration.ofMillis(1));
      try {
        NamespaceWriter w = NamespaceWriter.open(store, config);
        try {
          w.evolveSchema(Writes.json(Writes.SCHEMA));
        } catch (NamiException e) {
          w.close();
          throw e;
        }
        writer = w;
        writerStore = store;
        record("opened epoch " + w.epoch());
        return true;
      } catch (NamiException e) {
        if (e.kind() == NamiException.Kind.CORRUPT) {
          throw e;
        }
        record("open failed: " + e.getMessage());
        return false;
      }
    }

    private void closeWriter() {
      if (writer != null) {
        writer.close();
        writer = null;
      }
    }

    private void checkAll(GraphView view, String where) {
      for (Map.Entry<String, Set<Optional<String>>> e : model.entrySet()) {
        Optional<String> actual =
            view.node(NodeKey.of("Person", e.getKey())).map(n -> (String) n.props().get("name"));
        assertThat(e.getValue()).as("%s: %s reads %s", where, e.getKey(), actual).contains(actual);
        // what was read is now the state: narrow the model to it
        e.setValue(new LinkedHashSet<>(List.of(actual)));
      }
    }

    private void quietly(ThrowingRunnable action) throws Exception {
      try {
        action.run();
      } catch (NamiException e) {
        if (e.kind() == NamiException.Kind.CORRUPT) {
          throw e;
        }
        record("  failed: " + e.getMessage());
      }
    }

    private void record(String what) {
      log.add(what);
    }

    private List<String> tail() {
      return log.subList(Math.max(0, log.size() - 40), log.size());
    }

    private static String key(int i) {
      return "k" + i;
    }

    private static WriteBatch put(String key, String name) {
      return WriteBatch.builder()
          .node(new Node(NodeKey.of("Person", key), Map.of("name", name)))
          .build();
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
