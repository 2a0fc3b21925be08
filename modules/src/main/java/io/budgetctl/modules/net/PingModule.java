package io.budgetctl.modules.net;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;

/**
 * {@code ping}: proves the connection (and become, if set) works by running {@code true} on the host; returns
 * {@code ping: pong} (or {@code data}). {@code data: crash} fails on purpose, like Ansible's.
 */
public final class PingModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder().arg("data", Arg.of("str").withDefault("pong")).build();

    public PingModule() {
        super("ping", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String data = args.str("data");
        ExecResult r = ctx.exec(ExecRequest.of("true"));
        if (!r.ok()) {
            return Result.failed("running 'true' on " + ctx.host() + " failed with exit code " + r.exitCode()
                    + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()),
                    ModuleOutput.map("rc", r.exitCode(), "stderr", r.stderr()));
        }
        if (data.equals("crash")) {
            return Result.failed("boom");
        }
        return Result.ok(ModuleOutput.map("ping", data));
    }
}
