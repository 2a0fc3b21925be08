package io.budgetctl.engine.template;

/** Jinja2's string literals in template text, as its lexer reads them (a backslash escapes the next character). */
public final class JinjaStrings {
    private JinjaStrings() {
    }

    /** The index of the quote that closes the string literal whose opening quote is at {@code start}; -1 if none. */
    public static int closingQuote(String s, int start) {
        char quote = s.charAt(start);
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }
}
