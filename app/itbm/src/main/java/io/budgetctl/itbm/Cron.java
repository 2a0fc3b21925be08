package io.budgetctl.itbm;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A 5-field cron expression (minute hour day-of-month month day-of-week, server time) as crontab(5) reads it:
 * {@code *}, numbers, ranges {@code a-b}, steps ({@code 5/10}, {@code 0-30/5}, or a star followed by /n), lists {@code a,b}; day of week 0-7
 * (0 and 7 are Sunday). When both day fields are restricted, a day matches when either does (crontab's rule). No
 * names (JAN, MON) and no {@code @hourly}: the client file's schema asks for five fields.
 */
final class Cron {
  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;
  private final boolean anyDay;
  private final boolean anyWeekday;

  private Cron(String text, String[] f) {
    this.text = text;
    this.minutes = field(f[0], 0, 59, "minute");
    this.hours = field(f[1], 0, 23, "hour");
    this.days = field(f[2], 1, 31, "day of month");
    this.months = field(f[3], 1, 12, "month");
    BitSet dow = field(f[4], 0, 7, "day of week");
    if (dow.get(7)) {
      dow.set(0);
    }
    this.weekdays = dow;
    this.anyDay = f[2].startsWith("*");
    this.anyWeekday = f[4].startsWith("*");
  }

  /** Parses {@code text}; a bad expression is a {@link ConfigException} naming {@code setting} and the field. */
  static Cron parse(String setting, String text) {
    String t = text == null ? "" : text.strip();
    String[] f = t.split("\\s+");
    if (f.length != 5) {
      throw new ConfigException(setting + "='" + text + "' is not a 5-field cron expression (minute hour day month"
          + " weekday, e.g. '0 * * * *')");
    }
    try {
      return new Cron(t, f);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting + "='" + text + "': " + e.getMessage());
    }
  }

  private static BitSet field(String spec, int min, int max, String name) {
    BitSet set = new BitSet(max + 1);
    for (String part : spec.split(",", -1)) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, name + " step");
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        int dash = range.indexOf('-');
        from = number(range.substring(0, dash), min, max, name);
        to = number(range.substring(dash + 1), min, max, name);
        if (from > to) {
          throw new IllegalArgumentException(name + " range '" + range + "' runs backwards");
        }
      } else {
        from = number(range, min, max, name);
        to = slash >= 0 ? max : from;
      }
      for (int i = from; i <= to; i += step) {
        set.set(i);
      }
    }
    return set;
  }

  private static int number(String s, int min, int max, String name) {
    if (!s.matches("\\d{1,2}")) {
      throw new IllegalArgumentException(name + " '" + s + "' is not a number " + min + "-" + max);
    }
    int n = Integer.parseInt(s);
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " " + n + " is outside " + min + "-" + max);
    }
    return n;
  }

  /** Whether the minute {@code t} (seconds ignored) is one this expression runs at. */
  boolean matches(LocalDateTime t) {
    if (!minutes.get(t.getMinute()) || !hours.get(t.getHour()) || !months.get(t.getMonthValue())) {
      return false;
    }
    boolean day = days.get(t.getDayOfMonth());
    boolean weekday = weekdays.get(t.getDayOfWeek().getValue() % 7);
    if (anyDay || anyWeekday) {
      return day && weekday;
    }
    return day || weekday;
  }

  /** The first minute after {@code t} that matches (within 5 years; a 31 February never does). */
  LocalDateTime next(LocalDateTime t) {
    LocalDateTime c = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDateTime end = c.plusYears(5);
    while (c.isBefore(end)) {
      if (!months.get(c.getMonthValue())) {
        c = c.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
      } else if (!(anyDay || anyWeekday ? days.get(c.getDayOfMonth()) && weekdays.get(c.getDayOfWeek().getValue() % 7)
          : days.get(c.getDayOfMonth()) || weekdays.get(c.getDayOfWeek().getValue() % 7))) {
        c = c.withHour(0).withMinute(0).plusDays(1);
      } else if (!hours.get(c.getHour())) {
        c = c.withMinute(0).plusHours(1);
      } else if (!minutes.get(c.getMinute())) {
        c = c.plusMinutes(1);
      } else {
        return c;
      }
    }
    throw new ConfigException("cron '" + text + "' never runs");
  }

  @Override
  public String toString() {
    return text;
  }
}
