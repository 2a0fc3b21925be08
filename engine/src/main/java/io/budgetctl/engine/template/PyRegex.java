package io.budgetctl.engine.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python {@code re} patterns and replacement strings in Java's regex dialect: the one place for them (the
 * {@code regex_*} filters, and the lineinfile, blockinfile and replace modules).
 */
public final class PyRegex {
    private PyRegex() {
    }

    /** The Python-only spellings people use, in Java's: {@code (?P<name>...)} and {@code (?P=name)}. */
    public static String javaSyntax(String pattern) {
        return pattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
    }

    static Pattern compile(String pattern, boolean ignoreCase, boolean multiline) {
        String p = javaSyntax(pattern);
        // only \n ends a line and . matches \r, as in Python
        int flags = (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)
                | (multiline ? Pattern.MULTILINE : 0) | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
        try {
            return Pattern.compile(p, flags);
        } catch (IllegalArgumentException e) {
            throw new TemplateFailure("invalid regular expression '" + pattern + "': " + e.getMessage(),
                    "regular expressions use Python's re syntax");
        }
    }

    /**
     * Python's {@code match.expand}: a replacement ({@code \1}, {@code \12}, {@code \g<1>}, {@code \g<name>},
     * {@code \n \t \r \\}) for one match; other escapes stay as written.
     */
    public static String expand(String repl, Matcher m) {
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
                String g = group(m, repl.substring(i, j));
                sb.append(g == null ? "" : g);
                i = j - 1;
            } else if (n == 'g' && i + 1 < repl.length() && repl.charAt(i + 1) == '<') {
                int end = repl.indexOf('>', i);
                String name = repl.substring(i + 2, end);
                String g = group(m, name);
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

    /** A group by number or name; one the pattern does not have is Python's error. */
    private static String group(Matcher m, String ref) {
        try {
            return ref.chars().allMatch(Character::isDigit) ? m.group(Integer.parseInt(ref)) : m.group(ref);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalArgumentException(ref.chars().allMatch(Character::isDigit)
                    ? "invalid group reference " + ref : "unknown group name '" + ref + "'");
        }
    }

    /** What Python's {@code re.subn} returns: the new text and how many replacements were made. */
    public record Substitution(String text, long count) {
    }

    /**
     * Python's {@code re.subn(pattern, repl, text, count)}: every match (or the first {@code count}; 0 means all)
     * replaced by the expanded {@code repl}.
     *
     * @throws IllegalArgumentException when {@code repl} names a group the pattern does not have (Python's message)
     */
    public static Substitution subn(Pattern p, String repl, String text, long count) {
        Matcher m = p.matcher(text);
        StringBuilder sb = new StringBuilder();
        long done = 0;
        while ((count == 0 || done < count) && m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(expand(repl, m)));
            done++;
        }
        m.appendTail(sb);
        return new Substitution(sb.toString(), done);
    }
}
