package io.budgetctl.engine.template;

import java.util.ArrayList;
import java.util.List;

/** Python's text operations that modules and lookups share with templates. */
public final class PyText {
    private PyText() {
    }

    /**
     * Python's {@code str.splitlines()}: a line ends at \n, \r\n, \r, \v, \f, \x1c, \x1d, \x1e, \x85, \u2028 or
     * \u2029; text after the last line end is a line too; no line keeps its end.
     */
    public static List<String> splitlines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isLineBoundary(c)) {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /**
     * Python's {@code str(v)}, for values handed to a host (environment variables): a string as it is, anything else
     * as its repr; secrets revealed (the host needs them).
     */
    public static String str(Object v) {
        return Py.str(v);
    }

    /**
     * A loop item as Ansible labels it ({@code (item=...)}): a string as it is, anything else as its Python repr; a
     * secret, wherever it sits in the item, as its mask.
     */
    public static String label(Object item) {
        if (item instanceof io.budgetctl.engine.api.Secret) {
            return item.toString();
        }
        return item instanceof CharSequence cs ? cs.toString() : Py.displayRepr(item);
    }

    private static boolean isLineBoundary(char c) {
        return c == '\n' || c == '\r' || c == '\u000b' || c == '\u000c' || (c >= '\u001c' && c <= '\u001e')
                || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}
