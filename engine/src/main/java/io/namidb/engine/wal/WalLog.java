package io.namidb.engine.wal;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.namidb.engine.CorruptObjectException;
import io.namidb.engine.DaemonThreads;
import io.namidb.engine.Retries;
import io.namidb.engine.store.ObjectExistsException;
import io.namidb.engine.store.ObjectInfo;
import io.namidb.engine.store.ObjectNotFoundException;
import io.namidb.engine.store.ObjectStore;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The WAL of one namespace: segment objects {@code wal/<id>.wal}, one global sequence of ids, each
 * written once with create-if-absent. Transient store failures are retried with the very same
 * bytes, so a retry after a lost response finds its own segment and counts as written.
 */
public final class WalLog {
  /** The most segment GETs in flight while {@link #replay} reads ahead. */
  public static final int DEFAULT_READ_AHEAD = 16;

  private final ObjectStore store;
  private final RetryPolicy<Object> transientRetry;
  private final int readAhead;
  private volatile ExecutorService readers;

  public WalLog(ObjectStore store, RetryPolicy<Object> transientRetry) {
    this(store, transientRetry, DEFAULT_READ_AHEAD);
  }

  /**
   * @param readAhead segments {@link #replay} fetches concurrently; 1 reads one at a time
   */
  public WalLog(ObjectStore store, RetryPolicy<Object> transientRetry, int readAhead) {
    if (readAhead < 1) {
      throw new IllegalArgumentException("readAhead must be at least 1, got " + readAhead);
    }
    this.store = store;
    this.transientRetry = transientRetry;
    this.readAhead = readAhead;
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

  /**
   * Hands segments {@code from, from+1, ...} to {@code sink} in id order, up to the end of the log,
   * and returns the first free id: the same segments, order and hole rule as calling {@link
   * #readTail} for each id, but a long log is read ahead. Once a segment is found, the ids after it
   * are read speculatively, with up to {@code readAhead} GETs in flight (a writer taking over from
   * one that streamed small writes may find thousands of segments, one GET each); the window starts
   * at two and grows by one with every segment found, so reading the head of a log costs few wasted
   * GETs. The first id found missing goes to {@link #readTail}, which tells the end of the log from
   * a hole and from a segment written meanwhile. No LIST is made while segments keep coming: a LIST
   * of a long log is slow, and a writer still appending would outrun one per round. A sink that
   * throws stops the replay: no later segment reaches it, and the exception propagates.
   *
   * @throws io.namidb.engine.CorruptObjectException if a segment is damaged or there is a hole
   */
  public long replay(long from, Consumer<WalSegment> sink) {
    long id = from;
    while (true) {
      Optional<WalSegment> segment = readTail(id);
      if (segment.isEmpty()) {
        return id;
      }
      sink.accept(segment.get());
      id = readAhead(id + 1, sink);
    }
  }

  /**
   * Reads {@code from, from+1, ...} with a growing window of GETs in flight and hands the segments
   * found to the sink in order; returns the first id not found.
   */
  private long readAhead(long from, Consumer<WalSegment> sink) {
    ExecutorService pool = readers();
    Deque<CompletableFuture<Optional<WalSegment>>> inFlight = new ArrayDeque<>();
    try {
      long next = from;
      long id = from;
      int window = Math.min(2, readAhead);
      while (true) {
        while (inFlight.size() < window) {
          long fetch = next++;
          inFlight.add(CompletableFuture.supplyAsync(() -> read(fetch), pool));
        }
        Optional<WalSegment> segment = join(inFlight.removeFirst());
        if (segment.isEmpty()) {
          return id;
        }
        sink.accept(segment.get());
        id++;
        window = Math.min(readAhead, window + 1);
      }
    } finally {
      inFlight.forEach(f -> f.cancel(true));
    }
  }

  /**
   * The threads that read ahead, made on first use and kept by this log: up to {@code readAhead},
   * each ending after 10 s idle, so a log that is not being replayed holds none (and needs no
   * close).
   */
  private ExecutorService readers() {
    ExecutorService p = readers;
    if (p == null) {
      synchronized (this) {
        if (readers == null) {
          ThreadPoolExecutor pool =
              new ThreadPoolExecutor(
                  readAhead,
                  readAhead,
                  10,
                  TimeUnit.SECONDS,
                  new LinkedBlockingQueue<>(),
                  DaemonThreads.named("namidb-wal-read-ahead"));
          pool.allowCoreThreadTimeOut(true);
          readers = pool;
        }
        p = readers;
      }
    }
    return p;
  }

  private static Optional<WalSegment> join(CompletableFuture<Optional<WalSegment>> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
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
