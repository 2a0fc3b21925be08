package io.budgetctl.engine.module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of a module, as Ansible's argument spec ({@code module_utils/common/parameters.py},
 * {@code validation.py}): name -> {@link Arg} (type, required, default, choices, aliases, list elements) plus the
 * relations between arguments: mutually exclusive, required together, required if, required one of.
 * {@code freeForm} names the argument that receives a free-form string ({@code command: ls -l} puts "ls -l" into
 * {@code _raw_params}); null when the module takes none. {@code anyArgs} accepts argument names not listed
 * (set_fact takes any {@code key: value}); listed arguments are still checked.
 *
 * <p>Three readers, one set of decisions (what is an unknown name, a missing required argument, text outside the
 * choices), each worded for its caller:
 * <ul>
 *   <li>{@link #check(Map)} is what a module calls first (ModuleBase, as an Ansible module builds its
 *   AnsibleModule): canonical names, defaults, every value converted to its type ({@link #TYPES}), choices and
 *   relations checked, all problems in one {@link BadArguments}; it returns the typed {@link Args}. It is
 *   idempotent, so the engine may have checked the same arguments before.</li>
 *   <li>{@link #validate(Map)} (names, required, choices) is the part the loader can do before templating: every
 *   problem, unknown names first, so the loader can name the module and suggest the nearest argument.</li>
 *   <li>{@link #failure(String, Map)} is the task's failure at run time, after templating: the first problem in
 *   Ansible's order and words, as ansible-core's validator reports it.</li>
 * </ul>
 * validate and failure are not one method: the loader wants all problems, unknown names first and in its own
 * sentence, where Ansible reports one, unknown names last and in another; either one's messages would change.
 */
public record ArgSpec(Map<String, Arg> args, String freeForm, boolean anyArgs, List<List<String>> mutuallyExclusive,
                      List<List<String>> requiredTogether, List<RequiredIf> requiredIf,
                      List<List<String>> requiredOneOf) {

    /** The argument types {@link #check} converts to, as Ansible's: see {@link #convert}. */
    public static final Set<String> TYPES = Set.of("str", "path", "int", "float", "bool", "list", "dict", "raw");

    /**
     * Ansible's required_if: when {@code key} equals {@code value}, all of {@code requirements} (or, with
     * {@code any}, at least one) must be given.
     */
    public record RequiredIf(String key, Object value, List<String> requirements, boolean any) {
        public RequiredIf {
            requirements = List.copyOf(requirements);
        }
    }

    /** The problems of a module's arguments, each a sentence in Ansible's words, joined by "; ". */
    public static final class BadArguments extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final transient List<String> problems;

        public BadArguments(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /**
     * One argument: its type ({@link #TYPES}), whether it is required, its default, its choices, its other names and,
     * for a list, the type of its elements (Ansible's {@code elements}; null: as given).
     */
    public record Arg(String type, boolean required, Object defaultValue, List<String> choices, Set<String> aliases,
                      String elements) {
        public Arg {
            for (String t : elements == null ? List.of(type) : List.of(type, elements)) {
                if (!TYPES.contains(t)) {
                    throw new IllegalArgumentException("unknown argument type '" + t + "'; known: "
                            + String.join(", ", new java.util.TreeSet<>(TYPES)));
                }
            }
            if (elements != null && !type.equals("list")) {
                throw new IllegalArgumentException("elements of type " + elements + " given for an argument of type "
                        + type + "; only a list has elements");
            }
        }

        public static Arg of(String type) {
            return new Arg(type, false, null, List.of(), Set.of(), null);
        }

        public static Arg required(String type) {
            return new Arg(type, true, null, List.of(), Set.of(), null);
        }

        public Arg withDefault(Object v) {
            return new Arg(type, required, v, choices, aliases, elements);
        }

        public Arg withChoices(String... c) {
            return new Arg(type, required, defaultValue, List.of(c), aliases, elements);
        }

        public Arg withAliases(String... a) {
            return new Arg(type, required, defaultValue, choices, Set.of(a), elements);
        }

        /** A list whose every element is converted to {@code type}, as Ansible's {@code elements}. */
        public Arg withElements(String type) {
            return new Arg(this.type, required, defaultValue, choices, aliases, type);
        }
    }

    public ArgSpec {
        args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
        mutuallyExclusive = copy(mutuallyExclusive);
        requiredTogether = copy(requiredTogether);
        requiredIf = requiredIf == null ? List.of() : List.copyOf(requiredIf);
        requiredOneOf = copy(requiredOneOf);
    }

    public ArgSpec(Map<String, Arg> args, String freeForm) {
        this(args, freeForm, false);
    }

    public ArgSpec(Map<String, Arg> args, String freeForm, boolean anyArgs) {
        this(args, freeForm, anyArgs, List.of(), List.of(), List.of(), List.of());
    }

    private static List<List<String>> copy(List<List<String>> groups) {
        return groups == null ? List.of() : groups.stream().map(List::copyOf).toList();
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
            if (!takes(k)) {
                problems.add(unsupported(k));
            }
        }
        for (String name : args.keySet()) {
            if (missing(given, name)) {
                problems.add(missing(name));
            }
            String outside = textOutsideChoices(given, name);
            if (outside != null) {
                problems.add(outside);
            }
        }
        return problems;
    }

    /**
     * The message a task fails with when its arguments, as rendered at run time, are not acceptable; null when
     * they are. Ansible's argument validator decides the same way and words it the same: mutually exclusive
     * parameters, then missing required ones (all, sorted), then a value outside its choices, and only then unknown
     * parameters ({@code Unsupported parameters for (MODULE) module: x. Supported parameters include: a, b (alias).}),
     * since Ansible reports the first error it collected and collects those last.
     */
    public String failure(String module, Map<String, Object> given) {
        for (List<String> group : mutuallyExclusive) {
            if (group.stream().filter(n -> lookup(given, n, args.get(n)) != null).count() > 1) {
                return "parameters are mutually exclusive: " + String.join("|", group);
            }
        }
        List<String> missing = args.keySet().stream().filter(n -> missing(given, n)).sorted().toList();
        if (!missing.isEmpty()) {
            return "missing required arguments: " + String.join(", ", missing);
        }
        for (String name : args.keySet()) {
            String outside = textOutsideChoices(given, name);
            if (outside != null) {
                return outside;
            }
        }
        List<String> unknown = given.keySet().stream().filter(k -> !takes(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            List<String> aliases = args.values().stream().flatMap(a -> a.aliases().stream()).sorted().toList();
            return "Unsupported parameters for (" + module + ") module: " + String.join(", ", unknown)
                    + ". Supported parameters include: " + String.join(", ", args.keySet().stream().sorted().toList())
                    + (aliases.isEmpty() ? "" : " (" + String.join(", ", aliases) + ")") + ".";
        }
        return null;
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

    /** Whether this spec takes an argument called {@code name} (under any of its names, or as the free form). */
    private boolean takes(String name) {
        return anyArgs || name.equals(freeForm) || resolve(name) != null;
    }

    private String unsupported(String name) {
        return "unsupported parameter '" + name + "'; known: " + String.join(", ", args.keySet());
    }

    /** Whether the required argument {@code name} was given no value under any of its names. */
    private boolean missing(Map<String, Object> given, String name) {
        Arg a = args.get(name);
        return a.required() && lookup(given, name, a) == null;
    }

    private static String missing(String name) {
        return "missing required argument '" + name + "'";
    }

    /** Ansible's words for a value that is not one of {@code choices}. */
    private static String notAChoice(String name, List<String> choices, Object got) {
        return "value of " + name + " must be one of: " + String.join(", ", choices) + ", got: " + got;
    }

    /**
     * The problem with argument {@code name} when it was given as text that is none of its choices, else null
     * (what can be told before conversion: validate and failure; check also tests converted values and lists).
     */
    private String textOutsideChoices(Map<String, Object> given, String name) {
        Arg a = args.get(name);
        return lookup(given, name, a) instanceof String s && !a.choices().isEmpty() && !a.choices().contains(s)
                ? notAChoice(name, a.choices(), s) : null;
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

    /**
     * The arguments as the module reads them, in Ansible's order: unknown names; mutually exclusive (as given);
     * canonical names and defaults; missing required; types; choices; required together, one of, if.
     *
     * @throws BadArguments with every problem found
     */
    public Args check(Map<String, Object> given) {
        List<String> problems = new java.util.ArrayList<>();
        for (String k : given.keySet()) {
            if (!takes(k)) {
                problems.add(unsupported(k));
            }
        }
        Map<String, Object> values = normalise(given);
        for (List<String> group : mutuallyExclusive) {
            if (group.stream().filter(values::containsKey).filter(k -> !defaulted(k, given)).count() > 1) {
                problems.add("parameters are mutually exclusive: " + String.join("|", group));
            }
        }
        for (String name : args.keySet()) {
            if (missing(given, name)) {
                problems.add(missing(name));
            }
        }
        for (Map.Entry<String, Arg> e : args.entrySet()) {
            String name = e.getKey();
            Object v = values.get(name);
            if (v == null) {
                continue;
            }
            try {
                values.put(name, convert(e.getValue().type(), v));
            } catch (IllegalArgumentException ex) {
                problems.add("argument '" + name + "' is of type " + PyTypes.classOf(v)
                        + " and we were unable to convert to " + e.getValue().type() + ": " + ex.getMessage());
                continue;
            }
            if (e.getValue().elements() != null && !convertElements(name, e.getValue().elements(), values, problems)) {
                continue;
            }
            List<String> choices = e.getValue().choices();
            Object c = values.get(name);
            if (!choices.isEmpty()) {
                // Ansible's two messages (module_utils/common/parameters.py): one value, or the items of a list
                List<String> wrong = new java.util.ArrayList<>();
                for (Object item : c instanceof List<?> l ? l : List.of(c)) {
                    String text = item instanceof CharSequence cs ? cs.toString() : PyTypes.str(item);
                    if (!choices.contains(text)) {
                        wrong.add(text);
                    }
                }
                if (!wrong.isEmpty()) {
                    problems.add(c instanceof List<?> ? "value of " + name + " must be one or more of: "
                            + String.join(", ", choices) + ". Got no match for: " + String.join(", ", wrong)
                            : notAChoice(name, choices, wrong.get(0)));
                }
            }
        }
        for (List<String> group : requiredTogether) {
            long present = group.stream().filter(values::containsKey).count();
            if (present > 0 && present < group.size()) {
                problems.add("parameters are required together: " + String.join(", ", group));
            }
        }
        for (List<String> group : requiredOneOf) {
            if (group.stream().noneMatch(values::containsKey)) {
                problems.add("one of the following is required: " + String.join(", ", group));
            }
        }
        for (RequiredIf r : requiredIf) {
            Object actual = values.get(r.key());
            if (actual == null || !PyTypes.str(actual).equals(PyTypes.str(r.value()))) {
                continue;
            }
            List<String> missing = r.requirements().stream().filter(k -> !values.containsKey(k)).toList();
            if (r.any() ? missing.size() == r.requirements().size() : !missing.isEmpty()) {
                problems.add(r.key() + " is " + PyTypes.str(actual) + " but " + (r.any() ? "any" : "all")
                        + " of the following are missing: " + String.join(", ", missing));
            }
        }
        if (!problems.isEmpty()) {
            throw new BadArguments(problems);
        }
        return new Args(values);
    }

    /**
     * Converts each element of the list {@code values[name]} to {@code type}, as Ansible's {@code _validate_elements}
     * (one problem per element that does not convert, in its words). Returns false when one did not.
     */
    private static boolean convertElements(String name, String type, Map<String, Object> values,
                                           List<String> problems) {
        List<Object> out = new java.util.ArrayList<>();
        boolean ok = true;
        for (Object item : (List<?>) values.get(name)) {
            try {
                out.add(convert(type, item));
            } catch (IllegalArgumentException ex) {
                problems.add("Elements value for option '" + name + "' is of type " + PyTypes.classOf(item)
                        + " and we were unable to convert to " + type + ": " + ex.getMessage());
                ok = false;
            }
        }
        values.put(name, out);
        return ok;
    }

    /** True when {@code name} was not given (under any of its names) and only its default put it there. */
    private boolean defaulted(String name, Map<String, Object> given) {
        Arg a = args.get(name);
        return a != null && lookup(given, name, a) == null && !given.containsKey(name)
                && a.aliases().stream().noneMatch(given::containsKey);
    }

    /**
     * One value to {@code type}, as Ansible's {@code check_type_*}: str/path (a bool or number becomes its Python
     * text; other values, secrets among them, stay as they are), int (an integer, or text holding one; not a
     * float), float (a number or its text), bool ({@link Booleans#strict}), list (a list; text is split at commas;
     * a number becomes a one-element list), dict (a mapping; text as JSON or {@code k=v} pairs), raw (as is).
     *
     * @throws IllegalArgumentException with Ansible's reason
     */
    public static Object convert(String type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case "str", "path" -> v instanceof Boolean || v instanceof Number ? PyTypes.str(v) : v;
            case "int" -> toInt(v);
            case "float" -> toFloat(v);
            case "bool" -> Booleans.strict(v);
            case "list" -> toList(v);
            case "dict" -> toDict(v);
            default -> v;
        };
    }

    private static Object toInt(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (PyTypes.integral(v)) {
            return v;
        }
        if (v instanceof CharSequence cs) {
            try {
                long n = Long.parseLong(cs.toString().strip().replace("_", ""));
                return n == (int) n ? (Object) (int) n : (Object) n;
            } catch (NumberFormatException e) {
                // as for any other type
            }
        }
        throw new IllegalArgumentException(PyTypes.classOf(v) + " cannot be converted to an int");
    }

    private static Object toFloat(Object v) {
        if (v instanceof Number n && !(v instanceof Boolean)) {
            return n.doubleValue();
        }
        if (v instanceof CharSequence cs) {
            try {
                return Double.parseDouble(cs.toString().strip());
            } catch (NumberFormatException e) {
                // as for any other type
            }
        }
        throw new IllegalArgumentException(PyTypes.classOf(v) + " cannot be converted to a float");
    }

    private static Object toList(Object v) {
        if (v instanceof List<?>) {
            return v;
        }
        if (v instanceof CharSequence cs) {
            return List.of(cs.toString().split(",", -1));
        }
        if (v instanceof Number || v instanceof Boolean) {
            return List.of(PyTypes.str(v));
        }
        throw new IllegalArgumentException(PyTypes.classOf(v) + " cannot be converted to a list");
    }

    private static Object toDict(Object v) {
        if (v instanceof Map<?, ?>) {
            return v;
        }
        if (v instanceof CharSequence cs) {
            String text = cs.toString().strip();
            if (text.startsWith("{")) {
                try {
                    return new com.fasterxml.jackson.databind.ObjectMapper().readValue(text, LinkedHashMap.class);
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("unable to evaluate string as dictionary");
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (String pair : text.split("[,\\s]+")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("dictionary requested, could not parse JSON or key=value");
                }
                out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            return out;
        }
        throw new IllegalArgumentException(PyTypes.classOf(v) + " cannot be converted to a dict");
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
        private final List<List<String>> mutuallyExclusive = new java.util.ArrayList<>();
        private final List<List<String>> requiredTogether = new java.util.ArrayList<>();
        private final List<RequiredIf> requiredIf = new java.util.ArrayList<>();
        private final List<List<String>> requiredOneOf = new java.util.ArrayList<>();

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

        /** At most one of these may be given ("parameters are mutually exclusive: a|b"). */
        public Builder mutuallyExclusive(String... names) {
            mutuallyExclusive.add(List.of(names));
            return this;
        }

        /** All or none of these ("parameters are required together: a, b"). */
        public Builder requiredTogether(String... names) {
            requiredTogether.add(List.of(names));
            return this;
        }

        /** At least one of these ("one of the following is required: a, b"). */
        public Builder requiredOneOf(String... names) {
            requiredOneOf.add(List.of(names));
            return this;
        }

        /** When {@code key} is {@code value}, all of {@code names} ("state is link but all of the following ..."). */
        public Builder requiredIf(String key, Object value, String... names) {
            requiredIf.add(new RequiredIf(key, value, List.of(names), false));
            return this;
        }

        /** When {@code key} is {@code value}, at least one of {@code names}. */
        public Builder requiredIfAny(String key, Object value, String... names) {
            requiredIf.add(new RequiredIf(key, value, List.of(names), true));
            return this;
        }

        public ArgSpec build() {
            return new ArgSpec(args, freeForm, anyArgs, mutuallyExclusive, requiredTogether, requiredIf,
                    requiredOneOf);
        }
    }
}
