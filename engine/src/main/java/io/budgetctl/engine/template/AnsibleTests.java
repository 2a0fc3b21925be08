package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Jinja2 and Ansible tests ({@code x is defined}, {@code v is version('1.2', '>=')} ...). */
final class AnsibleTests {
    private AnsibleTests() {
    }

    static void register(Context ctx) {
        for (ExpTest t : all()) {
            ctx.registerExpTest(t);
        }
    }

    static List<ExpTest> all() {
        List<ExpTest> t = new ArrayList<>();
        t.add(Fn.test("defined", true, (v, a) -> !(v instanceof Undefined)));
        t.add(Fn.test("undefined", true, (v, a) -> v instanceof Undefined));
        t.add(Fn.test("none", true, (v, a) -> v == null));
        t.add(Fn.test("string", false, (v, a) -> v instanceof CharSequence));
        t.add(Fn.test("number", false, (v, a) -> Py.isNumber(v)));
        t.add(Fn.test("integer", false, (v, a) -> Py.isIntegral(v)));
        t.add(Fn.test("float", false, (v, a) -> v instanceof Double || v instanceof Float));
        t.add(Fn.test("boolean", false, (v, a) -> v instanceof Boolean));
        t.add(Fn.test("true", false, (v, a) -> Boolean.TRUE.equals(v)));
        t.add(Fn.test("false", false, (v, a) -> Boolean.FALSE.equals(v)));
        t.add(Fn.test("mapping", false, (v, a) -> v instanceof Map));
        t.add(Fn.test("sequence", false, (v, a) -> v instanceof Collection || v instanceof CharSequence
                || v instanceof Map));
        t.add(Fn.test("iterable", false, (v, a) -> v instanceof Collection || v instanceof CharSequence
                || v instanceof Map));
        t.add(Fn.test("lower", false, (v, a) -> Py.str(v).equals(Py.str(v).toLowerCase(Locale.ROOT))));
        t.add(Fn.test("upper", false, (v, a) -> Py.str(v).equals(Py.str(v).toUpperCase(Locale.ROOT))));
        t.add(Fn.test("even", false, (v, a) -> ((Number) v).longValue() % 2 == 0));
        t.add(Fn.test("odd", false, (v, a) -> ((Number) v).longValue() % 2 != 0));
        t.add(Fn.test("divisibleby", false, (v, a) -> ((Number) v).longValue()
                % ((Number) a.get(0, "num", 1L)).longValue() == 0));
        t.add(Fn.test("truthy", false, (v, a) -> Py.truth(v)));
        t.add(Fn.test("falsy", false, (v, a) -> !Py.truth(v)));
        Fn.TestImpl eq = (v, a) -> Py.eq(v, a.get(0, "other", null));
        for (String n : List.of("eq", "equalto", "==", "sameas")) {
            t.add(Fn.test(n, false, eq));
        }
        t.add(Fn.test("ne", false, (v, a) -> !Py.eq(v, a.get(0, "other", null))));
        t.add(Fn.test("!=", false, (v, a) -> !Py.eq(v, a.get(0, "other", null))));
        t.add(Fn.test("lt", false, (v, a) -> Py.compare(v, a.get(0, "other", null)) < 0));
        t.add(Fn.test("le", false, (v, a) -> Py.compare(v, a.get(0, "other", null)) <= 0));
        t.add(Fn.test("gt", false, (v, a) -> Py.compare(v, a.get(0, "other", null)) > 0));
        t.add(Fn.test("ge", false, (v, a) -> Py.compare(v, a.get(0, "other", null)) >= 0));
        t.add(Fn.test("in", false, (v, a) -> Py.contains(a.get(0, "seq", List.of()), v)));
        t.add(Fn.test("contains", false, (v, a) -> Py.contains(v, a.get(0, "seq", null))));
        t.add(Fn.test("match", false, (v, a) -> regex(v, a).matcher(Py.str(v)).lookingAt()));
        t.add(Fn.test("search", false, (v, a) -> regex(v, a).matcher(Py.str(v)).find()));
        t.add(Fn.test("regex", false, (v, a) -> {
            Pattern p = regex(v, a);
            return Py.str(a.kw.getOrDefault("match_type", "search")).equals("match")
                    ? p.matcher(Py.str(v)).lookingAt() : p.matcher(Py.str(v)).find();
        }));
        Fn.TestImpl version = (v, a) -> Versions.compare(Py.str(v), Py.str(a.get(0, "version", "")),
                Py.str(a.get(1, "operator", "eq")), Py.truth(a.get(2, "strict", false)),
                a.get(3, "version_type", null) == null ? null : Py.str(a.get(3, "version_type", null)));
        t.add(Fn.test("version", false, version));
        t.add(Fn.test("version_compare", false, version));
        t.add(Fn.test("subset", false, (v, a) -> AnsibleFilters.list(v, "subset").stream()
                .allMatch(x -> Py.contains(a.get(0, "b", List.of()), x))));
        t.add(Fn.test("superset", false, (v, a) -> AnsibleFilters.list(a.get(0, "b", List.of()), "superset").stream()
                .allMatch(x -> Py.contains(v, x))));
        t.add(Fn.test("failed", false, (v, a) -> Py.truth(AnsibleFilters.asMap(v, "failed").get("failed"))));
        t.add(Fn.test("success", false, (v, a) -> !Py.truth(AnsibleFilters.asMap(v, "success").get("failed"))));
        t.add(Fn.test("succeeded", false, (v, a) -> !Py.truth(AnsibleFilters.asMap(v, "succeeded").get("failed"))));
        t.add(Fn.test("changed", false, (v, a) -> Py.truth(AnsibleFilters.asMap(v, "changed").get("changed"))));
        t.add(Fn.test("skipped", false, (v, a) -> Py.truth(AnsibleFilters.asMap(v, "skipped").get("skipped"))));
        t.add(Fn.test("abs", false, (v, a) -> Py.str(v).startsWith("/")));
        return t;
    }

    private static Pattern regex(Object v, Fn.Args a) {
        return PyRegex.compile(a.str(0, "pattern", ""), a.bool(1, "ignorecase", false), a.bool(2, "multiline", false));
    }
}
