package io.budgetctl.modules.logic;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.template.ConditionTemplates;
import io.budgetctl.engine.template.Taint;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code assert}: evaluates each expression of {@code that} (a string or list of bare Jinja2 expressions, like
 * {@code when:}) and fails on the first false one with {@code fail_msg} (alias {@code msg}, default "Assertion
 * failed"). Nothing runs on the host.
 */
public final class AssertModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            // raw, not list: a condition is never split at its commas; one condition is wrapped in a list
            .arg("that", Arg.required("raw"))
            .arg("fail_msg", Arg.of("raw").withAliases("msg"))
            .arg("success_msg", Arg.of("raw"))
            .arg("quiet", Arg.of("bool").withDefault(false))
            .build();

    public AssertModule() {
        super("assert", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args checked) {
        Map<String, Object> args = checked.map();
        Object that = args.get("that");
        if (that == null) {
            return Result.failed("conditional required in \"that\" string");
        }
        List<String> conditions = new ArrayList<>();
        if (that instanceof Collection<?> c) {
            c.forEach(o -> conditions.add(String.valueOf(o)));
        } else {
            conditions.add(String.valueOf(that));
        }
        // as Ansible's action: the items of a list written in the task (not one templated into it) are conditions as
        // written, so an item with {{ }} gets the same warning as such a when:; a single string is templated first
        List<?> written = ctx.written("that") instanceof List<?> l && l.size() == conditions.size() ? l : List.of();
        Object failMsg = args.get("fail_msg") == null ? "Assertion failed" : args.get("fail_msg");
        Object successMsg = args.get("success_msg") == null ? "All assertions passed" : args.get("success_msg");
        for (int i = 0; i < conditions.size(); i++) {
            String condition = conditions.get(i);
            // a failed assertion names the condition as written, {{ }} included, as Ansible's does
            boolean asWritten = i < written.size() && written.get(i) instanceof String;
            String shown = asWritten ? (String) written.get(i) : condition;
            if (asWritten && ConditionTemplates.isTemplate(shown)) {
                ctx.warn(ConditionTemplates.DELIMITERS_WARNING + shown);
            }
            boolean ok;
            try {
                ok = ctx.unsafe("that")
                        // text from a host or a lookup: evaluated with lookups refused, as Ansible does
                        ? Taint.withoutLookups(() -> ctx.templater().isTrue(condition, ctx.vars(), ctx.location()))
                        : ctx.templater().isTrue(condition, ctx.vars(), ctx.location());
            } catch (EngineException e) {
                return Result.failed("The conditional check '" + shown + "' failed. The error was: "
                        + e.getMessage());
            }
            if (!ok) {
                // the keys in the order Ansible's action sets them (to_json of a registered result shows it)
                return Result.failed(failMsg instanceof String s ? s : String.valueOf(failMsg), verbose(args,
                        ModuleOutput.map("evaluated_to", false, "assertion", shown, "msg", failMsg)));
            }
        }
        return new Result.Ok(successMsg instanceof String s ? s : String.valueOf(successMsg),
                verbose(args, ModuleOutput.map("changed", false, "msg", successMsg)));
    }

    /** Ansible's assert shows its result at any verbosity, passed or failed, unless quiet (as debug does). */
    private static Map<String, Object> verbose(Map<String, Object> args, Map<String, Object> data) {
        if (!Boolean.TRUE.equals(args.get("quiet"))) {
            data.put(Result.VERBOSE_ALWAYS, true);
        }
        return data;
    }
}
