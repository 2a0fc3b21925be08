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
 * {@code set_fact}: every {@code key: value} becomes a host fact (a key written with {{ }} is templated; text
 * {@code true/false/yes/no} becomes a boolean, as Ansible 2.14 does). The module only returns
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
            // as Ansible's action: a name written with {{ }} is templated (never one that came from data)
            String name = e.getKey();
            if (!ctx.unsafe(name) && (name.contains("{{") || name.contains("{%"))) {
                name = String.valueOf(ctx.templater().render(name, ctx.vars(), ctx.location()));
            }
            if (!NAME.matcher(name).matches()) {
                return Result.failed("The variable name '" + name + "' is not valid. Variables must start "
                        + "with a letter or underscore character, and contain only letters, numbers and underscores.");
            }
            facts.put(name, yamlBoolean(e.getValue()));
        }
        if (facts.isEmpty()) {
            return Result.failed("No key/value pairs provided, at least one is required for this action to succeed");
        }
        return Result.ok(ModuleOutput.map("ansible_facts", facts));
    }

    /**
     * Ansible 2.14's set_fact (jinja2_native off) turns text that is {@code true false yes no} in any case into a
     * boolean, after templating: {@code enabled: "yes"} is True, as {@code when: enabled} expects.
     */
    static Object yamlBoolean(Object v) {
        if (v instanceof String s) {
            String l = s.toLowerCase(java.util.Locale.ROOT);
            if (l.equals("true") || l.equals("yes")) {
                return true;
            }
            if (l.equals("false") || l.equals("no")) {
                return false;
            }
        }
        return v;
    }
}
