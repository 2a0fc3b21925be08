package io.budgetctl.engine.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Ansible's Templar does to a task-argument string around Jinja2 (not to template files): the backslash rule
 * and the trailing-newline rule. Both are small pure functions so the render entry path (JinjavaTemplater) calls them
 * from one line each.
 *
 * <ul>
 * <li>{@link #escapeBackslashes}: Templar.template(escape_backslashes=True) doubles every backslash inside string
 * literals of {@code {{ ... }}} before Jinja2 parses them, so {@code "{{ x | regex_replace('(a)', '\\1') }}"} in a
 * double-quoted YAML string (YAML leaves {@code '\1'}) reaches the filter as backslash-1, not as the control
 * character {@code \x01}. Literals in {@code {% %}} tags, comments and raw blocks are left alone, as Ansible's lexer
 * walk does.</li>
 * <li>{@link #padTrailingNewlines}: Jinja2 (keep_trailing_newline=False) drops one trailing newline of the template
 * text; Ansible (preserve_trailing_newlines=True) then adds newlines only while the result has fewer trailing
 * newlines than the source, so {@code "{{ motd }}\n"} with a motd ending in a newline gets one newline, not two.</li>
 * </ul>
 */
final class AnsibleTaskText {
    private static final Pattern RAW = Pattern.compile("\\{%[-+]?\\s*raw\\s*[-+]?%\\}");
    private static final Pattern ENDRAW = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%\\}");

    private AnsibleTaskText() {
    }

    /** Ansible's {@code _escape_backslashes}: backslashes in string literals inside {@code {{ }}} doubled. */
    static String escapeBackslashes(String s) {
        if (s.indexOf('\\') < 0 || !s.contains("{{")) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        int i = 0;
        int n = s.length();
        while (i < n) {
            if (s.startsWith("{#", i)) {
                int end = s.indexOf("#}", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(s, i, end);
                i = end;
            } else if (s.startsWith("{%", i)) {
                Matcher raw = RAW.matcher(s).region(i, n);
                int end;
                if (raw.lookingAt()) {
                    Matcher endRaw = ENDRAW.matcher(s);
                    end = endRaw.find(raw.end()) ? endRaw.end() : n;
                } else {
                    end = tagEnd(s, i + 2, "%}", null);
                }
                out.append(s, i, end);
                i = end;
            } else if (s.startsWith("{{", i)) {
                out.append("{{");
                i = tagEnd(s, i + 2, "}}", out);
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }

    /**
     * Walks a tag body from {@code i} to after its closer, skipping string literals whole (a closer inside a string
     * does not end the tag). With {@code out}, copies the body with the literals' backslashes doubled.
     */
    private static int tagEnd(String s, int i, String closer, StringBuilder out) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (s.startsWith(closer, i)) {
                if (out != null) {
                    out.append(closer);
                }
                return i + closer.length();
            }
            if (c == '\'' || c == '"') {
                int end = stringEnd(s, i);
                if (end < 0) { // unterminated: Jinja2 fails on it; leave the text for the parser to report
                    if (out != null) {
                        out.append(s, i, n);
                    }
                    return n;
                }
                if (out != null) {
                    out.append(s.substring(i, end).replace("\\", "\\\\"));
                }
                i = end;
                continue;
            }
            if (out != null) {
                out.append(c);
            }
            i++;
        }
        return n;
    }

    /** The index after the string literal starting at {@code i} (Jinja2's string token), or -1. */
    private static int stringEnd(String s, int i) {
        int close = JinjaStrings.closingQuote(s, i);
        return close < 0 ? -1 : close + 1;
    }

    /** Ansible's preserve_trailing_newlines: {@code out} padded up to the source's count of trailing newlines. */
    static String padTrailingNewlines(String source, String out) {
        int want = trailingNewlines(source);
        int have = trailingNewlines(out);
        return want > have ? out + "\n".repeat(want - have) : out;
    }

    static int trailingNewlines(String s) {
        int n = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\n'; i--) {
            n++;
        }
        return n;
    }
}
