package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.template.Taint;
import io.budgetctl.engine.template.Templater;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task's arguments as its module or engine action gets them: each templated once in the host's variables, an
 * argument (or a dict entry of one) that renders to {@code omit} left out, and which of them read host data
 * ({@link TaskModuleContext}, set_fact); secrets revealed only for modules that hand values to the host. Also what an
 * include hands on to the tasks it includes: its {@code vars:} with the loop variables, and its {@code apply:}.
 */
final class TaskArgs {
    /** Modules whose arguments stay Secret objects: set_fact stores them as facts, debug only shows them. */
    private static final Set<String> KEEPS_SECRETS = Set.of("set_fact", "debug");

    /** The rendered arguments, and the names of those whose values were computed from host data or a lookup. */
    record Rendered(Map<String, Object> args, Set<String> dataArgs) {
    }

    private TaskArgs() {
    }

    /** The arguments {@code raw} (args: as {@code _variable_params}, then the task's own) rendered with vars. */
    static Rendered render(Map<String, Object> raw, Map<String, Object> vars, Templater templater,
                           SourceLocation at) {
        Map<String, Object> args = new LinkedHashMap<>();
        Set<String> data = new HashSet<>();
        Object variable = raw.get("_variable_params");
        if (variable != null) {
            Taint.Tracked<Object> t = Taint.track(() -> templater.render(variable, vars, at));
            Object v = t.value();
            if (!(v instanceof Map<?, ?> m)) {
                throw new EngineException(at, "'args' must template to a mapping, got: " + v, null);
            }
            m.forEach((k, val) -> {
                args.put(String.valueOf(k), val);
                if (t.tainted()) {
                    data.add(String.valueOf(k));
                }
            });
        }
        String omit = String.valueOf(vars.get("omit"));
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (e.getKey().equals("_variable_params")) {
                continue;
            }
            Taint.Tracked<Object> t = Taint.track(() -> e.getKey().equals("apply") || e.getValue() == null
                    ? e.getValue() : templater.render(e.getValue(), vars, at));
            Object v = t.value();
            if (v instanceof String s && s.equals(omit)) {
                continue;
            }
            args.put(e.getKey(), stripOmit(v, omit));
            if (t.tainted()) {
                data.add(e.getKey());
            } else {
                data.remove(e.getKey());
            }
        }
        return new Rendered(args, Set.copyOf(data));
    }

    /** {@code v} without the dict entries whose value is the omit placeholder, at any depth of dicts. */
    static Object stripOmit(Object v, String omit) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> {
                if (!(val instanceof String s && s.equals(omit))) {
                    out.put(k, stripOmit(val, omit));
                }
            });
            return out;
        }
        return v;
    }

    /** The arguments module {@code module} gets: secrets revealed, unless it keeps them (set_fact, debug). */
    static Map<String, Object> forModule(String module, Map<String, Object> args) {
        return KEEPS_SECRETS.contains(module) ? args : revealed(args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T revealed(T v) {
        if (v instanceof Secret s) {
            return (T) s.reveal(); // the module hands the values to the host; a Secret's toString would be the mask
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, revealed(x)));
            return (T) out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(revealed(x)));
            return (T) out;
        }
        return v;
    }

    /**
     * What an include hands on as its tasks' parameters: the include task's {@code vars:} ({@code varsKw}), then the
     * loop variables of the item ({@code itemParams}, null outside a loop).
     */
    static Map<String, Object> includeParams(Object varsKw, Map<String, Object> itemParams) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (varsKw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> p.put(String.valueOf(k), v));
        }
        if (itemParams != null) {
            p.putAll(itemParams);
        }
        return p;
    }

    /** The include's {@code apply:} keywords, for the included tasks' scope. */
    static Map<String, Object> applyKw(Map<String, Object> args) {
        return args.get("apply") instanceof Map<?, ?> m ? PlaybookLoader.asMap(m) : Map.of();
    }
}
