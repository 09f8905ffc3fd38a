package io.namidb.operator.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.namidb.operator.api.LastBackupStatus;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.NamiNamespaceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant gauges on the operator's {@code /q/metrics}, labelled {@code namespace} and {@code
 * name} (the NamiNamespace), taken from the status the reconciler just computed, and the count of
 * failed reconciles; the chart's PrometheusRule alerts on them:
 *
 * <ul>
 *   <li>{@code namidb_tenant_writer_available}: 1 while condition {@code WriterAvailable} is True;
 *   <li>{@code namidb_tenant_suspended}: 1 while the phase is Suspended;
 *   <li>{@code namidb_operator_reconcile_errors_total}: reconciles that failed (counter);
 *   <li>{@code namidb_backup_last_success_timestamp_seconds}: when the last successful backup
 *       finished (absent before the first);
 *   <li>{@code namidb_backup_last_success_duration_seconds} and {@code
 *       namidb_backup_last_success_size_bytes}: how long it ran and what it copied;
 *   <li>{@code namidb_backup_last_failed}: 1 when the newest finished backup failed, else 0;
 *   <li>{@code namidb_backup_stale}: 1 while condition {@code BackupStale} is True, else 0.
 * </ul>
 *
 * A tenant's gauges go when its resource is deleted. One counter outlives them: {@code
 * namidb_operator_deletions_data_retained_total{reason}}, resources that went while their data
 * stays in object storage, by {@link DeletionOutcome.Fate#reason()}: {@code RetainedByPolicy} as
 * asked, {@code HeldByOtherResource} and {@code DataRetained} (a terminating Kubernetes namespace)
 * although the policy deletes (the operator's log names the URI).
 */
final class TenantMetrics {
  private final MeterRegistry registry;
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

  /** The values behind one tenant's gauges (NaN: not known, not exported as a number). */
  private static final class Tenant {
    final List<Meter> meters = new ArrayList<>();
    volatile double lastSuccess = Double.NaN;
    volatile double duration = Double.NaN;
    volatile double bytes = Double.NaN;
    volatile double lastFailed;
    volatile double stale;
    volatile double writerAvailable;
    volatile double suspended;
    Counter reconcileErrors;
  }

  TenantMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A reconcile of {@code cr} failed. */
  void reconcileFailed(NamiNamespace cr) {
    tenants.computeIfAbsent(key(cr), k -> register(cr)).reconcileErrors.increment();
  }

  void update(NamiNamespace cr, NamiNamespaceStatus status) {
    Tenant t = tenants.computeIfAbsent(key(cr), k -> register(cr));
    t.writerAvailable =
        status
                .condition(Constants.CONDITION_WRITER_AVAILABLE)
                .filter(c -> StatusAggregator.TRUE.equals(c.getStatus()))
                .isPresent()
            ? 1
            : 0;
    t.suspended = status.getPhase() == io.namidb.operator.api.Phase.Suspended ? 1 : 0;
    LastBackupStatus success = status.getLastSuccessfulBackup();
    t.lastSuccess = success == null ? Double.NaN : seconds(success.getTime());
    t.duration =
        success == null || success.getStartTime() == null
            ? Double.NaN
            : Duration.between(
                        Instant.parse(success.getStartTime()), Instant.parse(success.getTime()))
                    .toMillis()
                / 1000.0;
    t.bytes = success == null || success.getBytes() == null ? Double.NaN : success.getBytes();
    t.lastFailed =
        status.getLastBackup() != null
                && Boolean.FALSE.equals(status.getLastBackup().getSucceeded())
            ? 1
            : 0;
    t.stale =
        status
                .condition(Constants.CONDITION_BACKUP_STALE)
                .filter(c -> StatusAggregator.TRUE.equals(c.getStatus()))
                .isPresent()
            ? 1
            : 0;
  }

  /** A resource went and its data met {@code fate}: counted when the data stays. */
  void deleted(DeletionOutcome.Fate fate) {
    fate.retainedReason()
        .ifPresent(
            reason ->
                Counter.builder("namidb.operator.deletions.data.retained")
                    .description(
                        "NamiNamespaces deleted whose data stays in object storage, by reason")
                    .tag("reason", reason)
                    .register(registry)
                    .increment());
  }

  void remove(NamiNamespace cr) {
    Tenant t = tenants.remove(key(cr));
    if (t != null) {
      t.meters.forEach(registry::remove);
    }
  }

  private Tenant register(NamiNamespace cr) {
    Tenant t = new Tenant();
    Tags tags =
        Tags.of("namespace", cr.getMetadata().getNamespace(), "name", cr.getMetadata().getName());
    t.meters.add(
        Gauge.builder("namidb.tenant.writer.available", t, x -> x.writerAvailable)
            .description("1 while the tenant's writer pod is ready (condition WriterAvailable)")
            .tags(tags)
            .register(registry));
    t.meters.add(
        Gauge.builder("namidb.tenant.suspended", t, x -> x.suspended)
            .description("1 while the tenant is suspended (spec.writer.suspend)")
            .tags(tags)
            .register(registry));
    t.reconcileErrors =
        Counter.builder("namidb.operator.reconcile.errors")
            .description("Reconciles of the NamiNamespace that failed")
            .tags(tags)
            .register(registry);
    t.meters.add(t.reconcileErrors);
    t.meters.add(
        Gauge.builder("namidb.backup.last.success.timestamp", t, x -> x.lastSuccess)
            .baseUnit("seconds")
            .description("When the last successful backup finished (Unix time)")
            .tags(tags)
            .register(registry));
    t.meters.add(
        Gauge.builder("namidb.backup.last.success.duration", t, x -> x.duration)
            .baseUnit("seconds")
            .description("How long the last successful backup Job ran")
            .tags(tags)
            .register(registry));
    t.meters.add(
        Gauge.builder("namidb.backup.last.success.size", t, x -> x.bytes)
            .baseUnit("bytes")
            .description("How many bytes the last successful backup copied")
            .tags(tags)
            .register(registry));
    t.meters.add(
        Gauge.builder("namidb.backup.last.failed", t, x -> x.lastFailed)
            .description("1 when the newest finished backup failed")
            .tags(tags)
            .register(registry));
    t.meters.add(
        Gauge.builder("namidb.backup.stale", t, x -> x.stale)
            .description("1 while the last success is older than twice the schedule's interval")
            .tags(tags)
            .register(registry));
    return t;
  }

  private static double seconds(String time) {
    return Instant.parse(time).toEpochMilli() / 1000.0;
  }

  private static String key(NamiNamespace cr) {
    return cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
  }
}
