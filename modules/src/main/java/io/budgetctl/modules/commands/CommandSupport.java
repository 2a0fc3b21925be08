package io.budgetctl.modules.commands;

import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the command modules share beyond {@link ModuleOutput}: Python-shlex splitting, {@code str(timedelta)} and the
 * unstripped result of raw and script. Pure functions, unit-tested directly. (Arguments come typed from ArgSpec
 * through {@link ModuleBase}.)
 */
final class CommandSupport {
    private CommandSupport() {
    }

    /**
     * Splits like Python's {@code shlex.split(s)} (POSIX mode, no comments): whitespace separates words, single
     * quotes keep everything literally, double quotes let a backslash escape only {@code "} and {@code \}, and a
     * backslash outside quotes escapes any character.
     */
    static List<String> shlexSplit(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new BadArgument("No closing quotation in: " + s);
                }
                cur.append(s, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < s.length()) {
                    char d = s.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                        cur.append(s.charAt(i + 1));
                        i += 2;
                    } else {
                        cur.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new BadArgument("No closing quotation in: " + s);
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= s.length()) {
                    throw new BadArgument("No escaped character in: " + s);
                }
                cur.append(s.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                cur.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }

    /** Python's {@code str(timedelta)}: {@code 0:00:00.003130}. */
    static String pyDelta(Duration d) {
        long micros = d.toNanos() / 1000;
        long secs = micros / 1_000_000;
        long frac = micros % 1_000_000;
        long days = secs / 86400;
        secs %= 86400;
        String hms = String.format("%d:%02d:%02d", secs / 3600, (secs / 60) % 60, secs % 60);
        if (frac != 0) {
            hms += String.format(".%06d", frac);
        }
        return days == 0 ? hms : days + (days == 1 ? " day, " : " days, ") + hms;
    }

    /**
     * The result of a command run as printed (raw, script): rc, stdout/stderr unstripped with their lines; always
     * changed, failed with Ansible's "non-zero return code" on a non-zero exit.
     */
    static io.budgetctl.engine.module.Result unstripped(io.budgetctl.engine.connection.ExecResult r) {
        Map<String, Object> data = ModuleOutput.map(
                "rc", r.exitCode(),
                "stdout", r.stdout(),
                "stdout_lines", ModuleOutput.lines(r.stdout()),
                "stderr", r.stderr(),
                "stderr_lines", ModuleOutput.lines(r.stderr()));
        if (r.exitCode() != 0) {
            data.put("changed", true);
            return io.budgetctl.engine.module.Result.failed("non-zero return code", data);
        }
        return new io.budgetctl.engine.module.Result.Changed("", data, List.of());
    }
}
