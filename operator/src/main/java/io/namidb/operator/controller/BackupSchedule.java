package io.namidb.operator.controller;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code spec.backup.schedule} means in time, read as the CronJob controller reads it (UTC,
 * five fields or an {@code @daily}-style macro): the interval between its two latest runs, and from
 * that when backups are stale (the last success older than twice that interval).
 */
final class BackupSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** The macros the CronJob controller accepts, as five fields. */
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private final ExecutionTime executions;

  private BackupSchedule(ExecutionTime executions) {
    this.executions = executions;
  }

  /** The schedule, or empty if it cannot be read (the CRD's rule lets only valid ones in). */
  static Optional<BackupSchedule> parse(String schedule) {
    if (schedule == null || schedule.isBlank()) {
      return Optional.empty();
    }
    String fields = schedule.strip().toLowerCase(Locale.ROOT);
    fields = MACROS.getOrDefault(fields, fields).replace('?', '*').toUpperCase(Locale.ROOT);
    try {
      Cron cron = PARSER.parse(fields);
      return Optional.of(new BackupSchedule(ExecutionTime.forCron(cron.validate())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The time between the two latest runs at or before {@code now}. */
  Optional<Duration> interval(Instant now) {
    ZonedDateTime at = now.atZone(ZoneOffset.UTC);
    Optional<ZonedDateTime> last = executions.lastExecution(at.plusSeconds(1));
    Optional<ZonedDateTime> before = last.flatMap(executions::lastExecution);
    if (last.isEmpty() || before.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(before.get(), last.get()));
  }

  /**
   * When backups become stale: {@code since} (the last success, or when the schedule began) plus
   * twice the interval.
   */
  Optional<Instant> staleAt(Instant since, Instant now) {
    return interval(now).map(interval -> since.plus(interval.multipliedBy(2)));
  }
}
