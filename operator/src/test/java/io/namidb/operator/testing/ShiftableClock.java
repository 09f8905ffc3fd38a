package io.namidb.operator.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock, shifted by an offset a test sets: lets the operator see hours pass (a backup
 * going stale) while the API server's own clock runs as usual.
 */
public final class ShiftableClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  public void shift(Duration by) {
    offset = by;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("UTC only");
  }
}
