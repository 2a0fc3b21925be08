package io.budgetctl.engine.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code version} test: LooseVersion semantics (numbers compare as numbers, letters as text, '.' separates).
 * {@code strict=True} additionally requires the StrictVersion form N.N[.N][(a|b)N].
 */
final class Versions {
    private static final Pattern PART = Pattern.compile("(\\d+|[a-z]+|\\.)", Pattern.CASE_INSENSITIVE);
    private static final Pattern STRICT = Pattern.compile("^(\\d+)\\.(\\d+)(\\.(\\d+))?([ab](\\d+))?$");

    private Versions() {
    }

    static boolean compare(String value, String version, String operator, boolean strict) {
        if (value.isEmpty()) {
            throw new TemplateFailure("Input version value cannot be empty", null);
        }
        if (version.isEmpty()) {
            throw new TemplateFailure("Version parameter to compare against cannot be empty", null);
        }
        if (strict && !(STRICT.matcher(value).matches() && STRICT.matcher(version).matches())) {
            throw new TemplateFailure("Version comparison failed: invalid version number", null);
        }
        int c = compareLoose(parse(value), parse(version));
        return switch (operator) {
            case "==", "=", "eq" -> c == 0;
            case "<", "lt" -> c < 0;
            case "<=", "le" -> c <= 0;
            case ">", "gt" -> c > 0;
            case ">=", "ge" -> c >= 0;
            case "!=", "<>", "ne" -> c != 0;
            default -> throw new TemplateFailure("Invalid operator type (" + operator + ")",
                    "use one of ==, !=, <, <=, >, >=, eq, ne, lt, le, gt, ge");
        };
    }

    private static List<Object> parse(String v) {
        List<Object> parts = new ArrayList<>();
        Matcher m = PART.matcher(v);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(v.substring(last, m.start()));
            }
            String p = m.group();
            if (!p.equals(".")) {
                parts.add(Character.isDigit(p.charAt(0)) ? (Object) Long.parseLong(p) : p);
            }
            last = m.end();
        }
        if (last < v.length()) {
            parts.add(v.substring(last));
        }
        return parts;
    }

    private static int compareLoose(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x instanceof Long && y instanceof String || x instanceof String && y instanceof Long) {
                throw new TemplateFailure("Version comparison failed: '<' not supported between instances of '"
                        + Py.typeName(x) + "' and '" + Py.typeName(y) + "'", null);
            }
            int c = Py.compare(x, y);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
