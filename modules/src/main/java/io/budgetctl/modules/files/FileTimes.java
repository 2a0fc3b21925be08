package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Args;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code file} module's {@code modification_time}/{@code access_time}: {@code preserve} (leave alone), {@code now},
 * or a time string read with a Python {@code strptime} format ({@code *_time_format}, default
 * {@code %Y%m%d%H%M.%S}). As in Ansible the time is the host's local time; the string is parsed here and handed to the
 * host as {@code YYYY-MM-DD HH:MM:SS}, where {@code date -d} turns it into seconds, {@code stat} reads the current
 * times and {@code touch -m}/{@code touch -a} sets what differs — one exec for both times.
 */
final class FileTimes {
    static final String DEFAULT_FORMAT = "%Y%m%d%H%M.%S";

    /**
     * $1 path, $2 mtime, $3 atime ("" preserve, "now", or a local time for date -d), $4 "1" = only report.
     * Prints "changed" when a time differs (always for now), exits 2 when date cannot read a time.
     */
    private static final String SCRIPT = "p=$1; check=$4; changed=0\n"
            + "cur() { stat -c \"%.9$1\" -- \"$p\" 2>/dev/null || stat -c \"%$1\" -- \"$p\"; }\n"
            + "one() {\n"
            + "  case $1 in\n"
            + "    '') return 0 ;;\n"
            + "    now) changed=1; [ \"$check\" = 1 ] || touch \"$3\" -- \"$p\" || exit 1 ;;\n"
            + "    *) want=$(date -d \"$1\" +%s) || exit 2; have=$(cur \"$2\") || exit 1\n"
            + "       if [ \"$have\" != \"$want\" ] && [ \"$have\" != \"$want.000000000\" ]; then\n"
            + "         changed=1; [ \"$check\" = 1 ] || touch \"$3\" -d \"@$want\" -- \"$p\" || exit 1\n"
            + "       fi ;;\n"
            + "  esac\n"
            + "}\n"
            + "one \"$2\" Y -m; one \"$3\" X -a\n"
            + "[ $changed = 1 ] && echo changed; exit 0\n";

    /** What to do with each time: {@code ""} preserve, {@code "now"}, or {@code YYYY-MM-DD HH:MM:SS}. */
    record Request(String mtime, String atime) {
        boolean nothing() {
            return mtime.isEmpty() && atime.isEmpty();
        }
    }

    private FileTimes() {
    }

    /**
     * Reads the four arguments; {@code dflt} is what an unset time means ({@code preserve} for file/directory/link,
     * {@code now} for touch, like Ansible).
     */
    static Request request(Args args, String dflt) {
        return new Request(
                one(args, "modification_time", "modification_time_format", dflt),
                one(args, "access_time", "access_time_format", dflt));
    }

    private static String one(Args args, String key, String formatKey, String dflt) {
        String value = args.str(key);
        if (value == null) {
            value = dflt;
        }
        if (value.equals("preserve")) {
            return "";
        }
        if (value.equals("now")) {
            return "now";
        }
        String format = args.str(formatKey);
        return strptime(value, format == null ? DEFAULT_FORMAT : format);
    }

    /**
     * Applies (or, in check mode, only compares) the times on the host. Returns whether a time changed; {@code now}
     * always counts as a change.
     */
    static boolean apply(ModuleContext ctx, String path, Request req) {
        if (req.nothing()) {
            return false;
        }
        ExecResult r = HostCommands.script(ctx, SCRIPT, path, req.mtime(), req.atime(), ctx.check() ? "1" : "0");
        if (!r.ok()) {
            String err = r.stderr().strip();
            throw new BadArgument((r.exitCode() == 2 ? "the host could not read the time: "
                    : "Error while updating modification or access time: ") + (err.isEmpty()
                    ? "rc=" + r.exitCode() : err));
        }
        return r.stdout().strip().equals("changed");
    }

    /**
     * Python's {@code time.strptime(value, format)} for the usual directives, giving {@code YYYY-MM-DD HH:MM:SS}.
     * Fails with Ansible's message when the value does not match.
     */
    static String strptime(String value, String format) {
        List<Character> fields = new ArrayList<>();
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length()) {
                char d = format.charAt(++i);
                String part = switch (d) {
                    case 'Y' -> "(\\d\\d\\d\\d)";
                    case 'y' -> "(\\d\\d)";
                    case 'm' -> "(1[0-2]|0[1-9]|[1-9])";
                    case 'd' -> "(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])";
                    case 'H' -> "(2[0-3]|[0-1]\\d|\\d)";
                    case 'I' -> "(1[0-2]|0[1-9]|[1-9])";
                    case 'M' -> "([0-5]\\d|\\d)";
                    case 'S' -> "(6[0-1]|[0-5]\\d|\\d)";
                    case 'p' -> "(am|pm)";
                    case 'b', 'h' -> "(" + names(TextStyle.SHORT) + ")";
                    case 'B' -> "(" + names(TextStyle.FULL) + ")";
                    case 'a' -> "(mon|tue|wed|thu|fri|sat|sun)";
                    case 'A' -> "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
                    case '%' -> null;
                    default -> throw bad(value, format, "'" + d + "' is a bad directive in format '%" + d + "'");
                };
                if (part == null) {
                    re.append('%');
                } else {
                    re.append(part);
                    fields.add(d);
                }
            } else if (Character.isWhitespace(c)) {
                re.append("\\s+");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Matcher m = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE).matcher(value);
        if (!m.lookingAt()) {
            throw bad(value, format, "time data '" + value + "' does not match format '" + format + "'");
        }
        if (m.end() != value.length()) {
            throw bad(value, format, "unconverted data remains: " + value.substring(m.end()));
        }
        int year = 1900;
        int month = 1;
        int day = 1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int hour12 = -1;
        boolean pm = false;
        for (int g = 0; g < fields.size(); g++) {
            String s = m.group(g + 1).trim();
            switch (fields.get(g)) {
                case 'Y' -> year = Integer.parseInt(s);
                case 'y' -> {
                    int y = Integer.parseInt(s);
                    year = y <= 68 ? 2000 + y : 1900 + y;
                }
                case 'm' -> month = Integer.parseInt(s);
                case 'd' -> day = Integer.parseInt(s);
                case 'H' -> hour = Integer.parseInt(s);
                case 'I' -> hour12 = Integer.parseInt(s);
                case 'M' -> minute = Integer.parseInt(s);
                case 'S' -> second = Math.min(Integer.parseInt(s), 59);
                case 'p' -> pm = s.equalsIgnoreCase("pm");
                case 'b', 'h' -> month = monthOf(s, TextStyle.SHORT);
                case 'B' -> month = monthOf(s, TextStyle.FULL);
                default -> {
                    // weekday names are checked by the pattern and otherwise ignored, as in Python
                }
            }
        }
        if (hour12 >= 0) {
            hour = hour12 % 12 + (pm ? 12 : 0);
        }
        try {
            LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw bad(value, format, "day is out of range for month");
        }
        return String.format("%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second);
    }

    private static String names(TextStyle style) {
        StringBuilder sb = new StringBuilder();
        for (java.time.Month mo : java.time.Month.values()) {
            sb.append(sb.length() == 0 ? "" : "|").append(mo.getDisplayName(style, Locale.ENGLISH)
                    .toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private static int monthOf(String s, TextStyle style) {
        for (java.time.Month mo : java.time.Month.values()) {
            if (mo.getDisplayName(style, Locale.ENGLISH).equalsIgnoreCase(s)) {
                return mo.getValue();
            }
        }
        return 1;
    }

    private static BadArgument bad(String value, String format, String why) {
        return new BadArgument("Error while obtaining timestamp for time " + value + " using format "
                + format + ": " + why);
    }
}
