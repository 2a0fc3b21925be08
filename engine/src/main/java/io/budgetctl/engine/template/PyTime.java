package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's date and time helpers with Python's semantics (C locale): the global {@code now(utc=False, fmt=None)}, the
 * filters {@code to_datetime(format='%Y-%m-%d %H:%M:%S')} (Python's strptime) and {@code strftime(second=None,
 * utc=False)} (Python's time.strftime of the epoch second, local time or UTC), and the strftime directives they
 * share. See docs/templating.md.
 */
public final class PyTime {
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday"};

    private static final Fn.Params NOW = Fn.Params.of("utc=False, fmt=None");

    private PyTime() {
    }

    static List<Filter> filters() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("to_datetime", "format='%Y-%m-%d %H:%M:%S'", false,
                (v, a) -> strptime(Py.str(v), a.str("format"))));
        f.add(Fn.filter("strftime", "second=None, utc=False", false, (v, a) -> {
            Object second = a.get("second");
            double epoch;
            if (second == null) {
                epoch = System.currentTimeMillis() / 1000.0;
            } else {
                try {
                    epoch = second instanceof Number n && !(second instanceof Boolean) ? n.doubleValue()
                            : Double.parseDouble(Py.str(second).strip());
                } catch (NumberFormatException e) {
                    throw new TemplateFailure("Invalid value for epoch value (" + Py.str(second) + ")",
                            "give the seconds since 1970 as a number: '%Y-%m-%d' | strftime(1700000000)");
                }
            }
            ZoneId zone = a.bool("utc") ? ZoneOffset.UTC : ZoneId.systemDefault();
            // time.strftime works on a struct_time: whole seconds
            ZonedDateTime t = Instant.ofEpochSecond((long) Math.floor(epoch)).atZone(zone);
            return strftime(Py.str(v), t.toLocalDateTime(), t, false);
        }));
        return f;
    }

    /** {@code now(utc=False, fmt=None)}: a {@link PyDateTime} of the controller's clock, or its text in {@code fmt}. */
    public static Object now(Object... args) {
        Fn.Args a = Fn.call("now", NOW, args);
        Object utc = a.get("utc");
        Object fmt = a.get("fmt");
        LocalDateTime t = Py.truth(utc) ? LocalDateTime.now(ZoneOffset.UTC) : LocalDateTime.now();
        PyDateTime d = new PyDateTime(t);
        return fmt == null ? d : d.strftime(Py.str(fmt));
    }

    /**
     * Python's strftime in the C locale. {@code zoned} is the zone-aware value for time.strftime ({@code %z} is
     * {@code +0000}, {@code %Z} the zone's abbreviation); null for a naive datetime, where both are empty.
     * {@code datetimeMethod}: datetime.strftime knows {@code %f}; time.strftime leaves it as written (glibc).
     */
    static String strftime(String format, LocalDateTime t, ZonedDateTime zoned, boolean datetimeMethod) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            String month = MONTHS[t.getMonthValue() - 1];
            String day = DAYS[t.getDayOfWeek().getValue() - 1];
            int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
            switch (d) {
                case 'Y' -> sb.append(t.getYear());
                case 'C' -> sb.append(String.format("%02d", t.getYear() / 100));
                case 'y' -> sb.append(String.format("%02d", t.getYear() % 100));
                case 'm' -> sb.append(String.format("%02d", t.getMonthValue()));
                case 'd' -> sb.append(String.format("%02d", t.getDayOfMonth()));
                case 'e' -> sb.append(String.format("%2d", t.getDayOfMonth()));
                case 'H' -> sb.append(String.format("%02d", t.getHour()));
                case 'k' -> sb.append(String.format("%2d", t.getHour()));
                case 'I' -> sb.append(String.format("%02d", hour12));
                case 'l' -> sb.append(String.format("%2d", hour12));
                case 'M' -> sb.append(String.format("%02d", t.getMinute()));
                case 'S' -> sb.append(String.format("%02d", t.getSecond()));
                case 'f' -> sb.append(datetimeMethod ? String.format("%06d", t.getNano() / 1000) : "%f");
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'P' -> sb.append(t.getHour() < 12 ? "am" : "pm");
                case 'b', 'h' -> sb.append(month, 0, 3);
                case 'B' -> sb.append(month);
                case 'a' -> sb.append(day, 0, 3);
                case 'A' -> sb.append(day);
                case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
                case 'u' -> sb.append(t.getDayOfWeek().getValue());
                case 'j' -> sb.append(String.format("%03d", t.getDayOfYear()));
                case 'U' -> sb.append(String.format("%02d", (t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7));
                case 'W' -> sb.append(String.format("%02d", (t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7));
                case 'V' -> sb.append(String.format("%02d", t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
                case 'G' -> sb.append(t.get(IsoFields.WEEK_BASED_YEAR));
                case 'g' -> sb.append(String.format("%02d", t.get(IsoFields.WEEK_BASED_YEAR) % 100));
                case 'D' -> sb.append(strftime("%m/%d/%y", t, zoned, datetimeMethod));
                case 'F' -> sb.append(strftime("%Y-%m-%d", t, zoned, datetimeMethod));
                case 'T' -> sb.append(strftime("%H:%M:%S", t, zoned, datetimeMethod));
                case 'R' -> sb.append(strftime("%H:%M", t, zoned, datetimeMethod));
                case 'r' -> sb.append(strftime("%I:%M:%S %p", t, zoned, datetimeMethod));
                case 'c' -> sb.append(strftime("%a %b %e %H:%M:%S %Y", t, zoned, datetimeMethod));
                case 'x' -> sb.append(strftime("%m/%d/%y", t, zoned, datetimeMethod));
                case 'X' -> sb.append(strftime("%H:%M:%S", t, zoned, datetimeMethod));
                case 's' -> sb.append((zoned != null ? zoned.toEpochSecond()
                        : t.atZone(ZoneId.systemDefault()).toEpochSecond()));
                case 'z' -> sb.append(zoned == null ? "" : offset(zoned));
                // time.gmtime's struct_time names its zone GMT; localtime's is the controller zone's abbreviation
                case 'Z' -> sb.append(zoned == null ? "" : zoned.getZone() == ZoneOffset.UTC ? "GMT"
                        : zoned.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case '%' -> sb.append('%');
                default -> sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    private static String offset(ZonedDateTime z) {
        int secs = z.getOffset().getTotalSeconds();
        int abs = Math.abs(secs);
        return String.format("%s%02d%02d", secs < 0 ? "-" : "+", abs / 3600, abs / 60 % 60);
    }

    /** The fields {@link #parse} read; what a directive did not set is Python's default (1900-01-01 00:00:00). */
    public record Parsed(int year, int month, int day, int hour, int minute, int second, int microsecond,
                         int dayOfYear) {
    }

    /**
     * Python's {@code _strptime}: {@code text} read with {@code format} (the directives {@code %Y %y %m %d %H %I %M %S
     * %f %j %p %b %h %B %a %A %%}, with Python's own patterns, case-insensitive; whitespace in the format matches any
     * run of whitespace). Fails with Python's ValueError words as an {@link IllegalArgumentException}: "time data 'x'
     * does not match format '%Y'", "unconverted data remains: ...", "'q' is a bad directive in format '%q'", "day is
     * out of range for month". The seconds may be 60 or 61, as time.strptime allows. One home for the template
     * filter {@code to_datetime} and the file module's {@code *_time_format}.
     */
    public static Parsed parse(String text, String format) {
        StringBuilder re = new StringBuilder();
        List<Character> fields = new ArrayList<>();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length()) {
                char d = format.charAt(++i);
                String group = switch (d) {
                    case 'Y' -> "(\\d\\d\\d\\d)";
                    case 'y' -> "(\\d\\d)";
                    case 'm' -> "(1[0-2]|0[1-9]|[1-9])";
                    case 'd' -> "(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])";
                    case 'H' -> "(2[0-3]|[0-1]\\d|\\d)";
                    case 'I' -> "(1[0-2]|0[1-9]|[1-9])";
                    case 'M' -> "([0-5]\\d|\\d)";
                    case 'S' -> "(6[0-1]|[0-5]\\d|\\d)";
                    case 'f' -> "([0-9]{1,6})";
                    case 'j' -> "(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])";
                    case 'p' -> "(am|pm)";
                    case 'b', 'h' -> "(" + names(MONTHS, true) + ")";
                    case 'B' -> "(" + names(MONTHS, false) + ")";
                    case 'a' -> "(" + names(DAYS, true) + ")";
                    case 'A' -> "(" + names(DAYS, false) + ")";
                    case '%' -> null;
                    default -> throw new IllegalArgumentException("'" + d + "' is a bad directive in format '%" + d
                            + "'");
                };
                if (group == null) {
                    re.append('%');
                } else {
                    re.append(group);
                    fields.add(d);
                }
            } else if (Character.isWhitespace(c)) {
                re.append("\\s+");
                while (i + 1 < format.length() && Character.isWhitespace(format.charAt(i + 1))) {
                    i++;
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Matcher m = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE).matcher(text);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("time data " + Py.repr(text) + " does not match format "
                    + Py.repr(format));
        }
        if (m.end() != text.length()) {
            throw new IllegalArgumentException("unconverted data remains: " + text.substring(m.end()));
        }
        int year = 1900;
        int month = 1;
        int day = 1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int micro = 0;
        int dayOfYear = -1;
        int hour12 = -1;
        boolean pm = false;
        for (int g = 0; g < fields.size(); g++) {
            String v = m.group(g + 1).strip();
            switch (fields.get(g)) {
                case 'Y' -> year = Integer.parseInt(v);
                case 'y' -> {
                    int y = Integer.parseInt(v);
                    year = y <= 68 ? 2000 + y : 1900 + y; // POSIX, as Python
                }
                case 'm' -> month = Integer.parseInt(v);
                case 'd' -> day = Integer.parseInt(v);
                case 'H' -> hour = Integer.parseInt(v);
                case 'I' -> hour12 = Integer.parseInt(v);
                case 'M' -> minute = Integer.parseInt(v);
                case 'S' -> second = Integer.parseInt(v);
                case 'f' -> micro = Integer.parseInt((v + "00000").substring(0, 6));
                case 'j' -> dayOfYear = Integer.parseInt(v);
                case 'p' -> pm = v.equalsIgnoreCase("pm");
                case 'b', 'h', 'B' -> month = index(MONTHS, v) + 1;
                default -> {
                    // a weekday name is checked by the pattern and, as in Python, does not set the date
                }
            }
        }
        if (hour12 >= 0) {
            hour = hour12 % 12 + (pm ? 12 : 0);
        }
        try {
            java.time.LocalDate.of(year, month, day);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("day is out of range for month");
        }
        return new Parsed(year, month, day, hour, minute, second, micro, dayOfYear);
    }

    /** Python's {@code datetime.strptime(text, format)}: {@link #parse}, then a datetime (seconds up to 59). */
    static PyDateTime strptime(String text, String format) {
        Parsed p;
        try {
            p = parse(text, format);
        } catch (IllegalArgumentException e) {
            throw new TemplateFailure(e.getMessage(),
                    "give to_datetime the format the text is in: '07/12/2026' | to_datetime('%d/%m/%Y')");
        }
        if (p.second() > 59) {
            throw new TemplateFailure("second must be in 0..59", "a datetime has no leap seconds");
        }
        LocalDateTime t = p.dayOfYear() > 0 && !format.contains("%m") && !format.contains("%d")
                ? LocalDateTime.of(p.year(), 1, 1, p.hour(), p.minute(), p.second(), p.microsecond() * 1000)
                        .plusDays(p.dayOfYear() - 1L)
                : LocalDateTime.of(p.year(), p.month(), p.day(), p.hour(), p.minute(), p.second(),
                        p.microsecond() * 1000);
        return new PyDateTime(t);
    }

    private static String names(String[] all, boolean abbreviated) {
        StringBuilder sb = new StringBuilder();
        for (String n : all) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(abbreviated ? n.substring(0, 3) : n);
        }
        return sb.toString();
    }

    private static int index(String[] all, String name) {
        for (int i = 0; i < all.length; i++) {
            if (all[i].regionMatches(true, 0, name, 0, name.length())) {
                return i;
            }
        }
        return 0;
    }
}
