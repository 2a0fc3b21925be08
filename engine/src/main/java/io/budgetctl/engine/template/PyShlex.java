package io.budgetctl.engine.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(s)} (POSIX mode), the one word splitter: Ansible splits a command string with it
 * (`command`'s free form, `script`, a module's `validate`) and the SSH connection's `ssh_args`/`ssh_common_args`.
 * Single quotes keep everything; inside double quotes a backslash escapes only {@code "} and {@code \} (not {@code $}
 * or a backquote, as a shell would); outside quotes a backslash escapes the next character. No expansions. Problems
 * are Python's: "No closing quotation", "No escaped character".
 */
public final class PyShlex {
    private PyShlex() {
    }

    /** The words of {@code s}; throws IllegalArgumentException with Python's message for an unfinished quote. */
    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                // shlex's whitespace is these four: other white space (a no-break space, \f) stays in the word
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("No closing quotation");
                }
                cur.append(s, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(s, i + 1, cur);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= s.length()) {
                    throw new IllegalArgumentException("No escaped character");
                }
                cur.append(s.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                cur.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }

    /** Reads a double-quoted part from {@code i} (after the quote) into {@code cur}; returns the index after it. */
    private static int doubleQuoted(String s, int i, StringBuilder cur) {
        while (i < s.length()) {
            char d = s.charAt(i);
            if (d == '"') {
                return i + 1;
            }
            if (d == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                cur.append(s.charAt(i + 1));
                i += 2;
            } else {
                cur.append(d);
                i++;
            }
        }
        throw new IllegalArgumentException("No closing quotation");
    }
}
