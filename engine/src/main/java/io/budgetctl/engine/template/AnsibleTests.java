package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Jinja2 and Ansible tests ({@code x is defined}, {@code v is version('1.2', '>=')} ...), each declaring what
 * follows the value as its Python function does, so arguments bind (and fail) as they do there.
 */
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
        t.add(Fn.test("defined", "", true, (v, a) -> !(v instanceof Undefined)));
        t.add(Fn.test("undefined", "", true, (v, a) -> v instanceof Undefined));
        t.add(Fn.test("none", "", true, (v, a) -> v == null));
        t.add(Fn.test("string", "", false, (v, a) -> v instanceof CharSequence));
        t.add(Fn.test("number", "", false, (v, a) -> Py.isNumber(v)));
        t.add(Fn.test("integer", "", false, (v, a) -> Py.isIntegral(v)));
        t.add(Fn.test("float", "", false, (v, a) -> v instanceof Double || v instanceof Float));
        t.add(Fn.test("boolean", "", false, (v, a) -> v instanceof Boolean));
        t.add(Fn.test("true", "", false, (v, a) -> Boolean.TRUE.equals(v)));
        t.add(Fn.test("false", "", false, (v, a) -> Boolean.FALSE.equals(v)));
        t.add(Fn.test("mapping", "", false, (v, a) -> v instanceof Map));
        t.add(Fn.test("sequence", "", false, (v, a) -> v instanceof Collection || v instanceof CharSequence
                || v instanceof Map));
        t.add(Fn.test("iterable", "", false, (v, a) -> v instanceof Collection || v instanceof CharSequence
                || v instanceof Map));
        t.add(Fn.test("lower", "", false, (v, a) -> PyStr.isLower(Py.str(v))));
        t.add(Fn.test("upper", "", false, (v, a) -> PyStr.isUpper(Py.str(v))));
        t.add(Fn.test("even", "", false, (v, a) -> remainder(v, 2L, "even") == 0));
        t.add(Fn.test("odd", "", false, (v, a) -> remainder(v, 2L, "odd") == 1));
        t.add(Fn.test("divisibleby", "num", false, (v, a) -> remainder(v, a.get("num"), "divisibleby") == 0));
        t.add(Fn.test("truthy", "convert_bool=False", false, (v, a) -> truthy(v, a.bool("convert_bool"))));
        t.add(Fn.test("falsy", "convert_bool=False", false, (v, a) -> !truthy(v, a.bool("convert_bool"))));
        // Jinja2's operator tests are operator.eq & co.: one positional-only argument
        Fn.TestImpl eq = (v, a) -> Py.eq(v, a.get("b"));
        for (String n : List.of("eq", "equalto", "==")) {
            t.add(Fn.test(n, "b, /", false, eq));
        }
        t.add(Fn.test("sameas", "other", false, (v, a) -> Py.eq(v, a.get("other"))));
        t.add(Fn.test("ne", "b, /", false, (v, a) -> !Py.eq(v, a.get("b"))));
        t.add(Fn.test("!=", "b, /", false, (v, a) -> !Py.eq(v, a.get("b"))));
        t.add(Fn.test("lt", "b, /", false, (v, a) -> Py.compare(v, a.get("b")) < 0));
        t.add(Fn.test("le", "b, /", false, (v, a) -> Py.compare(v, a.get("b")) <= 0));
        t.add(Fn.test("gt", "b, /", false, (v, a) -> Py.compare(v, a.get("b")) > 0));
        t.add(Fn.test("ge", "b, /", false, (v, a) -> Py.compare(v, a.get("b")) >= 0));
        t.add(Fn.test("in", "seq", false, (v, a) -> Py.contains(a.get("seq"), v)));
        t.add(Fn.test("contains", "value", false, (v, a) -> Py.contains(v, a.get("value"))));
        String re = "pattern='', ignorecase=False, multiline=False";
        t.add(Fn.test("match", re, false, (v, a) -> regex(v, a, "match")));
        t.add(Fn.test("search", re, false, (v, a) -> regex(v, a, "search")));
        t.add(Fn.test("regex", re + ", match_type='search'", false, (v, a) -> regex(v, a, a.str("match_type"))));
        Fn.TestImpl version = AnsibleTests::version;
        t.add(Fn.test("version", "version, operator='eq', strict=None, version_type=None", false, version));
        t.add(Fn.test("version_compare", "version, operator='eq', strict=None, version_type=None", false, version));
        t.add(Fn.test("subset", "b", false, (v, a) -> AnsibleFilters.list(v, "subset").stream()
                .allMatch(x -> Py.contains(a.get("b"), x))));
        t.add(Fn.test("superset", "b", false, (v, a) -> AnsibleFilters.list(a.get("b"), "superset").stream()
                .allMatch(x -> Py.contains(v, x))));
        t.add(Fn.test("failed", "", false, (v, a) -> Py.truth(AnsibleFilters.asMap(v, "failed").get("failed"))));
        t.add(Fn.test("success", "", false, (v, a) -> !Py.truth(AnsibleFilters.asMap(v, "success").get("failed"))));
        t.add(Fn.test("succeeded", "", false, (v, a) -> !Py.truth(AnsibleFilters.asMap(v, "succeeded")
                .get("failed"))));
        t.add(Fn.test("changed", "", false, (v, a) -> Py.truth(AnsibleFilters.asMap(v, "changed").get("changed"))));
        t.add(Fn.test("skipped", "", false, (v, a) -> Py.truth(AnsibleFilters.asMap(v, "skipped").get("skipped"))));
        t.add(Fn.test("abs", "", false, (v, a) -> Py.str(v).startsWith("/")));
        return t;
    }

    /** Python's {@code value % by} for the number tests (the divisor's sign, as Python's % has it). */
    private static double remainder(Object v, Object by, String who) {
        Number x = number(v, who, "the value");
        Number y = number(by, who, "num");
        if (y.doubleValue() == 0) {
            throw new TemplateFailure(who + ": integer division or modulo by zero", "divide by a number other than 0");
        }
        if (Py.isIntegral(x) && Py.isIntegral(y)) {
            return Math.floorMod(x.longValue(), y.longValue());
        }
        return x.doubleValue() - y.doubleValue() * Math.floor(x.doubleValue() / y.doubleValue());
    }

    private static Number number(Object o, String who, String what) {
        if (o instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (Py.isNumber(o)) {
            return (Number) o;
        }
        throw new TemplateFailure(who + ": " + what + " must be a number, got " + Py.typeName(o),
                "test numbers: {{ x | int is " + who + " }}");
    }

    /** Ansible's truthy: Python truth, after Ansible's boolean() of the value when convert_bool (if it is one). */
    private static boolean truthy(Object v, boolean convertBool) {
        if (convertBool) {
            try {
                return io.budgetctl.engine.module.Booleans.strict(v);
            } catch (IllegalArgumentException e) {
                // not a boolean spelling: Ansible keeps the value as it is
            }
        }
        return Py.truth(v);
    }

    /** Ansible's regex test: re's search, match or fullmatch of the pattern. */
    private static boolean regex(Object v, Fn.Args a, String matchType) {
        Matcher m = PyRegex.compile(a.str("pattern"), a.bool("ignorecase"), a.bool("multiline"))
                .matcher(Py.str(v));
        return switch (matchType) {
            case "search" -> m.find();
            case "match" -> m.lookingAt();
            case "fullmatch" -> m.matches();
            default -> throw new TemplateFailure("regex: match_type must be 'search', 'match' or 'fullmatch', not '"
                    + matchType + "'", "leave match_type out for search");
        };
    }

    /** Ansible's version test: LooseVersion, or StrictVersion with strict=True or version_type='strict'. */
    private static boolean version(Object v, Fn.Args a) {
        Object strict = a.get("strict");
        String type = a.str("version_type");
        if (strict != null && type != null) {
            throw new TemplateFailure("Cannot specify both 'strict' and 'version_type'", "give one of them");
        }
        if (type != null && !type.equals("loose") && !type.equals("strict")) {
            throw List.of("semver", "semantic", "pep440").contains(type)
                    ? new TemplateFailure(a.who + ": version_type '" + type + "' is not supported here",
                            "use version_type='loose' (the default) or 'strict'")
                    : new TemplateFailure("Invalid version type (" + type + "). Must be one of 'loose', 'strict', "
                            + "'semver', 'semantic', 'pep440'", "use version_type='loose' (the default) or 'strict'");
        }
        return Versions.compare(Py.str(v), Py.str(a.get("version")), a.str("operator"),
                Py.truth(strict) || "strict".equals(type));
    }
}
