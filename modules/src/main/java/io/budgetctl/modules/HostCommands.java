package io.budgetctl.modules;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ModuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands a module runs on the host as the task's become user: an argv list, or a fixed {@code /bin/sh} script whose
 * user values travel only as positional arguments ($1...), never inside the script's text. Public and beside
 * {@link ModuleBase} because modules of several kinds need it: the file modules, script, cron and user.
 */
public final class HostCommands {
    private HostCommands() {
    }

    /** Runs a fixed script with positional arguments ($1...) as the task's become user. */
    public static ExecResult script(ModuleContext ctx, String script, String... positional) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, "budgetctl"));
        argv.addAll(List.of(positional));
        return ctx.exec(new ExecRequest(argv, null, null, null, ctx.become(), null));
    }

    /** Runs {@code argv} as the task's become user. */
    public static ExecResult run(ModuleContext ctx, List<String> argv) {
        return ctx.exec(new ExecRequest(argv, null, null, null, ctx.become(), null));
    }
}
