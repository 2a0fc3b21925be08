package io.budgetctl.modules;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import java.util.Map;

/**
 * What every built-in module declares — its name, its argument spec and how it behaves in check mode — given once to
 * the constructor, so a module's file holds only its behaviour.
 *
 * <p>{@link #run} reads the arguments the one way Ansible's AnsibleModule does before a module's own code runs:
 * {@link ArgSpec#check} against the spec (canonical names, defaults, every value converted to its declared type,
 * choices, relations between arguments); the module gets them typed in {@link #apply} and never converts one by
 * hand. Arguments that do not pass, or a value the module itself finds unusable ({@link BadArgument}), fail the
 * task with that message.
 *
 * <p>Public, with a protected constructor and {@link #apply}, because the modules live in packages by kind
 * ({@code files}, {@code commands}, {@code docker}, {@code net}, {@code system}, {@code logic}); nothing outside
 * this module's packages extends it.
 */
public abstract class ModuleBase implements Module {
    private final String name;
    private final ArgSpec spec;
    private final CheckMode checkMode;

    protected ModuleBase(String name, ArgSpec spec, CheckMode checkMode) {
        this.name = name;
        this.spec = spec;
        this.checkMode = checkMode;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ArgSpec spec() {
        return spec;
    }

    @Override
    public final CheckMode checkMode() {
        return checkMode;
    }

    @Override
    public Result run(ModuleContext ctx, Map<String, Object> given) {
        Args args;
        try {
            args = spec.check(given);
        } catch (ArgSpec.BadArguments e) {
            return Result.failed(e.getMessage());
        }
        try {
            return apply(ctx, args);
        } catch (BadArgument e) {
            return Result.failed(e.getMessage());
        }
    }

    /** The module's work, with its arguments checked and typed. */
    protected abstract Result apply(ModuleContext ctx, Args args);
}
