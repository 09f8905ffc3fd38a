package io.namidb.writer;

import io.namidb.writer.Http.Reply;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client threads ({@code it-stream-N}) that write one new Person node per request to a writer, each
 * with a key of its own, and remember which writes were acknowledged (200). A thread stops when
 * told, when the writer is unreachable, when it answers 503 {@code fenced}, or after a bounded
 * number of requests.
 */
final class WriteStream implements AutoCloseable {
  private static final int MAX_REQUESTS_PER_THREAD = 50_000;

  private final Http http;
  private final String prefix;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final AtomicInteger acks = new AtomicInteger();
  private final Queue<String> cut = new ConcurrentLinkedQueue<>();

  WriteStream(Http http, String prefix, int threadCount) {
    this.http = http;
    this.prefix = prefix;
    for (int t = 0; t < threadCount; t++) {
      int id = t;
      Thread thread = new Thread(() -> run(id), "it-stream-" + prefix + "-" + t);
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  WriteStream start() {
    threads.forEach(Thread::start);
    return this;
  }

  private void run(int thread) {
    for (int i = 0; i < MAX_REQUESTS_PER_THREAD && !stop.get(); i++) {
      String key = prefix + "-" + thread + "-" + i;
      Reply r;
      try {
        r = http.post("/v1/write", TestGraph.nodes(TestGraph.person(key, "{\"age\":" + i + "}")));
      } catch (UncheckedIOException e) {
        // refused: the server no longer listens; cut: a connection closed under a request
        boolean refused = e.getCause() instanceof java.net.ConnectException;
        count(refused ? "unreachable" : "cut");
        if (!refused) {
          cut.add(key);
        }
        return;
      }
      if (r.status() == 200) {
        acknowledged.add(key);
        acks.incrementAndGet();
        count("200");
        continue;
      }
      String outcome = r.status() + (r.error() == null ? "" : " " + r.error());
      count(outcome);
      if ("fenced".equals(r.error())) {
        return;
      }
    }
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
  }

  int acknowledgedCount() {
    return acks.get();
  }

  List<String> acknowledged() {
    return List.copyOf(acknowledged);
  }

  /** Keys whose request was cut off (sent, connection closed before an answer). */
  List<String> cut() {
    return List.copyOf(cut);
  }

  /** Outcome → how often: {@code 200}, {@code 503 fenced}, {@code unreachable}, ... */
  Map<String, Integer> outcomes() {
    Map<String, Integer> m = new java.util.TreeMap<>();
    outcomes.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** Waits (bounded) for every thread to end by itself. */
  boolean awaitEnd(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
  }
}
