package io.namidb.engine.store;

import io.namidb.engine.NamiException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Wraps a store and injects faults, deterministically for a given seed, for chosen operations and
 * key prefixes. Fencing, recovery and backup are tested through it.
 *
 * <pre>{@code
 * var faults = new FaultInjectingObjectStore(new MemoryObjectStore(), new Random(42));
 * faults.on(StoreOp.PUT_IF_ABSENT, "wal/").loseResponse().times(1);  // write lands, caller sees an error
 * faults.on(StoreOp.GET).fail().probability(0.1);                     // 10% of GETs fail, seeded
 * faults.on(StoreOp.PUT, "sst/").delay(Duration.ofSeconds(2));        // via the injected sleeper
 * faults.ignoreIfNoneMatch(true);                                     // a store that breaks fencing
 * }</pre>
 *
 * <p>Faults:
 *
 * <ul>
 *   <li>{@link RuleBuilder#fail() fail}: the call throws a {@code TRANSIENT} {@link
 *       ObjectStoreException} before reaching the delegate; nothing happens.
 *   <li>{@link RuleBuilder#loseResponse() loseResponse}: the call reaches the delegate (the write
 *       lands), then throws a {@code TRANSIENT} {@link ObjectStoreException}, as when the network
 *       drops the response. A create that the delegate refuses still throws {@link
 *       ObjectExistsException}.
 *   <li>{@link RuleBuilder#corrupt() corrupt}: the call succeeds, but one bit of the object is
 *       flipped: a put stores the damaged bytes, a get returns them (the stored object stays
 *       intact). Only for puts and gets; an empty object stays empty.
 *   <li>{@link RuleBuilder#delay delay}: the {@link Sleeper} is called before the call proceeds.
 * </ul>
 *
 * A rule matches a call when the operation is the same and the key (for {@link StoreOp#LIST}, the
 * listing prefix) starts with the rule's prefix. Rules are checked in the order they were added;
 * every matching delay applies, and at most one fail, loseResponse or corrupt fires per call.
 * Without {@link Rule#times} a rule fires on every match; {@link Rule#probability} draws from the
 * injected random generator under a lock, so a single-threaded run with one seed is reproducible.
 *
 * <p>Calls, errors and bytes at this wrapper are in {@link #stats()} (injected failures count as
 * errors); {@link #injected} counts the faults fired.
 */
public final class FaultInjectingObjectStore extends AbstractObjectStore {

  /** Waits for an injected delay. Fast tests record; tests that need real time sleep. */
  @FunctionalInterface
  public interface Sleeper {
    /** Sleeps for real. */
    Sleeper REAL = d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));

    void sleep(Duration duration) throws InterruptedException;
  }

  private enum Action {
    FAIL,
    LOSE_RESPONSE,
    CORRUPT,
    DELAY
  }

  private final ObjectStore delegate;
  private final RandomGenerator random;
  private final Sleeper sleeper;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicLongArray injected = new AtomicLongArray(StoreOp.values().length);
  private final AtomicLong delayedNanos = new AtomicLong();
  private volatile boolean ignoreIfNoneMatch;

  /** Wraps {@code delegate}; delays are recorded ({@link #totalDelay()}) but not slept. */
  public FaultInjectingObjectStore(ObjectStore delegate, RandomGenerator random) {
    this(delegate, random, d -> {});
  }

  /** Wraps {@code delegate}; delays go to {@code sleeper}. */
  public FaultInjectingObjectStore(ObjectStore delegate, RandomGenerator random, Sleeper sleeper) {
    this.delegate = Objects.requireNonNull(delegate);
    this.random = Objects.requireNonNull(random);
    this.sleeper = Objects.requireNonNull(sleeper);
  }

  /** Starts a rule for {@code op} on every key. */
  public RuleBuilder on(StoreOp op) {
    return on(op, "");
  }

  /** Starts a rule for {@code op} on keys starting with {@code keyPrefix}. */
  public RuleBuilder on(StoreOp op, String keyPrefix) {
    return new RuleBuilder(Objects.requireNonNull(op), Objects.requireNonNull(keyPrefix));
  }

  /**
   * With {@code true}, create-if-absent behaves like a plain put: it replaces an existing object
   * and never throws {@link ObjectExistsException}, like S3-compatible stores that accept and
   * ignore {@code If-None-Match}. For testing the writer's conformance probe.
   */
  public void ignoreIfNoneMatch(boolean ignore) {
    this.ignoreIfNoneMatch = ignore;
  }

  /** Removes every rule (counters stay). */
  public void clearRules() {
    rules.clear();
  }

  /** Faults (fail, loseResponse and delay) fired for {@code op} so far. */
  public long injected(StoreOp op) {
    return injected.get(op.ordinal());
  }

  /** The sum of all injected delays so far. */
  public Duration totalDelay() {
    return Duration.ofNanos(delayedNanos.get());
  }

  /** The wrapped store. */
  public ObjectStore delegate() {
    return delegate;
  }

  @Override
  protected void doPutIfAbsent(String key, byte[] data) {
    Action after = before(StoreOp.PUT_IF_ABSENT, key);
    byte[] stored = after == Action.CORRUPT ? corrupted(data) : data;
    if (ignoreIfNoneMatch) {
      delegate.put(key, stored);
    } else {
      delegate.putIfAbsent(key, stored);
    }
    after(after, StoreOp.PUT_IF_ABSENT, key);
  }

  @Override
  protected void doPut(String key, byte[] data) {
    Action after = before(StoreOp.PUT, key);
    delegate.put(key, after == Action.CORRUPT ? corrupted(data) : data);
    after(after, StoreOp.PUT, key);
  }

  @Override
  protected byte[] doGet(String key) {
    Action after = before(StoreOp.GET, key);
    byte[] data = delegate.get(key);
    after(after, StoreOp.GET, key);
    return after == Action.CORRUPT ? corrupted(data) : data;
  }

  @Override
  protected byte[] doGetRange(String key, long offset, int length) {
    Action after = before(StoreOp.GET_RANGE, key);
    byte[] data = delegate.getRange(key, offset, length);
    after(after, StoreOp.GET_RANGE, key);
    return after == Action.CORRUPT ? corrupted(data) : data;
  }

  @Override
  protected Optional<ObjectInfo> doHead(String key) {
    Action after = before(StoreOp.HEAD, key);
    Optional<ObjectInfo> info = delegate.head(key);
    after(after, StoreOp.HEAD, key);
    return info;
  }

  @Override
  protected List<ObjectInfo> doList(String prefix) {
    Action after = before(StoreOp.LIST, prefix);
    List<ObjectInfo> list = delegate.list(prefix);
    after(after, StoreOp.LIST, prefix);
    return list;
  }

  @Override
  protected void doDelete(String key) {
    Action after = before(StoreOp.DELETE, key);
    delegate.delete(key);
    after(after, StoreOp.DELETE, key);
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
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultInjectingObjectStore[" + delegate + "]";
  }

  /** A copy of {@code data} with one bit of its middle byte flipped (empty stays empty). */
  private static byte[] corrupted(byte[] data) {
    byte[] copy = data.clone();
    if (copy.length > 0) {
      copy[copy.length / 2] ^= 0x01;
    }
    return copy;
  }

  /**
   * Decides the faults of one call: sleeps the delays, throws a pre-call failure, or returns {@link
   * Action#LOSE_RESPONSE} for {@link #after} or {@link Action#CORRUPT} for the call (null for
   * none).
   */
  private Action before(StoreOp op, String key) {
    List<Duration> delays = new ArrayList<>();
    Rule failing = null;
    synchronized (this) {
      for (Rule rule : rules) {
        if (rule.op != op || !key.startsWith(rule.keyPrefix)) {
          continue;
        }
        if (rule.action != Action.DELAY && failing != null) {
          continue; // one failure per call; later failure rules are not even consulted
        }
        if (rule.fires()) {
          injected.incrementAndGet(op.ordinal());
          if (rule.action == Action.DELAY) {
            delays.add(rule.delay);
          } else {
            failing = rule;
          }
        }
      }
    }
    for (Duration d : delays) {
      delayedNanos.addAndGet(d.toNanos());
      try {
        sleeper.sleep(d);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ObjectStoreException(
            Kind.TRANSIENT, "interrupted in injected delay. op=" + op + " key=" + key, e);
      }
    }
    if (failing == null) {
      return null;
    }
    if (failing.action == Action.FAIL) {
      RuntimeException custom = failing.failure == null ? null : failing.failure.get();
      throw custom != null
          ? custom
          : new ObjectStoreException(
              Kind.TRANSIENT,
              "injected fault: request failed. op="
                  + op
                  + " location="
                  + location()
                  + " key="
                  + key);
    }
    return failing.action;
  }

  private void after(Action action, StoreOp op, String key) {
    if (action == Action.LOSE_RESPONSE) {
      throw new ObjectStoreException(
          Kind.TRANSIENT,
          "injected fault: response lost after the request took effect. op="
              + op
              + " location="
              + location()
              + " key="
              + key);
    }
  }

  /** Chooses what a new rule does. The rule is active as soon as one of these returns. */
  public final class RuleBuilder {
    private final StoreOp op;
    private final String keyPrefix;

    private RuleBuilder(StoreOp op, String keyPrefix) {
      this.op = op;
      this.keyPrefix = keyPrefix;
    }

    /** Fail before the call with a {@code TRANSIENT} {@link ObjectStoreException}. */
    public Rule fail() {
      return add(new Rule(op, keyPrefix, Action.FAIL, null, null));
    }

    /** Fail before the call with the exception {@code failure} supplies. */
    public Rule fail(Supplier<? extends RuntimeException> failure) {
      return add(new Rule(op, keyPrefix, Action.FAIL, null, Objects.requireNonNull(failure)));
    }

    /** Perform the call, then throw a {@code TRANSIENT} {@link ObjectStoreException}. */
    public Rule loseResponse() {
      return add(new Rule(op, keyPrefix, Action.LOSE_RESPONSE, null, null));
    }

    /**
     * Perform the call with one bit of the object flipped: a put stores damaged bytes, a get
     * returns them. Silent, like a disk or a network that damages data; only for {@code PUT},
     * {@code PUT_IF_ABSENT}, {@code GET} and {@code GET_RANGE}.
     */
    public Rule corrupt() {
      if (op != StoreOp.PUT
          && op != StoreOp.PUT_IF_ABSENT
          && op != StoreOp.GET
          && op != StoreOp.GET_RANGE) {
        throw new IllegalArgumentException("corrupt applies to puts and gets only. op=" + op);
      }
      return add(new Rule(op, keyPrefix, Action.CORRUPT, null, null));
    }

    /** Wait {@code delay} (through the sleeper) before the call. */
    public Rule delay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must be >= 0. delay=" + delay);
      }
      return add(new Rule(op, keyPrefix, Action.DELAY, delay, null));
    }

    private Rule add(Rule rule) {
      rules.add(rule);
      return rule;
    }
  }

  /** One active rule; its limits can be set fluently right after it is created. */
  public final class Rule {
    private final StoreOp op;
    private final String keyPrefix;
    private final Action action;
    private final Duration delay;
    private final Supplier<? extends RuntimeException> failure;
    // guarded by the enclosing store
    private long remaining = Long.MAX_VALUE;
    private long skip;
    private double probability = 1.0;
    private long fired;

    private Rule(
        StoreOp op,
        String keyPrefix,
        Action action,
        Duration delay,
        Supplier<? extends RuntimeException> failure) {
      this.op = op;
      this.keyPrefix = keyPrefix;
      this.action = action;
      this.delay = delay;
      this.failure = failure;
    }

    /** Fire at most {@code n} times, then stay inactive. */
    public Rule times(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("times must be >= 0. times=" + n);
      }
      synchronized (FaultInjectingObjectStore.this) {
        remaining = n;
      }
      return this;
    }

    /** Let the first {@code n} matching calls through untouched. */
    public Rule afterMatches(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("afterMatches must be >= 0. n=" + n);
      }
      synchronized (FaultInjectingObjectStore.this) {
        skip = n;
      }
      return this;
    }

    /** Fire on each eligible match with probability {@code p}, drawn from the seeded generator. */
    public Rule probability(double p) {
      if (!(p >= 0.0 && p <= 1.0)) {
        throw new IllegalArgumentException("probability must be in [0, 1]. probability=" + p);
      }
      synchronized (FaultInjectingObjectStore.this) {
        probability = p;
      }
      return this;
    }

    /** How often this rule has fired. */
    public long fired() {
      synchronized (FaultInjectingObjectStore.this) {
        return fired;
      }
    }

    /** Deactivates this rule. */
    public void remove() {
      rules.remove(this);
    }

    /** Called under the store's lock for a matching call. */
    private boolean fires() {
      if (skip > 0) {
        skip--;
        return false;
      }
      if (remaining == 0) {
        return false;
      }
      if (probability < 1.0 && !(random.nextDouble() < probability)) {
        return false;
      }
      if (remaining != Long.MAX_VALUE) {
        remaining--;
      }
      fired++;
      return true;
    }
  }
}
