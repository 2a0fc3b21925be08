package io.budgetctl.engine.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Python str methods templates call on strings. */
final class PyStr {
    static final Object NO_METHOD = new Object();

    private PyStr() {
    }

    static Object call(String s, String method, Object[] a) {
        return switch (method) {
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> StringFilters.title(s);
            case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT)
                    + s.substring(1).toLowerCase(Locale.ROOT);
            case "strip" -> a.length == 0 || a[0] == null ? s.strip() : StringFilters.strip(s, Py.str(a[0]));
            case "lstrip" -> a.length == 0 || a[0] == null ? s.stripLeading() : lstrip(s, Py.str(a[0]));
            case "rstrip" -> a.length == 0 || a[0] == null ? s.stripTrailing() : rstrip(s, Py.str(a[0]));
            case "startswith" -> prefixes(a[0]).stream().anyMatch(s::startsWith);
            case "endswith" -> prefixes(a[0]).stream().anyMatch(s::endsWith);
            case "split" -> StringFilters.split(s, a.length > 0 && a[0] != null ? Py.str(a[0]) : null,
                    a.length > 1 ? ((Number) a[1]).intValue() : -1);
            case "splitlines" -> new ArrayList<Object>(s.lines().toList());
            case "replace" -> s.replace(Py.str(a[0]), Py.str(a[1]));
            case "find" -> (long) s.indexOf(Py.str(a[0]));
            case "rfind" -> (long) s.lastIndexOf(Py.str(a[0]));
            case "count" -> (long) count(s, Py.str(a[0]));
            case "join" -> {
                List<String> parts = new ArrayList<>();
                AnsibleFilters.list(a[0], "join").forEach(x -> parts.add(Py.str(x)));
                yield String.join(s, parts);
            }
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "islower" -> s.equals(s.toLowerCase(Locale.ROOT)) && !s.equals(s.toUpperCase(Locale.ROOT));
            case "isupper" -> s.equals(s.toUpperCase(Locale.ROOT)) && !s.equals(s.toLowerCase(Locale.ROOT));
            case "zfill" -> {
                int w = ((Number) a[0]).intValue();
                yield s.length() >= w ? s : "0".repeat(w - s.length()) + s;
            }
            case "format" -> NO_METHOD;
            default -> NO_METHOD;
        };
    }

    private static List<String> prefixes(Object arg) {
        if (arg instanceof List<?> l) {
            return l.stream().map(Py::str).toList();
        }
        return List.of(Py.str(arg));
    }

    private static String lstrip(String s, String chars) {
        int b = 0;
        while (b < s.length() && chars.indexOf(s.charAt(b)) >= 0) {
            b++;
        }
        return s.substring(b);
    }

    private static String rstrip(String s, String chars) {
        int e = s.length();
        while (e > 0 && chars.indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return s.substring(0, e);
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
            n++;
        }
        return n;
    }
}
