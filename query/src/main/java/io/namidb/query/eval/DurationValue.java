package io.namidb.query.eval;

import io.namidb.query.CypherException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A Cypher {@code DURATION}: months, days and seconds kept apart (a month or a day has no fixed
 * length in seconds), with the nanoseconds of the last second in {@code [0, 10^9)}. Two durations
 * are equal when all four are: {@code P1M} is not {@code P30D}.
 */
public record DurationValue(long months, long days, long seconds, int nanos) {
  /** Seconds in an average Gregorian month, used where a fraction of a month becomes time. */
  static final long SECONDS_PER_MONTH = 2_629_746;

  static final long SECONDS_PER_DAY = 86_400;
  private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000);

  public DurationValue {
    if (nanos < 0 || nanos >= 1_000_000_000) {
      throw new IllegalArgumentException("nanos out of [0, 10^9): " + nanos);
    }
  }

  /** A duration from parts of any sign, the nanoseconds carried into seconds. */
  static DurationValue of(long months, long days, long seconds, long nanos) {
    try {
      return new DurationValue(
          months,
          days,
          Math.addExact(seconds, Math.floorDiv(nanos, 1_000_000_000L)),
          (int) Math.floorMod(nanos, 1_000_000_000L));
    } catch (ArithmeticException e) {
      throw overflow();
    }
  }

  /**
   * A duration from possibly fractional amounts: a fraction of a month becomes days and seconds (an
   * average month), a fraction of a day seconds, a fraction of a second nanoseconds (truncated).
   */
  static DurationValue ofFractional(BigDecimal months, BigDecimal days, BigDecimal seconds) {
    BigDecimal wholeMonths = months.setScale(0, RoundingMode.DOWN);
    BigDecimal monthSeconds =
        months.subtract(wholeMonths).multiply(BigDecimal.valueOf(SECONDS_PER_MONTH));
    BigDecimal carriedDays =
        monthSeconds.divide(BigDecimal.valueOf(SECONDS_PER_DAY), 0, RoundingMode.DOWN);
    monthSeconds = monthSeconds.subtract(carriedDays.multiply(BigDecimal.valueOf(SECONDS_PER_DAY)));
    BigDecimal allDays = days.add(carriedDays);
    BigDecimal wholeDays = allDays.setScale(0, RoundingMode.DOWN);
    BigDecimal allSeconds =
        seconds
            .add(monthSeconds)
            .add(allDays.subtract(wholeDays).multiply(BigDecimal.valueOf(SECONDS_PER_DAY)));
    BigDecimal wholeSeconds = allSeconds.setScale(0, RoundingMode.FLOOR);
    BigDecimal nanos =
        allSeconds.subtract(wholeSeconds).multiply(BILLION).setScale(0, RoundingMode.DOWN);
    try {
      return of(
          wholeMonths.longValueExact(),
          wholeDays.longValueExact(),
          wholeSeconds.longValueExact(),
          nanos.longValueExact());
    } catch (ArithmeticException e) {
      throw overflow();
    }
  }

  DurationValue plus(DurationValue o) {
    try {
      return of(
          Math.addExact(months, o.months),
          Math.addExact(days, o.days),
          Math.addExact(seconds, o.seconds),
          (long) nanos + o.nanos);
    } catch (ArithmeticException e) {
      throw overflow();
    }
  }

  DurationValue negate() {
    try {
      return of(-months, -days, Math.negateExact(seconds), -(long) nanos);
    } catch (ArithmeticException e) {
      throw overflow();
    }
  }

  /** This duration times {@code factor}, fractions cascading as in {@link #ofFractional}. */
  DurationValue times(BigDecimal factor) {
    return ofFractional(
        BigDecimal.valueOf(months).multiply(factor),
        BigDecimal.valueOf(days).multiply(factor),
        totalSeconds().multiply(factor));
  }

  /** This duration divided by {@code divisor}, fractions cascading as in {@link #ofFractional}. */
  DurationValue dividedBy(BigDecimal divisor) {
    if (divisor.signum() == 0) {
      throw CypherException.runtime(
          "ArgumentError", "DivisionByZero", "a duration divided by zero");
    }
    int scale = 20;
    return ofFractional(
        BigDecimal.valueOf(months).divide(divisor, scale, RoundingMode.HALF_EVEN),
        BigDecimal.valueOf(days).divide(divisor, scale, RoundingMode.HALF_EVEN),
        totalSeconds().divide(divisor, scale, RoundingMode.HALF_EVEN));
  }

  /** Seconds and nanoseconds as one decimal number of seconds. */
  BigDecimal totalSeconds() {
    return BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos).divide(BILLION));
  }

  private static CypherException overflow() {
    return CypherException.runtime(
        "ArgumentError", "NumberOutOfRange", "a duration out of the supported range");
  }

  /**
   * ISO-8601 as Cypher writes it: {@code P1Y2M3DT4H5M6.5S}, each part with its own sign, seconds
   * carried into hours and minutes but months and days kept, {@code PT0S} for zero.
   */
  @Override
  public String toString() {
    if (months == 0 && days == 0 && seconds == 0 && nanos == 0) {
      return "PT0S";
    }
    StringBuilder b = new StringBuilder("P");
    if (months / 12 != 0) {
      b.append(months / 12).append('Y');
    }
    if (months % 12 != 0) {
      b.append(months % 12).append('M');
    }
    if (days != 0) {
      b.append(days).append('D');
    }
    boolean negative = seconds < 0;
    long s = negative ? (nanos > 0 ? -(seconds + 1) : -seconds) : seconds;
    int n = negative && nanos > 0 ? 1_000_000_000 - nanos : nanos;
    if (s != 0 || n != 0) {
      String sign = negative ? "-" : "";
      b.append('T');
      if (s / 3600 != 0) {
        b.append(sign).append(s / 3600).append('H');
      }
      if (s % 3600 / 60 != 0) {
        b.append(sign).append(s % 3600 / 60).append('M');
      }
      if (s % 60 != 0 || n != 0) {
        b.append(sign).append(s % 60);
        if (n != 0) {
          String fraction = String.format("%09d", n);
          int end = fraction.length();
          while (fraction.charAt(end - 1) == '0') {
            end--;
          }
          b.append('.').append(fraction, 0, end);
        }
        b.append('S');
      }
    }
    return b.toString();
  }
}
