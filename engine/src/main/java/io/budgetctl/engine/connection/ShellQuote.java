package io.budgetctl.engine.connection;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place where argv lists become POSIX shell words. Everything is single-quoted unless it consists only of
 * characters that are never special to a POSIX shell, so spaces, quotes, newlines, unicode, {@code $}, backticks
 * and glob characters all survive exactly.
 */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String word) {
        if (word.isEmpty()) {
            return "''";
        }
        if (isSafe(word)) {
            return word;
        }
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    public static String join(List<String> argv) {
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    private static boolean isSafe(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == ',' || c == '+' || c == '@'
                    || c == '%';
            if (!safe) {
                return false;
            }
        }
        return true;
    }
}
