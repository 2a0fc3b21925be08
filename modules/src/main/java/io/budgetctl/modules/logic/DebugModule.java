package io.budgetctl.modules.logic;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code debug}: prints {@code msg} (default "Hello world!") or the value of the expression {@code var}. Nothing runs
 * on the host. With {@code verbosity: N} it is skipped unless the run's {@code ansible_verbosity} is at least N.
 */
public final class DebugModule extends ModuleBase {
    static final String NOT_DEFINED = "VARIABLE IS NOT DEFINED!";
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("msg", Arg.of("raw"))
            .arg("var", Arg.of("raw"))
            .arg("verbosity", Arg.of("int").withDefault(0))
            .build();

    public DebugModule() {
        super("debug", SPEC, CheckMode.FULL);
    }

    @Override
    public Result run(ModuleContext ctx, Map<String, Object> given) {
        // Ansible's debug action refuses the pair before it reads any argument
        if (given.get("msg") != null && given.get("var") != null) {
            return Result.failed("'msg' and 'var' are incompatible options");
        }
        return super.run(ctx, given);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        int verbosity = args.integer("verbosity", 0);
        int current;
        try {
            Object v = ArgSpec.convert("int", ctx.vars().get("ansible_verbosity"));
            current = v == null ? 0 : ((Number) v).intValue();
        } catch (IllegalArgumentException e) {
            return Result.failed(e.getMessage());
        }
        if (current < verbosity) {
            // registered exactly as Ansible registers it (no msg), in Ansible's key order
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("skipped_reason", "Verbosity threshold not met.");
            data.put("skipped", true);
            data.put("failed", false);
            data.put("changed", false);
            return new Result.Skipped(null, data);
        }
        if (args.has("var")) {
            String expr = args.raw("var").toString();
            // var: computed from a host's answer or a lookup is data: shown as it is, never evaluated (Ansible)
            Object value = ctx.unsafe("var") ? args.raw("var") : valueOf(ctx, expr);
            return new Result.Ok(null, ModuleOutput.map(expr, value));
        }
        Object msg = args.has("msg") ? args.raw("msg") : "Hello world!";
        return new Result.Ok(msg instanceof String s ? s : null, ModuleOutput.map("msg", msg));
    }

    private static Object valueOf(ModuleContext ctx, String expr) {
        if (IDENT.matcher(expr).matches() && !ctx.vars().containsKey(expr)) {
            return NOT_DEFINED;
        }
        try {
            return ctx.templater().evaluate(expr, ctx.vars(), ctx.location());
        } catch (EngineException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("undefined") || m.contains("not defined") || m.contains("unknown token")) {
                return NOT_DEFINED;
            }
            throw e;
        }
    }
}
