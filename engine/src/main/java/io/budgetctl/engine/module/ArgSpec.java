package io.budgetctl.engine.module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of a module: name -> {@link Arg}. {@code freeForm} names the argument that receives a free-form
 * string ({@code command: ls -l} puts "ls -l" into {@code _raw_params}); null when the module takes none.
 * Validation (unknown argument -> nearest known names; missing required; wrong choice) lives in
 * {@link #validate(Map)} so every module gets the same messages. {@code anyArgs} accepts argument names not listed
 * (set_fact takes any {@code key: value}); listed arguments are still checked.
 */
public record ArgSpec(Map<String, Arg> args, String freeForm, boolean anyArgs) {

    public record Arg(String type, boolean required, Object defaultValue, List<String> choices, Set<String> aliases) {
        public static Arg of(String type) {
            return new Arg(type, false, null, List.of(), Set.of());
        }

        public static Arg required(String type) {
            return new Arg(type, true, null, List.of(), Set.of());
        }

        public Arg withDefault(Object v) {
            return new Arg(type, required, v, choices, aliases);
        }

        public Arg withChoices(String... c) {
            return new Arg(type, required, defaultValue, List.of(c), aliases);
        }

        public Arg withAliases(String... a) {
            return new Arg(type, required, defaultValue, choices, Set.of(a));
        }
    }

    public ArgSpec {
        args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    public ArgSpec(Map<String, Arg> args, String freeForm) {
        this(args, freeForm, false);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the list of problems (empty when fine): unknown arguments, missing required ones, values outside
     * choices. Messages are complete sentences; the caller adds file:line:column.
     */
    public List<String> validate(Map<String, Object> given) {
        List<String> problems = new java.util.ArrayList<>();
        for (String k : given.keySet()) {
            if (anyArgs || k.equals(freeForm) || resolve(k) != null) {
                continue;
            }
            problems.add("unsupported parameter '" + k + "'; known: " + String.join(", ", args.keySet()));
        }
        for (Map.Entry<String, Arg> e : args.entrySet()) {
            Arg a = e.getValue();
            Object v = lookup(given, e.getKey(), a);
            if (a.required() && v == null) {
                problems.add("missing required argument '" + e.getKey() + "'");
            }
            if (v != null && !a.choices().isEmpty() && v instanceof String s && !a.choices().contains(s)) {
                problems.add("value of '" + e.getKey() + "' must be one of: " + String.join(", ", a.choices())
                        + "; got: " + s);
            }
        }
        return problems;
    }

    /** Canonical argument name for a given name or alias, or null. */
    public String resolve(String name) {
        if (args.containsKey(name)) {
            return name;
        }
        for (Map.Entry<String, Arg> e : args.entrySet()) {
            if (e.getValue().aliases().contains(name)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Arguments under their canonical names with defaults filled in. */
    public Map<String, Object> normalise(Map<String, Object> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            String k = e.getKey().equals(freeForm) ? freeForm : resolve(e.getKey());
            out.put(k == null ? e.getKey() : k, e.getValue());
        }
        for (Map.Entry<String, Arg> e : args.entrySet()) {
            if (!out.containsKey(e.getKey()) && e.getValue().defaultValue() != null) {
                out.put(e.getKey(), e.getValue().defaultValue());
            }
        }
        return out;
    }

    private Object lookup(Map<String, Object> given, String name, Arg a) {
        if (given.containsKey(name)) {
            return given.get(name);
        }
        for (String al : a.aliases()) {
            if (given.containsKey(al)) {
                return given.get(al);
            }
        }
        return null;
    }

    public static final class Builder {
        private final Map<String, Arg> args = new LinkedHashMap<>();
        private String freeForm;
        private boolean anyArgs;

        public Builder arg(String name, Arg a) {
            args.put(name, a);
            return this;
        }

        public Builder freeForm(String name) {
            this.freeForm = name;
            return this;
        }

        /** Accept argument names that are not listed (set_fact). */
        public Builder anyArgs() {
            this.anyArgs = true;
            return this;
        }

        public ArgSpec build() {
            return new ArgSpec(args, freeForm, anyArgs);
        }
    }
}
