package io.budgetctl.modules.logic;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.time.Duration;
import java.time.LocalDateTime;

/**
 * {@code pause}: waits {@code seconds} or {@code minutes} on the controller (nothing runs on the host). Waiting for a
 * key press ({@code prompt} without a duration) is not supported: budgetctl runs non-interactively, so that fails
 * with a clear message. A {@code prompt} together with a duration is accepted and only waits.
 */
public final class PauseModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            // float where Ansible's action says int: fractions always worked here
            .arg("seconds", Arg.of("float"))
            .arg("minutes", Arg.of("float"))
            .arg("prompt", Arg.of("str"))
            .arg("echo", Arg.of("bool").withDefault(true))
            .mutuallyExclusive("minutes", "seconds")
            .build();

    public PauseModule() {
        super("pause", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        double seconds;
        String unit;
        if (args.has("minutes")) {
            seconds = args.number("minutes", 0) * 60;
            unit = "minutes";
        } else if (args.has("seconds")) {
            seconds = args.number("seconds", 0);
            unit = "seconds";
        } else {
            return Result.failed("pause without seconds or minutes waits for a key press, which budgetctl "
                    + "cannot do (it runs non-interactively); give 'seconds' or 'minutes', or use wait_for "
                    + "to wait for a condition");
        }
        LocalDateTime start = LocalDateTime.now();
        long t0 = System.nanoTime();
        try {
            // like Ansible, anything under one second waits one second
            Thread.sleep(Math.max(1000L, (long) (seconds * 1000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed("pause was interrupted");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        LocalDateTime stop = LocalDateTime.now();
        // Python's round(x, 2) printed as a float: "1.0 seconds", "0.02 minutes"
        double secs = took.toMillis() / 1000.0;
        double shown = unit.equals("minutes") ? secs / 60 : secs;
        String amount = String.valueOf(Math.round(shown * 100) / 100.0);
        return Result.ok(ModuleOutput.map(
                "start", ModuleOutput.pyDateTime(start),
                "stop", ModuleOutput.pyDateTime(stop),
                "delta", (int) took.toSeconds(),
                "echo", true,
                "rc", 0,
                "stderr", "",
                "user_input", "",
                "stdout", "Paused for " + amount + " " + unit));
    }
}
