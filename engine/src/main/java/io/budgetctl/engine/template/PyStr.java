package io.budgetctl.engine.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Python str methods templates call on strings. Where a filter does the same thing (capitalize, strip, replace,
 * split) both call one implementation in StringFilters; str.title is not Jinja2's title filter ("it's" gives
 * "It'S"), so it is here.
 */
final class PyStr {
    static final Object NO_METHOD = new Object();

    private PyStr() {
    }

    static Object call(String s, String method, Object[] a) {
        return switch (method) {
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> StringFilters.capitalize(s);
            case "strip" -> StringFilters.strip(s, chars(a), true, true);
            case "lstrip" -> StringFilters.strip(s, chars(a), true, false);
            case "rstrip" -> StringFilters.strip(s, chars(a), false, true);
            case "startswith" -> prefixes(a[0]).stream().anyMatch(s::startsWith);
            case "endswith" -> prefixes(a[0]).stream().anyMatch(s::endsWith);
            case "split" -> StringFilters.split(s, a.length > 0 && a[0] != null ? Py.str(a[0]) : null,
                    a.length > 1 ? ((Number) a[1]).longValue() : -1);
            case "splitlines" -> new ArrayList<Object>(PyText.splitlines(s));
            case "replace" -> StringFilters.replace(s, Py.str(a[0]), Py.str(a[1]),
                    a.length > 2 ? ((Number) a[2]).longValue() : -1);
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
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(StringFilters::isSpace);
            case "islower" -> isLower(s);
            case "isupper" -> isUpper(s);
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

    /** Python's str.islower: some letter has case and none is upper case ("a1" is, "1" is not). */
    static boolean isLower(String s) {
        return s.equals(s.toLowerCase(Locale.ROOT)) && !s.equals(s.toUpperCase(Locale.ROOT));
    }

    /** Python's str.isupper: some letter has case and none is lower case. */
    static boolean isUpper(String s) {
        return s.equals(s.toUpperCase(Locale.ROOT)) && !s.equals(s.toLowerCase(Locale.ROOT));
    }

    /** The characters argument of strip/lstrip/rstrip; None or none given means white space. */
    private static String chars(Object[] a) {
        return a.length == 0 || a[0] == null ? null : Py.str(a[0]);
    }

    /** Python's str.title: a letter after a cased letter lower case, any other letter title case ("2Nd", "It'S"). */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean afterCased = false;
        for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i))) {
            int cp = s.codePointAt(i);
            sb.append(afterCased ? new String(Character.toChars(cp)).toLowerCase(Locale.ROOT)
                    : StringFilters.titleCase(cp));
            afterCased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
        }
        return sb.toString();
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
