package io.budgetctl.modules.logic;

import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code set_fact}: every {@code key: value} becomes a host fact. The module only returns
 * {@code {"ansible_facts": {...}}}; the executor applies those facts to the host's variables. {@code cacheable} is
 * accepted and ignored (there is no fact cache).
 */
public final class SetFactModule extends ModuleBase {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("cacheable", Arg.of("bool").withDefault(false))
            .anyArgs()
            .build();

    public SetFactModule() {
        super("set_fact", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        Map<String, Object> facts = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : args.map().entrySet()) {
            if (e.getKey().equals("cacheable")) {
                continue;
            }
            if (!NAME.matcher(e.getKey()).matches()) {
                return Result.failed("The variable name '" + e.getKey() + "' is not valid. Variables must start "
                        + "with a letter or underscore character, and contain only letters, numbers and underscores.");
            }
            facts.put(e.getKey(), e.getValue());
        }
        if (facts.isEmpty()) {
            return Result.failed("No key/value pairs provided, at least one is required for this action to succeed");
        }
        return Result.ok(ModuleOutput.map("ansible_facts", facts));
    }
}
