package io.budgetctl.modules;

import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import java.util.Map;

/**
 * What every file module does around its own work: arguments under their canonical names with defaults filled in,
 * and a {@link FileSupport.BadArgument} (a value the module cannot use) turned into a failed result with its message.
 */
abstract class FileModuleBase extends ModuleBase {

    FileModuleBase(String name, io.budgetctl.engine.module.ArgSpec spec, CheckMode checkMode) {
        super(name, spec, checkMode);
    }

    @Override
    public final Result run(ModuleContext ctx, Map<String, Object> rawArgs) {
        Map<String, Object> args = spec().normalise(rawArgs);
        try {
            return apply(ctx, args);
        } catch (FileSupport.BadArgument e) {
            return Result.failed(e.getMessage());
        }
    }

    /** The module's work, with normalised arguments. */
    abstract Result apply(ModuleContext ctx, Map<String, Object> args);
}
