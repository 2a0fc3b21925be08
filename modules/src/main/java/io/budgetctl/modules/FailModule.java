package io.budgetctl.modules;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import java.util.Map;

/** {@code fail}: fails the task with {@code msg} (default "Failed as requested from task"). */
public final class FailModule extends ModuleBase {
    static final String DEFAULT_MSG = "Failed as requested from task";
    private static final ArgSpec SPEC = ArgSpec.builder().arg("msg", Arg.of("raw")).build();

    public FailModule() {
        super("fail", SPEC, CheckMode.FULL);
    }

    @Override
    public Result run(ModuleContext ctx, Map<String, Object> args) {
        Object msg = args.get("msg") == null ? DEFAULT_MSG : args.get("msg");
        return Result.failed(msg instanceof String s ? s : String.valueOf(msg), CommandSupport.map("msg", msg));
    }
}
