package io.namidb.engine.wal;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.Retries;
import io.namidb.engine.store.ObjectExistsException;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectNotFoundException;
import io.namidb.engine.store.ObjectStore;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The WAL of one namespace: segment objects {@code wal/<id>.wal}, one global sequence of ids, each
 * written once with create-if-absent. Transient store failures are retried with the very same
 * bytes, so a retry after a lost response finds its own segment and counts as written.
 */
public final class WalLog {
  private final ObjectStore store;
  private final RetryPolicy<Object> transientRetry;

  public WalLog(ObjectStore store, RetryPolicy<Object> transientRetry) {
    this.store = store;
    this.transientRetry = transientRetry;
  }

  /** Outcome of {@link #put}: written by us, or taken by another writer's segment. */
  public record PutOutcome(boolean written, WalSegment existing) {
    static final PutOutcome WRITTEN = new PutOutcome(true, null);
  }

  /**
   * Reads and verifies segment {@code id}.
   *
   * @return empty if there is no such segment
   * @throws io.namidb.engine.CorruptObjectException if it exists but fails verification
   */
  public Optional<WalSegment> read(long id) {
    String key = WalSegment.key(id);
    byte[] data;
    try {
      data = retry(() -> store.get(key));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    return Optional.of(WalSegment.decode(store.location() + "/" + key, data));
  }

  /**
   * Reads segment {@code id} where the log may end: empty means the end of the log. A missing
   * segment with a later one above it is a hole, not the end (a lifecycle rule, a manual delete or
   * a bad copy took it): replaying past it, or fencing into it, would silently drop acknowledged
   * writes, so it is refused. The missing id is read once more after the listing, because a writer
   * racing with us may have written it (and more) in between.
   *
   * @throws io.namidb.engine.CorruptObjectException naming the missing id if there is a hole
   */
  public Optional<WalSegment> readTail(long id) {
    Optional<WalSegment> segment = read(id);
    if (segment.isPresent()) {
      return segment;
    }
    OptionalLong above = lowestSegmentAbove(id);
    if (above.isEmpty()) {
      return Optional.empty();
    }
    segment = read(id);
    if (segment.isPresent()) {
      return segment;
    }
    throw new CorruptObjectException(
        "wal segment missing below a later one (a hole in the log): refusing to read past it."
            + " Put the segment back or restore from a backup. location="
            + store.location()
            + " missing="
            + WalSegment.key(id)
            + " next="
            + WalSegment.key(above.getAsLong()));
  }

  /** The lowest segment id above {@code id} that exists, if any (one LIST). */
  public OptionalLong lowestSegmentAbove(long id) {
    List<ObjectInfo> objects = retry(() -> store.list("wal/"));
    long lowest = Long.MAX_VALUE;
    for (ObjectInfo info : objects) {
      long other = WalSegment.idOf(info.key());
      if (other > id && other < lowest) {
        lowest = other;
      }
    }
    return lowest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(lowest);
  }

  /**
   * Creates segment {@code id} with {@code bytes} unless it exists. If it exists and holds exactly
   * these bytes (an earlier attempt of ours whose response was lost), that counts as written.
   */
  public PutOutcome put(long id, byte[] bytes) {
    String key = WalSegment.key(id);
    return retry(
        () -> {
          try {
            store.putIfAbsent(key, bytes);
            return PutOutcome.WRITTEN;
          } catch (ObjectExistsException e) {
            byte[] stored = store.get(key);
            if (Arrays.equals(stored, bytes)) {
              return PutOutcome.WRITTEN;
            }
            return new PutOutcome(false, WalSegment.decode(store.location() + "/" + key, stored));
          }
        });
  }

  /** Deletes segment {@code id} (GC of segments folded into SSTs). */
  public void delete(long id) {
    store.delete(WalSegment.key(id));
  }

  private <T> T retry(dev.failsafe.function.CheckedSupplier<T> action) {
    try {
      return Failsafe.with(transientRetry).get(action);
    } catch (FailsafeException e) {
      throw Retries.unwrap(e);
    }
  }
}
