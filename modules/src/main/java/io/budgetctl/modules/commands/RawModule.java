package io.budgetctl.modules.commands;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.util.LinkedHashMap;

/**
 * {@code raw}: the free-form string run as it is by {@code /bin/sh -c} (or {@code executable=}), with none of
 * command's checks: no creates/removes/chdir, output kept as printed (not stripped), always "changed", failed on a
 * non-zero exit with Ansible's "non-zero return code". In check mode it is skipped, as Ansible's raw action does.
 * The string is one argv word: nothing of it is re-quoted or templated again.
 */
public final class RawModule extends ModuleBase {
    private static final String RAW = "_raw_params";
    private static final ArgSpec SPEC = ArgSpec.builder()
            .freeForm(RAW)
            .arg("executable", Arg.of("path"))
            .build();

    public RawModule() {
        super("raw", SPEC, CheckMode.PARTIAL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        Object raw = args.raw(RAW);
        if (raw == null || raw.toString().isBlank()) {
            return Result.failed("no command given", ModuleOutput.map("rc", 256));
        }
        if (ctx.check()) {
            return new Result.Skipped(null, new LinkedHashMap<>());
        }
        String exe = args.str("executable");
        ExecResult r = ctx.exec(ExecRequest.of(exe == null || exe.isBlank() ? "/bin/sh" : exe, "-c",
                raw.toString()));
        return CommandSupport.unstripped(r);
    }
}
