package io.budgetctl.modules.net;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import java.util.LinkedHashMap;

/**
 * {@code wait_for_connection}: after {@code delay} seconds, runs {@code true} over the host's connection every
 * {@code sleep} seconds until it answers (the SSH connection reconnects by itself when the old one dropped, e.g.
 * after a reboot), failing after {@code timeout} seconds with Ansible's {@code timed out waiting for ping module
 * test: <last error>}. The result has {@code elapsed} in whole seconds; skipped in check mode, as Ansible's action.
 * {@code connect_timeout} is accepted; each attempt uses the connection's own connect timeout (inventory
 * {@code ansible_timeout}).
 */
public final class WaitForConnectionModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("connect_timeout", Arg.of("int").withDefault(5))
            .arg("delay", Arg.of("int").withDefault(0))
            .arg("sleep", Arg.of("int").withDefault(1))
            .arg("timeout", Arg.of("int").withDefault(600))
            .build();

    public WaitForConnectionModule() {
        super("wait_for_connection", SPEC, CheckMode.PARTIAL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args a) {
        if (ctx.check()) {
            return new Result.Skipped(null, new LinkedHashMap<>());
        }
        long start = System.nanoTime();
        long deadline = start + a.integer("timeout", 600) * 1_000_000_000L;
        try {
            Thread.sleep(a.integer("delay", 0) * 1000L);
            String error = "no attempt was made";
            while (System.nanoTime() < deadline) {
                try {
                    ExecResult r = ctx.exec(ExecRequest.of("true"));
                    if (r.exitCode() == 0) {
                        return Result.ok(Result.data("elapsed", elapsed(start)));
                    }
                    error = "the host answered with exit code " + r.exitCode() + ": " + r.stderr().strip();
                } catch (RuntimeException e) {
                    error = String.valueOf(e.getMessage());
                }
                Thread.sleep(Math.max(0, a.integer("sleep", 1)) * 1000L);
            }
            return Result.failed("timed out waiting for ping module test: " + error,
                    Result.data("elapsed", elapsed(start)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed("interrupted while waiting for the connection", Result.data("elapsed",
                    elapsed(start)));
        }
    }

    private static int elapsed(long startNanos) {
        return (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
    }
}
