package io.budgetctl.engine.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Python {@code re} patterns and replacement strings in Java's regex dialect. */
final class PyRegex {
    private PyRegex() {
    }

    static Pattern compile(String pattern, boolean ignoreCase, boolean multiline) {
        String p = pattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        int flags = (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)
                | (multiline ? Pattern.MULTILINE : 0) | Pattern.UNICODE_CHARACTER_CLASS;
        try {
            return Pattern.compile(p, flags);
        } catch (IllegalArgumentException e) {
            throw new TemplateFailure("invalid regular expression '" + pattern + "': " + e.getMessage(),
                    "regular expressions use Python's re syntax");
        }
    }

    /** Expands a Python replacement ({@code \1}, {@code \g<1>}, {@code \g<name>}, {@code \n}) for one match. */
    static String expand(String repl, Matcher m) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < repl.length(); i++) {
            char c = repl.charAt(i);
            if (c != '\\' || i + 1 >= repl.length()) {
                sb.append(c);
                continue;
            }
            char n = repl.charAt(++i);
            if (Character.isDigit(n)) {
                int j = i;
                while (j < repl.length() && j < i + 2 && Character.isDigit(repl.charAt(j))) {
                    j++;
                }
                String g = m.group(Integer.parseInt(repl.substring(i, j)));
                sb.append(g == null ? "" : g);
                i = j - 1;
            } else if (n == 'g' && i + 1 < repl.length() && repl.charAt(i + 1) == '<') {
                int end = repl.indexOf('>', i);
                String name = repl.substring(i + 2, end);
                String g = name.chars().allMatch(Character::isDigit) ? m.group(Integer.parseInt(name)) : m.group(name);
                sb.append(g == null ? "" : g);
                i = end;
            } else if (n == 'n') {
                sb.append('\n');
            } else if (n == 't') {
                sb.append('\t');
            } else if (n == 'r') {
                sb.append('\r');
            } else if (n == '\\') {
                sb.append('\\');
            } else {
                sb.append('\\').append(n);
            }
        }
        return sb.toString();
    }
}
