package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {
  static final Instant TUESDAY_10 = Instant.parse("2026-12-01T10:00:00Z");

  private static Duration interval(String schedule, Instant now) {
    return BackupSchedule.parse(schedule).orElseThrow().interval(now).orElseThrow();
  }

  @Test
  void readsFieldsAndMacrosAsTheCronJobControllerDoes() {
    assertThat(interval("0 */6 * * *", TUESDAY_10)).isEqualTo(Duration.ofHours(6));
    assertThat(interval("*/5 * * * *", TUESDAY_10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(interval("@daily", TUESDAY_10)).isEqualTo(Duration.ofDays(1));
    assertThat(interval("@HOURLY", TUESDAY_10)).isEqualTo(Duration.ofHours(1));
    assertThat(interval("@weekly", TUESDAY_10)).isEqualTo(Duration.ofDays(7));
    assertThat(interval("30 2 ? * sun", TUESDAY_10)).isEqualTo(Duration.ofDays(7));
    // on 1 December the two latest runs are 1 January and 1 July
    assertThat(interval("0 0 1 jan,jul *", TUESDAY_10)).isEqualTo(Duration.ofDays(181));
  }

  @Test
  void theIntervalIsTheGapBetweenTheTwoLatestRuns() {
    // weekdays at 09:00: on Monday the gap reaches back to Friday, on Tuesday to Monday
    Instant monday10 = Instant.parse("2026-11-30T10:00:00Z");
    assertThat(interval("0 9 * * mon-fri", monday10)).isEqualTo(Duration.ofDays(3));
    assertThat(interval("0 9 * * mon-fri", TUESDAY_10)).isEqualTo(Duration.ofDays(1));
    // a run due exactly now counts as the latest
    assertThat(interval("0 10 * * *", TUESDAY_10)).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void staleAtIsTheLastSuccessPlusTwoIntervals() {
    Instant success = Instant.parse("2026-12-01T06:00:41Z");
    assertThat(BackupSchedule.parse("0 */6 * * *").orElseThrow().staleAt(success, TUESDAY_10))
        .contains(Instant.parse("2026-12-01T18:00:41Z"));
  }

  @Test
  void anUnreadableScheduleIsEmpty() {
    assertThat(BackupSchedule.parse("every day")).isEmpty();
    assertThat(BackupSchedule.parse("")).isEmpty();
    assertThat(BackupSchedule.parse(null)).isEmpty();
  }
}
