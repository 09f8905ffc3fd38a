package io.namidb.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that write continuously through a tenant's Service, as applications do: each sends small
 * batches of {@code Item} nodes with keys of its own, retries a batch that got no answer (an
 * upsert, so retrying is safe) until it is acknowledged, and records which keys were acknowledged.
 * Bounded: they stop when told, or after {@code maxRun} at the latest.
 */
final class WriteClients implements AutoCloseable {
  static final String SCHEMA =
      """
      {"labels": {"Item": {"key": "STRING", "properties": {"client": "INT64", "seq": "INT64", "pad": "STRING"}}}}
      """;

  private final String url;
  private final String token;
  private final String prefix;
  private final Random random;
  private final int clients;
  private final Duration maxRun;
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final long deadlineNanos;

  WriteClients(String url, String token, String prefix, long seed, int clients, Duration maxRun) {
    this.url = url;
    this.token = token;
    this.prefix = prefix;
    this.random = new Random(seed);
    this.clients = clients;
    this.maxRun = maxRun;
    this.deadlineNanos = System.nanoTime() + maxRun.toNanos();
  }

  void start() {
    for (int c = 0; c < clients; c++) {
      int client = c;
      long seed = random.nextLong();
      Thread t = new Thread(() -> run(client, new Random(seed)), "e2e-writer-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void run(int client, Random r) {
    WriterApi api = new WriterApi(url, Duration.ofSeconds(2), token);
    long seq = 0;
    while (!stopped()) {
      int size = 1 + r.nextInt(5);
      List<String> keys = new ArrayList<>();
      StringBuilder body = new StringBuilder("{\"nodes\":[");
      for (int i = 0; i < size; i++) {
        String key = prefix + "-c" + client + "-" + seq++;
        keys.add(key);
        if (i > 0) {
          body.append(',');
        }
        body.append("{\"label\":\"Item\",\"key\":\"")
            .append(key)
            .append("\",\"props\":{\"client\":")
            .append(client)
            .append(",\"seq\":")
            .append(seq)
            .append(",\"pad\":\"")
            .append("x".repeat(200 + r.nextInt(800)))
            .append("\"}}");
      }
      body.append("]}");
      // The same batch until it is acknowledged (or the run ends with its outcome unknown).
      while (!stopped()) {
        attempts.incrementAndGet();
        try {
          if (api.post("/v1/write", body.toString()).code() == 200) {
            acked.addAll(keys);
            break;
          }
        } catch (java.io.IOException e) {
          // no answer: timeout, refused while no endpoint is ready, reset
        } catch (InterruptedException e) {
          return;
        }
        failures.incrementAndGet();
        sleep(100 + r.nextInt(200));
      }
      sleep(r.nextInt(10));
    }
  }

  private boolean stopped() {
    return stop.get() || System.nanoTime() > deadlineNanos;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  int ackedCount() {
    return acked.size();
  }

  Set<String> acked() {
    return Set.copyOf(acked);
  }

  long attempts() {
    return attempts.get();
  }

  long failures() {
    return failures.get();
  }

  Duration maxRun() {
    return maxRun;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
  }
}
