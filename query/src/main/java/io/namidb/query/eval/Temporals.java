package io.namidb.query.eval;

import io.namidb.query.CypherException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cypher's temporal values within a query: {@code DATE} ({@link LocalDate}), {@code LOCAL TIME}
 * ({@link LocalTime}), {@code ZONED TIME} ({@link OffsetTime}), {@code LOCAL DATETIME} ({@link
 * LocalDateTime}), {@code ZONED DATETIME} ({@link ZonedDateTime}) and {@code DURATION} ({@link
 * DurationValue}): made from ISO-8601 strings, from maps of components or from other temporal
 * values, read by component ({@code d.year}), compared, added to durations, truncated, and measured
 * against each other ({@code duration.between}). The default time zone is UTC. Only a zoned
 * date-time can be stored (as the instant of a {@code TIMESTAMP} property); a stored {@code
 * TIMESTAMP} reads back as an {@link Instant}, which compares with zoned date-times.
 */
final class Temporals {
  private Temporals() {}

  static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;

  /** The constructor functions, also the prefixes of their namespaced forms. */
  static final Set<String> TYPES =
      Set.of("date", "localtime", "time", "localdatetime", "datetime", "duration");

  /** Whether {@code v} is a temporal value of this class (stored instants included). */
  static boolean isTemporal(Object v) {
    return v instanceof LocalDate
        || v instanceof LocalTime
        || v instanceof OffsetTime
        || v instanceof LocalDateTime
        || v instanceof ZonedDateTime
        || v instanceof Instant
        || v instanceof DurationValue;
  }

  static String typeName(Object v) {
    if (v instanceof LocalDate) {
      return "DATE";
    }
    if (v instanceof LocalTime) {
      return "LOCAL TIME";
    }
    if (v instanceof OffsetTime) {
      return "ZONED TIME";
    }
    if (v instanceof LocalDateTime) {
      return "LOCAL DATETIME";
    }
    if (v instanceof ZonedDateTime) {
      return "ZONED DATETIME";
    }
    if (v instanceof DurationValue) {
      return "DURATION";
    }
    return null;
  }

  // ---- construction

  /** {@code date(x)}, {@code datetime(x)}, …: {@code args} empty for now. */
  static Object construct(String type, List<Object> args, Instant now) {
    if (args.isEmpty()) {
      if (type.equals("duration")) {
        throw CypherException.semantic(
            "InvalidNumberOfArguments", "duration() needs a string or a map");
      }
      return convert(type, now.atZone(DEFAULT_ZONE), null);
    }
    Object a = args.get(0);
    if (a == null) {
      return null;
    }
    try {
      if (type.equals("duration")) {
        if (a instanceof String s) {
          return parseDuration(s);
        }
        if (a instanceof Map<?, ?> m) {
          return durationOf(m);
        }
        if (a instanceof DurationValue d) {
          return d;
        }
        throw argument(type, a);
      }
      if (a instanceof String s) {
        return parse(type, s);
      }
      if (a instanceof Map<?, ?> m) {
        return fromMap(type, m);
      }
      if (isTemporal(a)) {
        return project(type, a);
      }
      throw argument(type, a);
    } catch (DateTimeException | ArithmeticException e) {
      throw invalid(type + "(" + Values.render(a) + "): " + e.getMessage());
    }
  }

  // ---- parsing ISO-8601 strings

  private static final String YEAR = "([+-]?\\d{4}|[+-]\\d{5,9})";
  private static final Pattern[] DATES = {
    Pattern.compile(YEAR + "-(\\d{1,2})-(\\d{1,2})"),
    Pattern.compile("(\\d{4})(\\d{2})(\\d{2})"),
    Pattern.compile(YEAR + "-W(\\d{1,2})(?:-(\\d))?"),
    Pattern.compile("(\\d{4})W(\\d{2})(\\d)?"),
    Pattern.compile(YEAR + "-Q(\\d)(?:-(\\d{1,2}))?"),
    Pattern.compile("(\\d{4})Q(\\d)(\\d{2})?"),
    Pattern.compile(YEAR + "-(\\d{3})"),
    Pattern.compile("(\\d{4})(\\d{3})"),
    Pattern.compile(YEAR + "-(\\d{1,2})"),
    Pattern.compile("(\\d{4})(\\d{2})"),
    Pattern.compile(YEAR),
  };

  private static final Pattern TIME =
      Pattern.compile(
          "(\\d{1,2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d{1,9}))?)?)?"
              + "(Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?)?(?:\\[([^\\]]+)])?");

  private static LocalDate parseDate(String s) {
    for (int i = 0; i < DATES.length; i++) {
      Matcher m = DATES[i].matcher(s);
      if (!m.matches()) {
        continue;
      }
      int year = Integer.parseInt(m.group(1).replace("+", ""));
      switch (i) {
        case 0, 1:
          return LocalDate.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        case 2, 3:
          return weekDate(
              year,
              Integer.parseInt(m.group(2)),
              m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
        case 4, 5:
          return quarterDate(
              year,
              Integer.parseInt(m.group(2)),
              m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
        case 6, 7:
          return LocalDate.ofYearDay(year, Integer.parseInt(m.group(2)));
        case 8, 9:
          return LocalDate.of(year, Integer.parseInt(m.group(2)), 1);
        default:
          return LocalDate.of(year, 1, 1);
      }
    }
    throw invalid("not an ISO-8601 date: '" + s + "'");
  }

  /** A time of day and what follows it: an offset (null if none) and a zone name (or null). */
  private record ParsedTime(LocalTime time, ZoneOffset offset, String zone) {}

  private static ParsedTime parseTime(String s) {
    Matcher m = TIME.matcher(s);
    if (!m.matches()) {
      throw invalid("not an ISO-8601 time: '" + s + "'");
    }
    int nanos = 0;
    if (m.group(4) != null) {
      nanos = Integer.parseInt((m.group(4) + "00000000").substring(0, 9));
    }
    LocalTime t =
        LocalTime.of(
            Integer.parseInt(m.group(1)),
            m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
            m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
            nanos);
    return new ParsedTime(t, m.group(5) == null ? null : offset(m.group(5)), m.group(6));
  }

  private static ZoneOffset offset(String s) {
    if (s.equals("Z")) {
      return ZoneOffset.UTC;
    }
    String digits = s.substring(1).replace(":", "");
    int h = Integer.parseInt(digits.substring(0, 2));
    int mi = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
    int se = digits.length() >= 6 ? Integer.parseInt(digits.substring(4, 6)) : 0;
    int sign = s.charAt(0) == '-' ? -1 : 1;
    return ZoneOffset.ofHoursMinutesSeconds(sign * h, sign * mi, sign * se);
  }

  private static Object parse(String type, String s) {
    String text = s.strip();
    int bracket = text.indexOf('[');
    text =
        bracket < 0
            ? text.toUpperCase(Locale.ROOT)
            : text.substring(0, bracket).toUpperCase(Locale.ROOT) + text.substring(bracket);
    switch (type) {
      case "date":
        return parseDate(text);
      case "localtime":
        return parseTime(text).time();
      case "time":
        {
          ParsedTime p = parseTime(text);
          ZoneOffset offset = p.offset();
          if (offset == null) {
            offset = offsetAt(p.zone() == null ? DEFAULT_ZONE : zone(p.zone()));
          }
          return OffsetTime.of(p.time(), offset);
        }
      default:
        break;
    }
    int t = text.indexOf('T');
    LocalDate date = parseDate(t < 0 ? text : text.substring(0, t));
    if (t < 0) {
      return type.equals("localdatetime") ? date.atStartOfDay() : date.atStartOfDay(DEFAULT_ZONE);
    }
    ParsedTime p = parseTime(text.substring(t + 1));
    LocalDateTime local = LocalDateTime.of(date, p.time());
    if (type.equals("localdatetime")) {
      return local;
    }
    if (p.zone() != null) {
      ZoneId zone = zone(p.zone());
      return p.offset() == null ? ZonedDateTime.of(local, zone) : zoned(local, zone, p.offset(), s);
    }
    return ZonedDateTime.of(local, p.offset() == null ? DEFAULT_ZONE : p.offset());
  }

  /** {@code local} in {@code zone} at {@code offset}, which the zone must have then. */
  private static ZonedDateTime zoned(
      LocalDateTime local, ZoneId zone, ZoneOffset offset, String s) {
    if (!zone.getRules().isValidOffset(local, offset)) {
      throw invalid("the offset does not fit the time zone. value=" + s);
    }
    return ZonedDateTime.ofLocal(local, zone, offset);
  }

  static ZoneId zone(String name) {
    try {
      if (name.equals("Z")) {
        return ZoneOffset.UTC;
      }
      if (name.startsWith("+") || name.startsWith("-")) {
        return offset(name);
      }
      return ZoneId.of(name);
    } catch (DateTimeException | NumberFormatException | StringIndexOutOfBoundsException e) {
      throw invalid("unknown time zone. zone=" + name);
    }
  }

  private static final Pattern DURATION =
      Pattern.compile(
          "([-+]?)P(?:([-+]?\\d+(?:[.,]\\d+)?)Y)?(?:([-+]?\\d+(?:[.,]\\d+)?)M)?"
              + "(?:([-+]?\\d+(?:[.,]\\d+)?)W)?(?:([-+]?\\d+(?:[.,]\\d+)?)D)?"
              + "(?:T(?:([-+]?\\d+(?:[.,]\\d+)?)H)?(?:([-+]?\\d+(?:[.,]\\d+)?)M)?"
              + "(?:([-+]?\\d+(?:[.,]\\d+)?)S)?)?");

  private static final Pattern DURATION_DATE_FORM =
      Pattern.compile(
          "([-+]?)P(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2}(?:[.,]\\d{1,9})?)");

  static DurationValue parseDuration(String s) {
    String text = s.strip();
    Matcher d = DURATION_DATE_FORM.matcher(text);
    if (d.matches()) {
      DurationValue v =
          ofParts(
              num(d.group(2)),
              num(d.group(3)),
              BigDecimal.ZERO,
              num(d.group(4)),
              num(d.group(5)),
              num(d.group(6)),
              num(d.group(7)));
      return d.group(1).equals("-") ? v.negate() : v;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches() || text.endsWith("T") || text.equals("P") || text.matches("[-+]P")) {
      throw invalid("not an ISO-8601 duration: '" + s + "'");
    }
    DurationValue v =
        ofParts(
            num(m.group(2)),
            num(m.group(3)),
            num(m.group(4)),
            num(m.group(5)),
            num(m.group(6)),
            num(m.group(7)),
            num(m.group(8)));
    return m.group(1).equals("-") ? v.negate() : v;
  }

  private static BigDecimal num(String s) {
    return s == null ? BigDecimal.ZERO : new BigDecimal(s.replace(',', '.').replace("+", ""));
  }

  private static DurationValue ofParts(
      BigDecimal years,
      BigDecimal months,
      BigDecimal weeks,
      BigDecimal days,
      BigDecimal hours,
      BigDecimal minutes,
      BigDecimal seconds) {
    return DurationValue.ofFractional(
        years.multiply(BigDecimal.valueOf(12)).add(months),
        weeks.multiply(BigDecimal.valueOf(7)).add(days),
        hours
            .multiply(BigDecimal.valueOf(3600))
            .add(minutes.multiply(BigDecimal.valueOf(60)))
            .add(seconds));
  }

  /** The components of a duration's map, in the order {@link #durationOf} reads them. */
  private static final List<String> DURATION_KEYS =
      List.of(
          "years",
          "quarters",
          "months",
          "weeks",
          "days",
          "hours",
          "minutes",
          "seconds",
          "milliseconds",
          "microseconds",
          "nanoseconds");

  private static DurationValue durationOf(Map<?, ?> m) {
    for (Object k : m.keySet()) {
      if (!DURATION_KEYS.contains(keyOf(k))) {
        throw invalid("duration() has no component " + k);
      }
    }
    BigDecimal[] v = new BigDecimal[DURATION_KEYS.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = decimal(m, DURATION_KEYS.get(i));
    }
    BigDecimal seconds =
        v[5].multiply(BigDecimal.valueOf(3600))
            .add(v[6].multiply(BigDecimal.valueOf(60)))
            .add(v[7])
            .add(v[8].movePointLeft(3))
            .add(v[9].movePointLeft(6))
            .add(v[10].movePointLeft(9));
    return DurationValue.ofFractional(
        v[0].multiply(BigDecimal.valueOf(12)).add(v[1].multiply(BigDecimal.valueOf(3))).add(v[2]),
        v[3].multiply(BigDecimal.valueOf(7)).add(v[4]),
        seconds);
  }

  private static String keyOf(Object k) {
    return String.valueOf(k).toLowerCase(Locale.ROOT);
  }

  /** A number component of a map, case-insensitively by name; zero when absent. */
  private static BigDecimal decimal(Map<?, ?> m, String key) {
    Object v = get(m, key);
    if (v == null) {
      return BigDecimal.ZERO;
    }
    if (v instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
      return BigDecimal.valueOf(d);
    }
    throw invalid("component " + key + " must be a number, got " + Values.typeName(v));
  }

  private static Object get(Map<?, ?> m, String key) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (keyOf(e.getKey()).equals(key.toLowerCase(Locale.ROOT))) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Whether the map gives the component (a null value gives nothing). */
  private static boolean has(Map<?, ?> m, String key) {
    return get(m, key) != null;
  }

  private static Integer intOf(Map<?, ?> m, String key) {
    Object v = get(m, key);
    if (v == null) {
      return null;
    }
    if (v instanceof Long l) {
      return Math.toIntExact(l);
    }
    throw invalid("component " + key + " must be an integer, got " + Values.typeName(v));
  }

  private static int intOr(Map<?, ?> m, String key, int otherwise) {
    Integer v = intOf(m, key);
    return v == null ? otherwise : v;
  }

  // ---- construction from a map of components

  private static final Set<String> DATE_KEYS =
      Set.of(
          "date",
          "year",
          "month",
          "day",
          "week",
          "dayofweek",
          "quarter",
          "dayofquarter",
          "ordinalday");

  private static final Set<String> TIME_KEYS =
      Set.of("time", "hour", "minute", "second", "millisecond", "microsecond", "nanosecond");

  /** Whether a map given to {@code type()} may name {@code key} (lower case). */
  private static boolean isComponent(String type, String key) {
    boolean date = DATE_KEYS.contains(key);
    boolean time = TIME_KEYS.contains(key);
    return switch (type) {
      case "date" -> date;
      case "localtime" -> time;
      case "time" -> time || key.equals("timezone");
      case "localdatetime" -> date || time || key.equals("datetime");
      default ->
          date
              || time
              || Set.of("datetime", "timezone", "epochseconds", "epochmillis").contains(key);
    };
  }

  private static Object fromMap(String type, Map<?, ?> m) {
    for (Object k : m.keySet()) {
      if (!isComponent(type, keyOf(k))) {
        throw invalid(type + "() has no component " + k);
      }
    }
    boolean hasDate = type.equals("date") || type.endsWith("datetime");
    boolean hasTime = !type.equals("date");
    boolean zoned = type.equals("time") || type.equals("datetime");
    if (has(m, "epochseconds") || has(m, "epochmillis")) {
      Instant instant =
          has(m, "epochmillis")
              ? Instant.ofEpochMilli(longOf("epochMillis", get(m, "epochmillis")))
              : Instant.ofEpochSecond(
                  longOf("epochSeconds", get(m, "epochseconds")), nanosOf(m, 0));
      ZonedDateTime z =
          instant.atZone(has(m, "timezone") ? zone(str(get(m, "timezone"))) : DEFAULT_ZONE);
      return convert(type, z, null);
    }
    Object base = get(m, "datetime");
    Object dateBase = base != null ? base : get(m, "date");
    Object timeBase = base != null ? base : get(m, "time");
    LocalDate date = null;
    if (hasDate) {
      date = dateOf(m, dateBase == null ? null : datePart(dateBase));
    }
    LocalTime time = null;
    ZoneId baseZone = null;
    if (hasTime) {
      LocalTime from = timeBase == null ? null : timePart(timeBase);
      time = timeOf(m, from, hasDate);
      baseZone = timeBase == null ? null : zoneOf(timeBase);
    }
    ZoneId zone = has(m, "timezone") ? zone(str(get(m, "timezone"))) : null;
    switch (type) {
      case "date":
        return date;
      case "localtime":
        return time;
      case "localdatetime":
        return LocalDateTime.of(date, time);
      case "time":
        {
          ZoneOffset baseOffset = baseZone == null ? null : offsetOf(timeBase);
          if (zone != null && baseOffset != null) { // the same instant in the new zone
            return OffsetTime.of(time, baseOffset).withOffsetSameInstant(offsetAt(zone));
          }
          ZoneOffset offset =
              zone != null ? offsetAt(zone) : baseOffset != null ? baseOffset : ZoneOffset.UTC;
          return OffsetTime.of(time, offset);
        }
      default:
        {
          LocalDateTime local = LocalDateTime.of(date, time);
          if (zone != null && baseZone != null && timeBase != null) {
            return ZonedDateTime.of(local, baseZone).withZoneSameInstant(zone);
          }
          ZoneId z = zone != null ? zone : baseZone != null ? baseZone : DEFAULT_ZONE;
          return zoned ? ZonedDateTime.of(local, z) : local;
        }
    }
  }

  private static ZoneOffset offsetAt(ZoneId zone) {
    // a named zone's offset today, as a time of day has no date to pick one
    return zone instanceof ZoneOffset o ? o : zone.getRules().getOffset(Instant.now());
  }

  private static String str(Object v) {
    if (v instanceof String s) {
      return s;
    }
    throw invalid("timezone must be a string, got " + Values.typeName(v));
  }

  private static LocalDate dateOf(Map<?, ?> m, LocalDate base) {
    Integer year = intOf(m, "year");
    if (has(m, "week")) {
      int weekYear =
          year != null
              ? year
              : base != null ? base.get(IsoFields.WEEK_BASED_YEAR) : missing("year");
      int dayOfWeek = intOr(m, "dayOfWeek", base != null ? base.getDayOfWeek().getValue() : 1);
      return weekDate(weekYear, intOf(m, "week"), dayOfWeek);
    }
    if (has(m, "quarter")) {
      int y = year != null ? year : base != null ? base.getYear() : missing("year");
      int dayOfQuarter =
          intOr(m, "dayOfQuarter", base != null ? base.get(IsoFields.DAY_OF_QUARTER) : 1);
      return quarterDate(y, intOf(m, "quarter"), dayOfQuarter);
    }
    if (has(m, "ordinalDay")) {
      int y = year != null ? year : base != null ? base.getYear() : missing("year");
      return LocalDate.ofYearDay(y, intOf(m, "ordinalDay"));
    }
    if (base == null) {
      if (year == null) {
        missing("year");
      }
      if (has(m, "day") && !has(m, "month")) {
        throw invalid("day needs month");
      }
      return LocalDate.of(year, intOr(m, "month", 1), intOr(m, "day", 1));
    }
    return LocalDate.of(
        year != null ? year : base.getYear(),
        intOr(m, "month", base.getMonthValue()),
        intOr(m, "day", base.getDayOfMonth()));
  }

  private static LocalTime timeOf(Map<?, ?> m, LocalTime base, boolean withDate) {
    if (base == null) {
      if (!has(m, "hour")) {
        if (withDate) {
          if (has(m, "minute") || has(m, "second")) {
            missing("hour");
          }
          return LocalTime.MIDNIGHT;
        }
        missing("hour");
      }
      if (has(m, "second") && !has(m, "minute")) {
        missing("minute");
      }
      return LocalTime.of(
          intOf(m, "hour"), intOr(m, "minute", 0), intOr(m, "second", 0), nanosOf(m, 0));
    }
    boolean subSecond = has(m, "millisecond") || has(m, "microsecond") || has(m, "nanosecond");
    return LocalTime.of(
        intOr(m, "hour", base.getHour()),
        intOr(m, "minute", base.getMinute()),
        intOr(m, "second", base.getSecond()),
        subSecond ? nanosOf(m, base.getNano()) : base.getNano());
  }

  /**
   * The nanosecond of the second from millisecond, microsecond and nanosecond: each below the next
   * larger one given (a microsecond beside a millisecond is 0..999), the sum below a second.
   */
  private static int nanosOf(Map<?, ?> m, int base) {
    boolean ms = has(m, "millisecond");
    boolean us = has(m, "microsecond");
    boolean ns = has(m, "nanosecond");
    if (!ms && !us && !ns) {
      return base;
    }
    long milli = range(m, "millisecond", 999);
    long micro = range(m, "microsecond", ms ? 999 : 999_999);
    long nano = range(m, "nanosecond", ms || us ? 999 : 999_999_999);
    return (int) (milli * 1_000_000 + micro * 1_000 + nano);
  }

  private static long range(Map<?, ?> m, String key, long max) {
    long v = intOr(m, key, 0);
    if (v < 0 || v > max) {
      throw invalid(key + " out of range 0.." + max + ". value=" + v);
    }
    return v;
  }

  private static int missing(String component) {
    throw invalid("missing component " + component);
  }

  static LocalDate weekDate(int weekYear, int week, int dayOfWeek) {
    LocalDate jan4 = LocalDate.of(weekYear, 1, 4);
    if (week < 1 || week > jan4.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
      throw invalid("week " + week + " is not in week-year " + weekYear);
    }
    if (dayOfWeek < 1 || dayOfWeek > 7) {
      throw invalid("dayOfWeek must be in 1..7, got " + dayOfWeek);
    }
    return jan4.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week)
        .with(ChronoField.DAY_OF_WEEK, dayOfWeek);
  }

  static LocalDate quarterDate(int year, int quarter, int dayOfQuarter) {
    if (quarter < 1 || quarter > 4) {
      throw invalid("quarter must be in 1..4, got " + quarter);
    }
    LocalDate first = LocalDate.of(year, (quarter - 1) * 3 + 1, 1);
    if (dayOfQuarter < 1 || dayOfQuarter > first.range(IsoFields.DAY_OF_QUARTER).getMaximum()) {
      throw invalid("dayOfQuarter " + dayOfQuarter + " is not in quarter " + quarter);
    }
    return first.plusDays(dayOfQuarter - 1);
  }

  // ---- the parts of temporal values

  /** The date of a value that has one, else a type error. */
  private static LocalDate datePart(Object v) {
    if (v instanceof LocalDate d) {
      return d;
    }
    if (v instanceof LocalDateTime d) {
      return d.toLocalDate();
    }
    if (v instanceof ZonedDateTime d) {
      return d.toLocalDate();
    }
    if (v instanceof Instant i) {
      return i.atZone(DEFAULT_ZONE).toLocalDate();
    }
    throw invalid("a " + Values.typeName(v) + " has no date");
  }

  private static LocalTime timePart(Object v) {
    if (v instanceof LocalTime t) {
      return t;
    }
    if (v instanceof OffsetTime t) {
      return t.toLocalTime();
    }
    if (v instanceof LocalDateTime d) {
      return d.toLocalTime();
    }
    if (v instanceof ZonedDateTime d) {
      return d.toLocalTime();
    }
    if (v instanceof Instant i) {
      return i.atZone(DEFAULT_ZONE).toLocalTime();
    }
    if (v instanceof LocalDate) {
      return LocalTime.MIDNIGHT;
    }
    throw invalid("a " + Values.typeName(v) + " has no time");
  }

  /** The offset of a zoned value at its own date and time. */
  private static ZoneOffset offsetOf(Object v) {
    if (v instanceof OffsetTime t) {
      return t.getOffset();
    }
    if (v instanceof ZonedDateTime d) {
      return d.getOffset();
    }
    return ZoneOffset.UTC; // an instant
  }

  /** The zone of a zoned value, null for a local one. */
  private static ZoneId zoneOf(Object v) {
    if (v instanceof OffsetTime t) {
      return t.getOffset();
    }
    if (v instanceof ZonedDateTime d) {
      return d.getZone();
    }
    if (v instanceof Instant) {
      return ZoneOffset.UTC;
    }
    return null;
  }

  /** {@code type(value)} of another temporal value: its parts that the type has. */
  private static Object project(String type, Object v) {
    if (v instanceof DurationValue) {
      throw argument(type, v);
    }
    ZoneId z = zoneOf(v);
    switch (type) {
      case "date":
        return datePart(v);
      case "localtime":
        return timePart(v);
      case "time":
        return OffsetTime.of(timePart(v), z != null ? offsetOf(v) : offsetAt(DEFAULT_ZONE));
      case "localdatetime":
        return LocalDateTime.of(datePart(v), timePart(v));
      default:
        if (v instanceof ZonedDateTime d) {
          return d;
        }
        if (v instanceof Instant i) {
          return i.atZone(ZoneOffset.UTC);
        }
        return ZonedDateTime.of(datePart(v), timePart(v), z != null ? z : DEFAULT_ZONE);
    }
  }

  private static Object convert(String type, ZonedDateTime z, ZoneId zone) {
    ZonedDateTime at = zone == null ? z : z.withZoneSameInstant(zone);
    return switch (type) {
      case "date" -> at.toLocalDate();
      case "localtime" -> at.toLocalTime();
      case "time" -> at.toOffsetDateTime().toOffsetTime();
      case "localdatetime" -> at.toLocalDateTime();
      default -> at;
    };
  }

  // ---- components: d.year, t.hour, dur.days, …

  static Object component(Object v, String key) {
    try {
      return componentOf(v, key);
    } catch (DateTimeException | ArithmeticException e) {
      throw invalid("component " + key + " out of range: " + e.getMessage());
    }
  }

  private static Object componentOf(Object v, String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (v instanceof DurationValue d) {
      return durationComponent(d, k, key);
    }
    if (v instanceof Instant i) {
      v = i.atZone(ZoneOffset.UTC);
    }
    LocalDate date =
        v instanceof LocalDate || v instanceof LocalDateTime || v instanceof ZonedDateTime
            ? datePart(v)
            : null;
    LocalTime time = v instanceof LocalDate ? null : timePart(v);
    ZoneId zone = zoneOf(v);
    if (date != null) {
      switch (k) {
        case "year":
          return (long) date.getYear();
        case "quarter":
          return (long) date.get(IsoFields.QUARTER_OF_YEAR);
        case "month":
          return (long) date.getMonthValue();
        case "week":
          return (long) date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        case "weekyear":
          return (long) date.get(IsoFields.WEEK_BASED_YEAR);
        case "day":
          return (long) date.getDayOfMonth();
        case "ordinalday":
          return (long) date.getDayOfYear();
        case "weekday":
        case "dayofweek":
          return (long) date.getDayOfWeek().getValue();
        case "dayofquarter":
          return (long) date.get(IsoFields.DAY_OF_QUARTER);
        default:
          break;
      }
    }
    if (time != null) {
      switch (k) {
        case "hour":
          return (long) time.getHour();
        case "minute":
          return (long) time.getMinute();
        case "second":
          return (long) time.getSecond();
        case "millisecond":
          return (long) time.getNano() / 1_000_000;
        case "microsecond":
          return (long) time.getNano() / 1_000;
        case "nanosecond":
          return (long) time.getNano();
        default:
          break;
      }
    }
    if (zone != null) {
      ZoneOffset offset =
          v instanceof ZonedDateTime d ? d.getOffset() : ((OffsetTime) v).getOffset();
      switch (k) {
        case "timezone":
          return zone instanceof ZoneOffset o ? o.getId() : zone.getId();
        case "offset":
          return offset.getId();
        case "offsetminutes":
          return (long) offset.getTotalSeconds() / 60;
        case "offsetseconds":
          return (long) offset.getTotalSeconds();
        default:
          break;
      }
      if (v instanceof ZonedDateTime d) {
        if (k.equals("epochseconds")) {
          return d.toEpochSecond();
        }
        if (k.equals("epochmillis")) {
          return d.toInstant().toEpochMilli();
        }
      }
    }
    throw CypherException.runtime(
        "TypeError",
        "InvalidArgumentValue",
        "a " + Values.typeName(v) + " has no component " + key);
  }

  private static Object durationComponent(DurationValue d, String k, String key) {
    long s = d.seconds();
    return switch (k) {
      case "years" -> d.months() / 12;
      case "quarters" -> d.months() / 3;
      case "months" -> d.months();
      case "weeks" -> d.days() / 7;
      case "days" -> d.days();
      case "hours" -> s / 3600;
      case "minutes" -> s / 60;
      case "seconds" -> s;
      case "milliseconds" -> Math.addExact(Math.multiplyExact(s, 1000), d.nanos() / 1_000_000);
      case "microseconds" -> Math.addExact(Math.multiplyExact(s, 1_000_000), d.nanos() / 1_000);
      case "nanoseconds" -> Math.addExact(Math.multiplyExact(s, 1_000_000_000), d.nanos());
      case "quartersofyear" -> d.months() / 3 % 4;
      case "monthsofquarter" -> d.months() % 3;
      case "monthsofyear" -> d.months() % 12;
      case "daysofweek" -> d.days() % 7;
      case "minutesofhour" -> s / 60 % 60;
      case "secondsofminute" -> s % 60;
      case "millisecondsofsecond" -> (long) d.nanos() / 1_000_000;
      case "microsecondsofsecond" -> (long) d.nanos() / 1_000;
      case "nanosecondsofsecond" -> (long) d.nanos();
      default ->
          throw CypherException.runtime(
              "TypeError", "InvalidArgumentValue", "a DURATION has no component " + key);
    };
  }

  // ---- arithmetic

  /** {@code a + b} when either is a duration; null when neither applies. */
  static Object add(Object a, Object b) {
    if (a instanceof DurationValue x && b instanceof DurationValue y) {
      return x.plus(y);
    }
    if (b instanceof DurationValue d && isTemporal(a)) {
      return plus(a, d);
    }
    if (a instanceof DurationValue d && isTemporal(b)) {
      return plus(b, d);
    }
    return null;
  }

  /** {@code a - b} when {@code b} is a duration; null otherwise. */
  static Object subtract(Object a, Object b) {
    if (a instanceof DurationValue x && b instanceof DurationValue y) {
      return x.plus(y.negate());
    }
    if (b instanceof DurationValue d && isTemporal(a)) {
      return plus(a, d.negate());
    }
    return null;
  }

  static Object multiply(Object a, Object b) {
    if (a instanceof DurationValue d && Values.isNumber(b)) {
      return d.times(decimal(b));
    }
    if (b instanceof DurationValue d && Values.isNumber(a)) {
      return d.times(decimal(a));
    }
    return null;
  }

  static Object divide(Object a, Object b) {
    if (a instanceof DurationValue d && Values.isNumber(b)) {
      return d.dividedBy(decimal(b));
    }
    return null;
  }

  private static BigDecimal decimal(Object n) {
    if (n instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    double d = (Double) n;
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw invalid("a duration cannot be scaled by " + d);
    }
    return BigDecimal.valueOf(d);
  }

  private static Object plus(Object t, DurationValue d) {
    try {
      if (t instanceof LocalDate x) {
        // a date moves by whole days: the seconds part counts only in whole days
        long seconds = d.seconds() < 0 && d.nanos() > 0 ? d.seconds() + 1 : d.seconds();
        return x.plusMonths(d.months())
            .plusDays(d.days())
            .plusDays(seconds / DurationValue.SECONDS_PER_DAY); // whole days, toward zero
      }
      if (t instanceof LocalTime x) {
        return x.plusSeconds(d.seconds()).plusNanos(d.nanos());
      }
      if (t instanceof OffsetTime x) {
        return x.plusSeconds(d.seconds()).plusNanos(d.nanos());
      }
      if (t instanceof LocalDateTime x) {
        return x.plusMonths(d.months())
            .plusDays(d.days())
            .plusSeconds(d.seconds())
            .plusNanos(d.nanos());
      }
      ZonedDateTime x = t instanceof Instant i ? i.atZone(ZoneOffset.UTC) : (ZonedDateTime) t;
      return x.plusMonths(d.months())
          .plusDays(d.days())
          .plusSeconds(d.seconds())
          .plusNanos(d.nanos());
    } catch (DateTimeException | ArithmeticException e) {
      throw invalid("a temporal value out of range: " + e.getMessage());
    }
  }

  // ---- comparison

  /** Cypher {@code <} of two temporal values: null when of different kinds or durations. */
  static Integer compare(Object a, Object b) {
    if (instantLike(a) && instantLike(b)) {
      return Integer.signum(instant(a).compareTo(instant(b)));
    }
    if (a instanceof LocalDate x && b instanceof LocalDate y) {
      return Integer.signum(x.compareTo(y));
    }
    if (a instanceof LocalTime x && b instanceof LocalTime y) {
      return Integer.signum(x.compareTo(y));
    }
    if (a instanceof OffsetTime x && b instanceof OffsetTime y) {
      return Long.signum(utcNanos(x) - utcNanos(y));
    }
    if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) {
      return Integer.signum(x.compareTo(y));
    }
    return null;
  }

  /** Cypher {@code =} of two temporal values (durations by their four parts). */
  static boolean equal(Object a, Object b) {
    if (a instanceof DurationValue || b instanceof DurationValue) {
      return a.equals(b);
    }
    if (instantLike(a) && instantLike(b)) {
      return instant(a).equals(instant(b));
    }
    Integer c = compare(a, b);
    return c != null && c == 0;
  }

  /** The order of ORDER BY within temporal values: kind first, then value. */
  static int orderCompare(Object a, Object b) {
    int ka = kind(a);
    int kb = kind(b);
    if (ka != kb) {
      return Integer.compare(ka, kb);
    }
    if (a instanceof DurationValue x && b instanceof DurationValue y) {
      // by average length (a month of 2,629,746 s), then by parts for a total order
      int c = averageSeconds(x).compareTo(averageSeconds(y));
      c = c != 0 ? c : Integer.compare(x.nanos(), y.nanos());
      c = c != 0 ? c : Long.compare(x.months(), y.months());
      return c != 0 ? c : Long.compare(x.days(), y.days());
    }
    Integer c = compare(a, b);
    return c == null ? 0 : c;
  }

  private static java.math.BigInteger averageSeconds(DurationValue d) {
    return java.math.BigInteger.valueOf(d.months())
        .multiply(java.math.BigInteger.valueOf(DurationValue.SECONDS_PER_MONTH))
        .add(
            java.math.BigInteger.valueOf(d.days())
                .multiply(java.math.BigInteger.valueOf(DurationValue.SECONDS_PER_DAY)))
        .add(java.math.BigInteger.valueOf(d.seconds()));
  }

  private static int kind(Object v) {
    if (instantLike(v)) {
      return 0;
    }
    if (v instanceof LocalDateTime) {
      return 1;
    }
    if (v instanceof LocalDate) {
      return 2;
    }
    if (v instanceof OffsetTime) {
      return 3;
    }
    if (v instanceof LocalTime) {
      return 4;
    }
    return 5;
  }

  private static boolean instantLike(Object v) {
    return v instanceof ZonedDateTime || v instanceof Instant;
  }

  private static Instant instant(Object v) {
    return v instanceof Instant i ? i : ((ZonedDateTime) v).toInstant();
  }

  private static long utcNanos(OffsetTime t) {
    return t.toLocalTime().toNanoOfDay() - t.getOffset().getTotalSeconds() * 1_000_000_000L;
  }

  // ---- duration.between, inMonths, inDays, inSeconds

  static Object between(String unit, Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (!isTemporal(a)
        || !isTemporal(b)
        || a instanceof DurationValue
        || b instanceof DurationValue) {
      throw invalid("duration." + unit + "() takes two temporal values");
    }
    // A value without a date takes the other's, one without a zone the other's (both: Cypher's
    // rule); two times without dates are measured within one day.
    boolean dates = hasDate(a) || hasDate(b);
    LocalDate day = LocalDate.of(2000, 1, 1);
    LocalDate da = hasDate(a) ? datePart(a) : hasDate(b) ? datePart(b) : day;
    LocalDate db = hasDate(b) ? datePart(b) : da;
    ZoneId za = zoneOf(a) != null ? zoneOf(a) : zoneOf(b);
    ZoneId zb = zoneOf(b) != null ? zoneOf(b) : za;
    LocalDateTime from = LocalDateTime.of(da, hasTime(a) ? timePart(a) : LocalTime.MIDNIGHT);
    LocalDateTime to = LocalDateTime.of(db, hasTime(b) ? timePart(b) : LocalTime.MIDNIGHT);
    Instant end = null;
    if (za != null) { // measure in the first one's zone, and the time that really passes
      end = instantAt(b, to, zb);
      to = end.atZone(za).toLocalDateTime();
    }
    ZoneOffset startOffset = a instanceof ZonedDateTime z ? z.getOffset() : null;
    switch (unit) {
      case "inmonths":
        return new DurationValue(dates ? ChronoUnit.MONTHS.between(from, to) : 0, 0, 0, 0);
      case "indays":
        return new DurationValue(0, dates ? ChronoUnit.DAYS.between(from, to) : 0, 0, 0);
      case "inseconds":
        {
          java.time.Duration d = elapsed(from, za, startOffset, to, end);
          return DurationValue.of(0, 0, d.getSeconds(), d.getNano());
        }
      default:
        {
          long months = dates ? ChronoUnit.MONTHS.between(from, to) : 0;
          LocalDateTime mid = from.plusMonths(months);
          long days = dates ? ChronoUnit.DAYS.between(mid, to) : 0;
          java.time.Duration d = elapsed(mid.plusDays(days), za, startOffset, to, end);
          return DurationValue.of(months, days, d.getSeconds(), d.getNano());
        }
    }
  }

  /**
   * The time from {@code from} to {@code to}: between two zoned date-times the real time that
   * passes (a day with a daylight saving change has 23 or 25 hours), else on the clock.
   */
  private static java.time.Duration elapsed(
      LocalDateTime from, ZoneId zone, ZoneOffset preferred, LocalDateTime to, Instant end) {
    if (zone == null) {
      return java.time.Duration.between(from, to);
    }
    return java.time.Duration.between(
        ZonedDateTime.ofLocal(from, zone, preferred).toInstant(), end);
  }

  private static Instant instantAt(Object v, LocalDateTime local, ZoneId zone) {
    if (v instanceof ZonedDateTime z) {
      return z.toInstant();
    }
    if (v instanceof Instant i) {
      return i;
    }
    return local.atZone(zone).toInstant();
  }

  private static boolean hasDate(Object v) {
    return !(v instanceof LocalTime || v instanceof OffsetTime);
  }

  private static boolean hasTime(Object v) {
    return !(v instanceof LocalDate);
  }

  // ---- truncation

  private static final List<String> UNITS =
      List.of(
          "millennium",
          "century",
          "decade",
          "year",
          "weekyear",
          "quarter",
          "month",
          "week",
          "day",
          "hour",
          "minute",
          "second",
          "millisecond",
          "microsecond");

  /** {@code type.truncate(unit, value[, map])}. */
  static Object truncate(String type, List<Object> args) {
    Object unitArg = args.get(0);
    Object v = args.get(1);
    if (unitArg == null || v == null) {
      return null;
    }
    String unit = String.valueOf(unitArg).toLowerCase(Locale.ROOT);
    if (!UNITS.contains(unit)) {
      throw invalid("unknown truncation unit. unit=" + unitArg);
    }
    Object third = args.size() > 2 ? args.get(2) : null;
    if (third != null && !(third instanceof Map)) {
      throw invalid(type + ".truncate() takes a map of fields, got " + Values.typeName(third));
    }
    Map<?, ?> fields = third == null ? Map.of() : (Map<?, ?>) third;
    if (!isTemporal(v) || v instanceof DurationValue) {
      throw argument(type + ".truncate", v);
    }
    boolean timeOnly = type.equals("time") || type.equals("localtime");
    if (!timeOnly && !hasDate(v)) {
      throw invalid(type + ".truncate() needs a value with a date, got " + Values.typeName(v));
    }
    if (timeOnly && UNITS.indexOf(unit) < UNITS.indexOf("day")) {
      throw invalid(type + ".truncate() cannot truncate to " + unitArg);
    }
    if (type.equals("date") && UNITS.indexOf(unit) > UNITS.indexOf("day")) {
      throw invalid("date.truncate() cannot truncate to " + unitArg);
    }
    LocalDate date = timeOnly ? LocalDate.of(2000, 1, 1) : datePart(v);
    LocalTime time = hasTime(v) ? timePart(v) : LocalTime.MIDNIGHT;
    int y = date.getYear();
    switch (unit) {
      case "millennium" -> date = LocalDate.of(Math.floorDiv(y, 1000) * 1000, 1, 1);
      case "century" -> date = LocalDate.of(Math.floorDiv(y, 100) * 100, 1, 1);
      case "decade" -> date = LocalDate.of(Math.floorDiv(y, 10) * 10, 1, 1);
      case "year" -> date = LocalDate.of(y, 1, 1);
      case "weekyear" -> date = weekDate(date.get(IsoFields.WEEK_BASED_YEAR), 1, 1);
      case "quarter" -> date = quarterDate(y, date.get(IsoFields.QUARTER_OF_YEAR), 1);
      case "month" -> date = date.withDayOfMonth(1);
      case "week" -> date = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      default -> {}
    }
    int u = UNITS.indexOf(unit);
    if (u <= UNITS.indexOf("day")) {
      time = LocalTime.MIDNIGHT;
    } else {
      time =
          switch (unit) {
            case "hour" -> time.truncatedTo(ChronoUnit.HOURS);
            case "minute" -> time.truncatedTo(ChronoUnit.MINUTES);
            case "second" -> time.truncatedTo(ChronoUnit.SECONDS);
            case "millisecond" -> time.truncatedTo(ChronoUnit.MILLIS);
            default -> time.truncatedTo(ChronoUnit.MICROS);
          };
    }
    ZoneId zone = zoneOf(v);
    if (has(fields, "timezone")) {
      zone = zone(str(get(fields, "timezone")));
    }
    if (!fields.isEmpty()) {
      if (!timeOnly) {
        date = adjustDate(date, fields);
      }
      time = adjustTime(time, fields);
    }
    ZoneId z = zone != null ? zone : DEFAULT_ZONE;
    return switch (type) {
      case "date" -> date;
      case "localtime" -> time;
      case "time" -> OffsetTime.of(time, offsetAt(z));
      case "localdatetime" -> LocalDateTime.of(date, time);
      default -> ZonedDateTime.of(date, time, z);
    };
  }

  /** The fields a truncation's map sets on the truncated date. */
  private static LocalDate adjustDate(LocalDate date, Map<?, ?> f) {
    LocalDate d = date;
    if (has(f, "year")) {
      d = d.withYear(intOf(f, "year"));
    }
    if (has(f, "month")) {
      d = d.withMonth(intOf(f, "month"));
    }
    if (has(f, "day")) {
      d = d.withDayOfMonth(intOf(f, "day"));
    }
    if (has(f, "dayOfWeek")) {
      d = d.with(ChronoField.DAY_OF_WEEK, intOf(f, "dayOfWeek"));
    }
    if (has(f, "dayOfQuarter")) {
      d = d.with(IsoFields.DAY_OF_QUARTER, intOf(f, "dayOfQuarter"));
    }
    if (has(f, "ordinalDay")) {
      d = d.withDayOfYear(intOf(f, "ordinalDay"));
    }
    return d;
  }

  private static LocalTime adjustTime(LocalTime time, Map<?, ?> f) {
    LocalTime t = time;
    if (has(f, "hour")) {
      t = t.withHour(intOf(f, "hour"));
    }
    if (has(f, "minute")) {
      t = t.withMinute(intOf(f, "minute"));
    }
    if (has(f, "second")) {
      t = t.withSecond(intOf(f, "second"));
    }
    if (has(f, "millisecond") || has(f, "microsecond") || has(f, "nanosecond")) {
      t = t.withNano(t.getNano() + nanosOf(f, 0));
    }
    return t;
  }

  // ---- namespaced functions

  /** Whether {@code name} (lower case) is a temporal function, namespaced ones included. */
  static boolean exists(String name) {
    if (TYPES.contains(name)) {
      return true;
    }
    int dot = name.indexOf('.');
    if (dot < 0 || !TYPES.contains(name.substring(0, dot))) {
      return false;
    }
    String f = name.substring(dot + 1);
    if (name.startsWith("duration.")) {
      return DURATION_FUNCTIONS.contains(f);
    }
    return INSTANT_FUNCTIONS.contains(f)
        || (name.startsWith("datetime.") && EPOCH_FUNCTIONS.contains(f));
  }

  private static final Set<String> DURATION_FUNCTIONS =
      Set.of("between", "inmonths", "indays", "inseconds");
  private static final Set<String> INSTANT_FUNCTIONS =
      Set.of("truncate", "statement", "transaction", "realtime");
  private static final Set<String> EPOCH_FUNCTIONS = Set.of("fromepoch", "fromepochmillis");

  /** Arity bounds {min, max} of a temporal function. */
  static int[] arity(String name) {
    if (TYPES.contains(name)) {
      return new int[] {0, 1};
    }
    String f = name.substring(name.indexOf('.') + 1);
    return switch (f) {
      case "between", "inmonths", "indays", "inseconds" -> new int[] {2, 2};
      case "truncate" -> new int[] {2, 3};
      case "fromepoch" -> new int[] {2, 2};
      case "fromepochmillis" -> new int[] {1, 1};
      default -> new int[] {0, 1};
    };
  }

  static Object call(String name, List<Object> args, Instant now) {
    try {
      return dispatch(name, args, now);
    } catch (DateTimeException | ArithmeticException e) {
      throw invalid(name + "(): " + e.getMessage());
    }
  }

  private static Object dispatch(String name, List<Object> args, Instant now) {
    if (TYPES.contains(name)) {
      return construct(name, args, now);
    }
    int dot = name.indexOf('.');
    String type = name.substring(0, dot);
    String f = name.substring(dot + 1);
    switch (f) {
      case "between":
      case "inmonths":
      case "indays":
      case "inseconds":
        return between(f, args.get(0), args.get(1));
      case "truncate":
        return truncate(type, args);
      case "fromepoch":
        if (args.get(0) == null || args.get(1) == null) {
          return null;
        }
        return Instant.ofEpochSecond(
                longOf("seconds", args.get(0)), longOf("nanoseconds", args.get(1)))
            .atZone(DEFAULT_ZONE);
      case "fromepochmillis":
        if (args.get(0) == null) {
          return null;
        }
        return Instant.ofEpochMilli(longOf("milliseconds", args.get(0))).atZone(DEFAULT_ZONE);
      default: // statement, transaction, realtime: the query's clock, in a zone if given
        if (args.isEmpty()) {
          return convert(type, now.atZone(DEFAULT_ZONE), null);
        }
        Object z = args.get(0);
        if (z == null) {
          return null;
        }
        return convert(type, now.atZone(DEFAULT_ZONE), zone(str(z)));
    }
  }

  private static long longOf(String what, Object v) {
    if (v instanceof Long l) {
      return l;
    }
    throw invalid(what + " must be an integer, got " + Values.typeName(v));
  }

  private static CypherException argument(String f, Object v) {
    return CypherException.typeError(
        f + "() cannot take a " + Values.typeName(v) + ". value=" + Values.render(v));
  }

  private static CypherException invalid(String message) {
    return CypherException.runtime("ArgumentError", "InvalidArgumentValue", message);
  }
}
