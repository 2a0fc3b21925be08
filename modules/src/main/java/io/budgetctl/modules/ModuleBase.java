package io.budgetctl.modules;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Module;

/**
 * What every built-in module declares — its name, its argument spec and how it behaves in check mode — given once to
 * the constructor, so a module's file holds only its behaviour.
 */
abstract class ModuleBase implements Module {
    private final String name;
    private final ArgSpec spec;
    private final CheckMode checkMode;

    ModuleBase(String name, ArgSpec spec, CheckMode checkMode) {
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
}
