package io.namidb.writer.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.engine.store.StoreOp;
import io.namidb.writer.service.WriterService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The writer's Prometheus meters ({@code /q/metrics}). Counters of the engine ({@link
 * NamespaceWriter.Stats}) and of the object store ({@link io.namidb.engine.store.StoreStats}) are
 * read when scraped; the write latency and the group-commit sizes are recorded here.
 *
 * <ul>
 *   <li>{@code nami_write_seconds{outcome}}: HTTP write latency, receipt to durable (histogram);
 *   <li>{@code nami_group_commit_batches}: batches per WAL segment (histogram);
 *   <li>{@code nami_wal_segments_written_total}, {@code nami_wal_bytes_written_total}, {@code
 *       nami_manifests_written_total}, {@code nami_batches_committed_total}, {@code
 *       nami_batches_rejected_total}, {@code nami_ssts_written_total}, {@code
 *       nami_objects_deleted_total};
 *   <li>{@code nami_store_requests_total{op}}, {@code nami_store_errors_total{op}}, {@code
 *       nami_store_bytes_total{op}}: object-store calls by operation (get, get_range, put,
 *       put_if_absent, head, list, delete);
 *   <li>{@code nami_writer_epoch}, {@code nami_manifest_version}, {@code nami_wal_segment}, {@code
 *       nami_writer_fenced}, {@code nami_writer_ready}, {@code nami_writer_state{state}};
 *   <li>{@code nami_flush_seconds}, {@code nami_compaction_seconds}, {@code nami_wal_put_seconds}
 *       and {@code nami_group_commit_wait_seconds}: count and total time.
 * </ul>
 */
@ApplicationScoped
public class WriterMetrics {
  private static final Duration[] WRITE_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  @Inject MeterRegistry registry;

  private final ConcurrentHashMap<String, Timer> writeTimers = new ConcurrentHashMap<>();
  private volatile DistributionSummary groupSizes;

  /** Registers the meters that read {@code service}; called once it starts. */
  public void bind(WriterService service) {
    groupSizes =
        DistributionSummary.builder("nami.group.commit.batches")
            .description("Write batches per WAL segment (group commit)")
            .baseUnit("batches")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)
            .register(registry);
    engineCounter(service, "nami.wal.segments.written", "WAL segment PUTs", s -> s.segmentsWritten);
    engineCounter(service, "nami.wal.bytes.written", "WAL bytes written", s -> s.walBytesWritten);
    engineCounter(service, "nami.manifests.written", "Manifest PUTs", s -> s.manifestsWritten);
    engineCounter(
        service, "nami.batches.committed", "Batches made durable", s -> s.batchesCommitted);
    engineCounter(
        service, "nami.batches.rejected", "Batches refused by the writer", s -> s.batchesRejected);
    engineCounter(service, "nami.ssts.written", "SST objects written", s -> s.sstsWritten);
    engineCounter(service, "nami.objects.deleted", "Objects deleted by GC", s -> s.objectsDeleted);
    engineCounter(
        service,
        "nami.vector.indexes.built",
        "Vector indexes built beside node SSTs (in the background, after the commit)",
        s -> s.vectorIndexesBuilt);
    engineCounter(
        service,
        "nami.writes.throttled",
        "Writes refused because the memtables are full (flushes failing or behind)",
        s -> s.writesThrottled);
    engineTimer(
        service,
        "nami.wal.put",
        "WAL segment PUTs of group commits, until the store confirmed them",
        s -> s.walPuts,
        s -> s.walPutNanos);
    engineTimer(
        service,
        "nami.group.commit.wait",
        "Time a group waited after its first batch for more (adaptive wait or fixed window)",
        s -> s.groupsFormed,
        s -> s.groupWaitNanos);
    engineTimer(service, "nami.flush", "Memtable flushes", s -> s.flushes, s -> s.flushNanos);
    engineTimer(
        service, "nami.compaction", "SST compactions", s -> s.compactions, s -> s.compactionNanos);
    for (StoreOp op : StoreOp.values()) {
      String tag = op.name().toLowerCase(Locale.ROOT);
      FunctionCounter.builder("nami.store.requests", service, s -> s.storeStats().calls(op))
          .description("Object-store calls")
          .tag("op", tag)
          .register(registry);
      FunctionCounter.builder("nami.store.errors", service, s -> s.storeStats().errors(op))
          .description("Object-store calls that failed")
          .tag("op", tag)
          .register(registry);
      FunctionCounter.builder("nami.store.bytes", service, s -> s.storeStats().bytes(op))
          .description("Object-store payload bytes")
          .baseUnit("bytes")
          .tag("op", tag)
          .register(registry);
    }
    writerGauge(service, "nami.writer.epoch", "Writer epoch held", NamespaceWriter::epoch);
    writerGauge(
        service,
        "nami.manifest.version",
        "Current manifest version",
        NamespaceWriter::manifestVersion);
    writerGauge(
        service, "nami.wal.segment", "Newest WAL segment written", NamespaceWriter::walSegment);
    writerGauge(
        service,
        "nami.memtable.bytes",
        "Approximate heap of the active and frozen memtables",
        NamespaceWriter::memtableBytes);
    Gauge.builder("nami.writer.fenced", service, s -> s.state() == State.FENCED ? 1 : 0)
        .description("1 when another writer took the namespace")
        .register(registry);
    Gauge.builder("nami.writer.ready", service, s -> s.state() == State.WRITER ? 1 : 0)
        .description("1 while this process holds the namespace")
        .register(registry);
    for (State state : State.values()) {
      Gauge.builder("nami.writer.state", service, s -> s.state() == state ? 1 : 0)
          .description("1 for the writer's current state")
          .tag("state", state.name())
          .register(registry);
    }
  }

  private void engineCounter(
      WriterService service,
      String name,
      String description,
      Function<NamespaceWriter.Stats, AtomicLong> counter) {
    FunctionCounter.builder(name, service, s -> read(s, counter))
        .description(description)
        .register(registry);
  }

  private void engineTimer(
      WriterService service,
      String name,
      String description,
      Function<NamespaceWriter.Stats, AtomicLong> count,
      Function<NamespaceWriter.Stats, AtomicLong> nanos) {
    ToLongFunction<WriterService> c = s -> (long) read(s, count);
    ToDoubleFunction<WriterService> t = s -> read(s, nanos);
    FunctionTimer.builder(name, service, c, t, TimeUnit.NANOSECONDS)
        .description(description)
        .register(registry);
  }

  private void writerGauge(
      WriterService service,
      String name,
      String description,
      ToDoubleFunction<NamespaceWriter> value) {
    Gauge.builder(
            name,
            service,
            s -> {
              NamespaceWriter w = s.writerOrNull();
              return w == null ? 0 : value.applyAsDouble(w);
            })
        .description(description)
        .register(registry);
  }

  private static double read(
      WriterService service, Function<NamespaceWriter.Stats, AtomicLong> counter) {
    NamespaceWriter w = service.writerOrNull();
    return w == null ? 0 : counter.apply(w.stats()).get();
  }

  /** Records one HTTP write, from receipt to its answer. */
  public void recordWrite(long startNanos, String outcome) {
    writeTimers
        .computeIfAbsent(
            outcome,
            o ->
                Timer.builder("nami.write")
                    .description("HTTP write latency, receipt to answer (durable for outcome=ok)")
                    .tag("outcome", o)
                    .serviceLevelObjectives(WRITE_BUCKETS)
                    .register(registry))
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** Records one group commit: the number of batches its WAL segment holds. */
  public void groupCommitted(int batches) {
    DistributionSummary sizes = groupSizes;
    if (sizes != null) {
      sizes.record(batches);
    }
  }
}
