package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.template.PyTime;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;

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
     * Python's {@code time.strptime(value, format)} (engine's {@link PyTime#parse}, the one the {@code to_datetime}
     * filter reads with), giving {@code YYYY-MM-DD HH:MM:SS}; a leap second 60 or 61 becomes 59. Fails with Ansible's
     * message when the value does not match.
     */
    static String strptime(String value, String format) {
        PyTime.Parsed p;
        try {
            p = PyTime.parse(value, format);
        } catch (IllegalArgumentException e) {
            throw bad(value, format, e.getMessage());
        }
        return String.format("%04d-%02d-%02d %02d:%02d:%02d", p.year(), p.month(), p.day(), p.hour(), p.minute(),
                Math.min(p.second(), 59));
    }

    private static BadArgument bad(String value, String format, String why) {
        return new BadArgument("Error while obtaining timestamp for time " + value + " using format "
                + format + ": " + why);
    }
}
