package io.budgetctl.modules.logic;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;

/** {@code fail}: fails the task with {@code msg} (default "Failed as requested from task"). */
public final class FailModule extends ModuleBase {
    static final String DEFAULT_MSG = "Failed as requested from task";
    private static final ArgSpec SPEC = ArgSpec.builder().arg("msg", Arg.of("raw")).build();

    public FailModule() {
        super("fail", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        Object msg = args.has("msg") ? args.raw("msg") : DEFAULT_MSG;
        return Result.failed(msg instanceof String s ? s : String.valueOf(msg), ModuleOutput.map("msg", msg));
    }
}
