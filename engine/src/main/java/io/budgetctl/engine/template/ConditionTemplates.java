package io.budgetctl.engine.template;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Ansible's warning about {{ }} in a condition ({@code when:}, {@code until:}, {@code changed_when:},
 * {@code failed_when:}, and each item of a list written as assert's {@code that:}), and when ansible-core 2.14 gives it.
 * The executor's conditions and the assert module share it.
 */
public final class ConditionTemplates {
    /** ansible-core 2.14's warning (playbook/conditional.py), followed by the condition as written. */
    public static final String DELIMITERS_WARNING = "conditional statements should not include jinja2 templating "
            + "delimiters such as {{ }} or {% %}. Found: ";

    private ConditionTemplates() {
    }

    /**
     * Whether ansible-core 2.14's Templar.is_template takes {@code s} for a template, which is when it warns:
     * Jinja2's lexer, from the first {{, {% or {#, reaches that tag's own end (}}, %} or #}) before anything else
     * ends or breaks the tag. So <code>x == {{ y }}</code> and <code>x {# note #}</code> are templates, while
     * <code>'{{' in x</code> (the quote is never closed inside the tag), <code>{{ x %}</code> and
     * <code>{{ f( }}</code> are not (as checked with ansible-core 2.14.18). Nothing after that first tag counts.
     */
    public static boolean isTemplate(String s) {
        int open = firstOpening(s);
        if (open < 0) {
            return false;
        }
        char kind = s.charAt(open + 1);
        if (kind == '#') {
            return s.indexOf("#}", open + 2) >= 0; // a comment runs to its end, whatever it holds
        }
        Deque<Character> closers = new ArrayDeque<>();
        int i = open + 2;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (closers.isEmpty() && (kind == '{' ? s.startsWith("}}", i) : s.startsWith("%}", i))) {
                return true;
            }
            if (ch == '\'' || ch == '"') {
                int end = JinjaStrings.closingQuote(s, i);
                if (end < 0) {
                    return false;
                }
                i = end + 1;
                continue;
            }
            if (ch == '(' || ch == '[' || ch == '{') {
                closers.push(ch == '(' ? ')' : ch == '[' ? ']' : '}');
            } else if (ch == ')' || ch == ']' || ch == '}') {
                if (closers.isEmpty() || closers.pop() != ch) {
                    return false;
                }
            } else if (!Character.isLetterOrDigit(ch) && !Character.isWhitespace(ch)
                    && "_+-*/%~=!<>.:|,;".indexOf(ch) < 0) {
                return false; // a character Jinja2's lexer has no token for
            }
            i++;
        }
        return false;
    }

    private static int firstOpening(String s) {
        for (int i = s.indexOf('{'); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            char next = s.charAt(i + 1);
            if (next == '{' || next == '%' || next == '#') {
                return i;
            }
        }
        return -1;
    }
}
