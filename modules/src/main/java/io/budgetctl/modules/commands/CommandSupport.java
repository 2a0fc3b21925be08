package io.budgetctl.modules.commands;

import io.budgetctl.engine.template.PyShlex;
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
        try {
            return PyShlex.split(s);
        } catch (IllegalArgumentException e) {
            throw new BadArgument(e.getMessage() + " in: " + s);
        }
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
