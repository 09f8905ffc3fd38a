package io.namidb.engine.store;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live counters of one {@link ObjectStore}: calls, failed calls and payload bytes per {@link
 * StoreOp}. Counted once per call of the store's API by {@link AbstractObjectStore}, so requests
 * that the S3 SDK retries internally count once, and a LIST that needs several pages counts once.
 * Bytes are those of successful calls (written by puts, returned by gets).
 *
 * <p>Thread-safe. Only stores of this package update the counters; everyone may read them.
 */
public final class StoreStats {
  /** Counters that never move, for stores that do not count (e.g. test wrappers). */
  public static final StoreStats NONE = new StoreStats();

  private static final int OPS = StoreOp.values().length;

  private final AtomicLongArray calls = new AtomicLongArray(OPS);
  private final AtomicLongArray errors = new AtomicLongArray(OPS);
  private final AtomicLongArray bytes = new AtomicLongArray(OPS);

  StoreStats() {}

  void recordCall(StoreOp op) {
    calls.incrementAndGet(op.ordinal());
  }

  void recordError(StoreOp op) {
    errors.incrementAndGet(op.ordinal());
  }

  void recordBytes(StoreOp op, long n) {
    bytes.addAndGet(op.ordinal(), n);
  }

  /** Calls of {@code op}, successful or not. */
  public long calls(StoreOp op) {
    return calls.get(op.ordinal());
  }

  /**
   * Calls of {@code op} that failed with an {@link ObjectStoreException} (not counting the expected
   * outcomes {@link ObjectNotFoundException} and {@link ObjectExistsException}).
   */
  public long errors(StoreOp op) {
    return errors.get(op.ordinal());
  }

  /** Payload bytes moved by successful calls of {@code op}. */
  public long bytes(StoreOp op) {
    return bytes.get(op.ordinal());
  }

  /** GET requests: whole-object and ranged reads. */
  public long gets() {
    return calls(StoreOp.GET) + calls(StoreOp.GET_RANGE);
  }

  /** PUT requests: plain and create-if-absent. */
  public long puts() {
    return calls(StoreOp.PUT) + calls(StoreOp.PUT_IF_ABSENT);
  }

  public long heads() {
    return calls(StoreOp.HEAD);
  }

  public long lists() {
    return calls(StoreOp.LIST);
  }

  public long deletes() {
    return calls(StoreOp.DELETE);
  }

  public long bytesRead() {
    return bytes(StoreOp.GET) + bytes(StoreOp.GET_RANGE);
  }

  public long bytesWritten() {
    return bytes(StoreOp.PUT) + bytes(StoreOp.PUT_IF_ABSENT);
  }

  /** A consistent-enough copy of the counters, e.g. to report the cost of one operation. */
  public Snapshot snapshot() {
    Map<StoreOp, OpCounts> ops = new EnumMap<>(StoreOp.class);
    for (StoreOp op : StoreOp.values()) {
      ops.put(op, new OpCounts(calls(op), errors(op), bytes(op)));
    }
    return new Snapshot(ops);
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }

  /**
   * The counters of one operation.
   *
   * @param calls calls, successful or not
   * @param errors calls that failed with an {@link ObjectStoreException}
   * @param bytes payload bytes of successful calls
   */
  public record OpCounts(long calls, long errors, long bytes) {
    OpCounts minus(OpCounts o) {
      return new OpCounts(calls - o.calls, errors - o.errors, bytes - o.bytes);
    }
  }

  /**
   * Counters frozen at one moment. {@code after.minus(before)} gives what happened in between.
   *
   * @param ops the counters of every operation
   */
  public record Snapshot(Map<StoreOp, OpCounts> ops) {
    public Snapshot {
      ops = Map.copyOf(ops);
    }

    public OpCounts of(StoreOp op) {
      return ops.getOrDefault(op, new OpCounts(0, 0, 0));
    }

    public long gets() {
      return of(StoreOp.GET).calls() + of(StoreOp.GET_RANGE).calls();
    }

    public long puts() {
      return of(StoreOp.PUT).calls() + of(StoreOp.PUT_IF_ABSENT).calls();
    }

    public long bytesRead() {
      return of(StoreOp.GET).bytes() + of(StoreOp.GET_RANGE).bytes();
    }

    public long bytesWritten() {
      return of(StoreOp.PUT).bytes() + of(StoreOp.PUT_IF_ABSENT).bytes();
    }

    /** The difference {@code this - earlier}, operation by operation. */
    public Snapshot minus(Snapshot earlier) {
      Map<StoreOp, OpCounts> diff = new EnumMap<>(StoreOp.class);
      for (StoreOp op : StoreOp.values()) {
        diff.put(op, of(op).minus(earlier.of(op)));
      }
      return new Snapshot(diff);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("store stats.");
      for (StoreOp op : StoreOp.values()) {
        OpCounts c = of(op);
        if (c.calls() != 0 || c.errors() != 0 || c.bytes() != 0) {
          s.append(' ')
              .append(op.name().toLowerCase(java.util.Locale.ROOT))
              .append("=")
              .append(c.calls())
              .append("/")
              .append(c.errors())
              .append("/")
              .append(c.bytes());
        }
      }
      return s.toString();
    }
  }
}
