package io.budgetctl.engine.template;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2's lexer-level checks, which Jinjava does not make: Jinjava prints an unclosed {@code {{} or {@code {%} as
 * text and ignores an end tag that closes nothing, where Jinja2 (and so Ansible) fails with a
 * {@code TemplateSyntaxError}. Run on a template's source before Jinjava parses it; the messages are Jinja2's.
 *
 * <p>As in Jinja2's lexer, a tag ends at the first {@code }}} / {@code %}} outside string literals and outside
 * brackets ({@code {{ {'a': {'b': 1}} }}} is one expression), comments end at the first {@code #}}, and
 * {@code {% raw %}} runs to {@code {% endraw %}}. Block tags are matched with their end tags.
 */
final class TemplateSyntax {
    private static final Pattern TAG_NAME = Pattern.compile("[-+]?\\s*(\\w+)");
    private static final Pattern ENDRAW = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%}");
    private static final Set<String> BLOCKS = Set.of("if", "for", "macro", "call", "filter", "with", "block",
            "autoescape");

    private record Open(String name, int at) {
    }

    private final String src;
    private final SourceLocation where;

    private TemplateSyntax(String src, SourceLocation where) {
        this.src = src;
        this.where = where;
    }

    /** Throws an {@link EngineException} at the offending tag when {@code source} is not valid Jinja2. */
    static void check(String source, SourceLocation where) {
        if (source.indexOf('{') >= 0) {
            new TemplateSyntax(source, where).scan();
        }
    }

    private void scan() {
        Deque<Open> blocks = new ArrayDeque<>();
        int n = src.length();
        int i = 0;
        while (i < n) {
            int open = nextOpen(i);
            if (open < 0) {
                break;
            }
            char kind = src.charAt(open + 1);
            if (kind == '#') {
                int end = src.indexOf("#}", open + 2);
                if (end < 0) {
                    throw error(open, "Missing end of comment tag");
                }
                i = end + 2;
                continue;
            }
            int end = tagEnd(open, kind == '{' ? '}' : '%');
            if (end < 0) {
                throw error(open, "unexpected end of template, expected '"
                        + (kind == '{' ? "end of print statement" : "end of statement block") + "'.");
            }
            String body = src.substring(open + 2, end - 2);
            if (kind == '{') {
                if (strip(body).isEmpty()) {
                    throw error(open, "Expected an expression, got 'end of print statement'");
                }
                i = end;
                continue;
            }
            Matcher m = TAG_NAME.matcher(body);
            String name = m.lookingAt() ? m.group(1) : "";
            if (name.equals("raw")) {
                Matcher endRaw = ENDRAW.matcher(src);
                if (!endRaw.find(end)) {
                    throw error(open, "Missing end of raw directive");
                }
                i = endRaw.end();
                continue;
            }
            if (BLOCKS.contains(name) || (name.equals("set") && !hasAssignment(body))) {
                blocks.push(new Open(name, open));
            } else if (name.startsWith("end") && !name.equals("endraw")) {
                Open top = blocks.peek();
                if (top == null || !name.equals("end" + top.name())) {
                    throw error(open, "Encountered unknown tag '" + name + "'." + (top == null ? ""
                            : " Jinja was looking for the following tags: 'end" + top.name() + "'. The innermost"
                            + " block that needs to be closed is '" + top.name() + "'."));
                }
                blocks.pop();
            }
            i = end;
        }
        if (!blocks.isEmpty()) {
            Open top = blocks.peek();
            throw error(top.at(), "Unexpected end of template. Jinja was looking for the following tags: 'end"
                    + top.name() + "'. The innermost block that needs to be closed is '" + top.name() + "'.");
        }
    }

    /** The next {@code {{}, {@code {%} or {@code {#} at or after {@code from}; -1 when there is none. */
    private int nextOpen(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** The index just after the {@code }}}/{@code %}} that ends the tag opened at {@code open}; -1 if none. */
    private int tagEnd(int open, char closer) {
        int depth = 0;
        int n = src.length();
        for (int i = open + 2; i < n; i++) {
            char c = src.charAt(i);
            if (c == '\'' || c == '"') {
                int close = JinjaStrings.closingQuote(src, i);
                if (close < 0) {
                    return -1;
                }
                i = close;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (depth == 0 && c == closer && i + 1 < n && src.charAt(i + 1) == '}') {
                return i + 2;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    throw error(i, "unexpected '" + c + "'");
                }
                depth--;
            }
        }
        return -1;
    }

    /** {@code {% set x = 1 %}} assigns; {@code {% set x %}...{% endset %}} is a block. */
    private static boolean hasAssignment(String body) {
        int depth = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == '=' && depth == 0) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String body) {
        String b = body.strip();
        if (b.startsWith("-") || b.startsWith("+")) {
            b = b.substring(1);
        }
        if (b.endsWith("-") || b.endsWith("+")) {
            b = b.substring(0, b.length() - 1);
        }
        return b.strip();
    }

    /**
     * The error at {@code offset} of the source: a template file gets its own line and column as the location; a
     * template inside a YAML value keeps the value's location and says where in the template.
     */
    private EngineException error(int offset, String message) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (src.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = offset - lineStart + 1;
        SourceLocation loc = where == null ? SourceLocation.UNKNOWN : where;
        String text = "template syntax error: " + message;
        if (loc.line() <= 0 && loc != SourceLocation.UNKNOWN) {
            loc = new SourceLocation(loc.file(), line, column);
        } else {
            text += " (template line " + line + ", column " + column + ")";
        }
        return new EngineException(loc, text, "every {{ needs its }}, every {% its %} and every {# its #}, and"
                + " block tags ({% if %}, {% for %} ...) their {% end... %}; for a literal {{ write {{ '{{' }} or"
                + " use {% raw %}...{% endraw %}");
    }
}
