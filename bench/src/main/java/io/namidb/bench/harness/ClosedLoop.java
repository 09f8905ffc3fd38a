package io.namidb.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop clients: each runs one operation, waits for it to finish, then starts the next, for a
 * fixed time. Reports operations per second and latency percentiles.
 */
public final class ClosedLoop {
  private ClosedLoop() {}

  /** One request; {@code id} is unique across all clients of a run. */
  @FunctionalInterface
  public interface Operation {
    void run(long id) throws Exception;
  }

  /**
   * What a run did.
   *
   * @param opsPerSecond operations per second over the run
   * @param latencyNanos every operation's latency, sorted
   */
  public record Result(double opsPerSecond, long[] latencyNanos) {
    /** The {@code p} quantile (0..1) of the latencies in milliseconds, nearest rank. */
    public double percentileMillis(double p) {
      if (latencyNanos.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(p * latencyNanos.length) - 1;
      return latencyNanos[Math.max(0, Math.min(latencyNanos.length - 1, rank))] / 1e6;
    }

    /** Number of operations. */
    public int count() {
      return latencyNanos.length;
    }
  }

  /**
   * Runs {@code clients} threads named {@code name-N} for {@code seconds}; ids start at {@code
   * firstId}.
   */
  public static Result run(
      String name, int clients, double seconds, long firstId, Operation operation)
      throws InterruptedException {
    AtomicLong ids = new AtomicLong(firstId);
    AtomicReference<Exception> failure = new AtomicReference<>();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    List<long[]> perClient = new ArrayList<>();
    int[] counts = new int[clients];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long[] mine = new long[1 << 16];
      perClient.add(mine);
      int client = c;
      threads.add(
          new Thread(
              () -> {
                long[] l = mine;
                int n = 0;
                try {
                  while (System.nanoTime() < deadline && failure.get() == null) {
                    long start = System.nanoTime();
                    operation.run(ids.getAndIncrement());
                    if (n == l.length) {
                      l = Arrays.copyOf(l, l.length * 2);
                      perClient.set(client, l);
                    }
                    l[n++] = System.nanoTime() - start;
                  }
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                } finally {
                  counts[client] = n;
                }
              },
              name + "-" + c));
    }
    long begin = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - begin) / 1e9;
    if (failure.get() != null) {
      throw new IllegalStateException("a " + name + " client failed", failure.get());
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(perClient.get(c), 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    return new Result(total / elapsed, all);
  }
}
