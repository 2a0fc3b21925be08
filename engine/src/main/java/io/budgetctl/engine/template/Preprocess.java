package io.budgetctl.engine.template;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites Jinja2 source into the dialect Jinjava's parser accepts, without changing its meaning:
 * <ul>
 * <li>string literals use Python's escapes ({@code '\d'} stays backslash-d, {@code '\n'} is a newline); JUEL knows
 * only {@code \\ \' \"}, so literals are decoded the Python way and re-encoded for JUEL;</li>
 * <li>{@code }}} inside an expression ({@code {{ {'a': {'b': 1}} }}}) would end the tag early in Jinjava: it becomes
 * {@code } }};</li>
 * <li>JUEL's reserved words ({@code empty}, {@code div}, {@code mod}, {@code eq} ...) are legal Jinja2 variable names:
 * {@code empty} becomes {@code __kw_empty} (resolved back by name) and {@code x.empty} becomes {@code x['empty']}.</li>
 * </ul>
 */
final class Preprocess {
    static final String KW_PREFIX = "__kw_";
    /** A name that resolves to "," (see {@link #convert(String, int, int, String, StringBuilder, boolean)}). */
    static final String COMMA = "__py_comma";
    private static final Pattern MACRO = Pattern.compile("\\{%[-+]?\\s*macro\\s");
    private static final Set<String> JUEL_WORDS = Set.of("empty", "div", "mod", "eq", "ne", "lt", "gt", "le", "ge",
            "instanceof");
    /** After these words and characters a new operand starts (for a test after a filter). */
    private static final Set<String> OPERAND_WORDS = Set.of("and", "or", "not", "if", "else", "in");
    private static final String OPERAND_CHARS = ",:+-*/%<>=!~";
    private static final Pattern RAW = Pattern.compile("\\{%[-+]?\\s*raw\\s*[-+]?%\\}");
    private static final Pattern ENDRAW = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%\\}");

    private Preprocess() {
    }

    static String template(String src) {
        if (src.indexOf('{') < 0) {
            return src;
        }
        StringBuilder out = new StringBuilder(src.length() + 16);
        int i = 0;
        int n = src.length();
        while (i < n) {
            if (src.startsWith("{#", i)) {
                int end = src.indexOf("#}", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(src, i, end);
                i = end;
            } else if (src.startsWith("{%", i)) {
                Matcher raw = RAW.matcher(src).region(i, n);
                if (raw.lookingAt()) {
                    Matcher endRaw = ENDRAW.matcher(src);
                    int end = endRaw.find(raw.end()) ? endRaw.end() : n;
                    out.append(raw.group());
                    int body = raw.end();
                    if (raw.group().endsWith("-%}")) {
                        // {% raw -%} strips all whitespace after it in Jinja2; Jinjava keeps it
                        while (body < end && Character.isWhitespace(src.charAt(body))) {
                            body++;
                        }
                    } else if (body < n && src.charAt(body) == '\n') {
                        // Jinja2's trim_blocks does not apply to {% raw %} (its lexer rule has no newline suffix),
                        // Jinjava's does: a second newline keeps the first one
                        out.append('\n');
                    }
                    out.append(src, body, end);
                    i = end;
                } else {
                    i = body(src, i, "%}", out);
                }
            } else if (src.startsWith("{{", i)) {
                i = body(src, i, "}}", out);
            } else {
                out.append(src.charAt(i++));
            }
        }
        return out.toString();
    }

    /** Converts a bare expression (evaluate()). */
    static String expression(String expr) {
        String chained = ChainedComparisons.rewrite(expr);
        StringBuilder out = new StringBuilder(chained.length() + 8);
        convert(chained, 0, chained.length(), null, out);
        return out.toString();
    }

    /** Copies one tag from its opener at i through its closer; returns the index after it. */
    private static int body(String src, int i, String closer, StringBuilder out) {
        boolean macroTag = closer.equals("%}") && MACRO.matcher(src).region(i, src.length()).lookingAt();
        int end = contentEnd(src, i + 2, closer);
        if (end > 0) {
            String content = src.substring(i + 2, end);
            String chained = ChainedComparisons.rewrite(content);
            if (!chained.equals(content)) {
                // the tag with its chained comparisons spelled out, converted on its own
                int after = src.indexOf(closer, end) + closer.length();
                String tag = src.substring(i, i + 2) + chained + src.substring(end, after);
                out.append(tag, 0, 2);
                convert(tag, 2, tag.length(), closer, out, macroTag);
                return after;
            }
        }
        out.append(src, i, i + 2);
        return convert(src, i + 2, src.length(), closer, out, macroTag);
    }

    /**
     * Where the content of a tag opened before {@code i} ends: the index of its closer (or of the '-'/'+' trim mark
     * before it) outside strings and brackets; -1 when it is not closed.
     */
    private static int contentEnd(String src, int i, String closer) {
        int depth = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                continue;
            }
            if (depth <= 0 && src.startsWith(closer, i)) {
                return i;
            }
            if (depth <= 0 && (c == '-' || c == '+') && src.startsWith(closer, i + 1)) {
                return i;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            i++;
        }
        return -1;
    }

    private static int convert(String src, int i, int n, String closer, StringBuilder out) {
        return convert(src, i, n, closer, out, false);
    }

    /**
     * @param macroTag the tag is a {@code {% macro %}}: Jinjava splits its parameters at every comma, so a comma in a
     *                 default's string literal is written as {@link #COMMA}, a name that resolves to ","
     */
    private static int convert(String src, int i, int n, String closer, StringBuilder out, boolean macroTag) {
        int depth = 0;
        char prevSignificant = 0;
        String prevWord = "";
        // where the operand being read started in out, and whether a filter was applied to it at this depth: Jinja2
        // applies a test to the filtered operand ({{ x | f is none }}), Jinjava's grammar has no test after a filter
        int operandStart = out.length();
        boolean filtered = false;
        java.util.Deque<int[]> outer = new java.util.ArrayDeque<>();
        // where the last name or closing bracket ended in src: a '.' right after it followed by digits is item.0
        int attributeEnd = -1;
        while (i < n) {
            char c = src.charAt(i);
            if (closer != null && depth <= 0 && src.startsWith(closer, i)) {
                out.append(closer);
                return i + 2;
            }
            if (closer != null && depth <= 0 && (c == '-' || c == '+') && src.startsWith(closer, i + 1)) {
                out.append(c).append(closer);
                return i + 3;
            }
            if (c == '\'' || c == '"') {
                i = literal(src, i, out, macroTag);
                prevSignificant = c;
                prevWord = "";
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_')) {
                    j++;
                }
                String word = src.substring(i, j);
                if (word.equals("is") && filtered) {
                    int end = out.length();
                    while (end > operandStart && Character.isWhitespace(out.charAt(end - 1))) {
                        end--;
                    }
                    out.insert(end, ')').insert(operandStart, '(');
                    filtered = false;
                }
                boolean isIdentifier = JUEL_WORDS.contains(word) && !prevWord.equals("is") && !prevWord.equals("not")
                        && !(j < n && src.charAt(j) == '=' && !(j + 1 < n && src.charAt(j + 1) == '='));
                if (isIdentifier && prevSignificant == '.') {
                    out.setLength(out.length() - 1); // drop the '.'
                    out.append("['").append(word).append("']");
                } else if (isIdentifier) {
                    out.append(KW_PREFIX).append(word);
                } else {
                    out.append(word);
                }
                prevWord = word;
                prevSignificant = 'a';
                i = j;
                attributeEnd = j;
                if (OPERAND_WORDS.contains(word)) {
                    operandStart = out.length();
                    filtered = false;
                }
                continue;
            }
            if (c == '.' && i == attributeEnd && i + 1 < n && Character.isDigit(src.charAt(i + 1))) {
                // item.0 (Jinja2 reads a number after a dot as an index); JUEL only knows item[0]
                int j = i + 1;
                while (j < n && Character.isDigit(src.charAt(j))) {
                    j++;
                }
                out.append('[').append(src, i + 1, j).append(']');
                i = j;
                attributeEnd = j;
                prevSignificant = ']';
                prevWord = "";
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
                outer.push(new int[] {operandStart, filtered ? 1 : 0});
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (c == '}' && out.length() > 0 && out.charAt(out.length() - 1) == '}') {
                    out.append(' ');
                }
                if (!outer.isEmpty()) {
                    int[] o = outer.pop();
                    operandStart = o[0];
                    filtered = o[1] == 1;
                }
            }
            out.append(c);
            if (c == ')' || c == ']') {
                attributeEnd = i + 1;
            }
            if (c == '|' && !(i + 1 < n && src.charAt(i + 1) == '|')) {
                filtered = true;
            } else if (c == '(' || c == '[' || c == '{' || OPERAND_CHARS.indexOf(c) >= 0) {
                operandStart = out.length();
                filtered = false;
            }
            if (!Character.isWhitespace(c)) {
                prevSignificant = c;
                prevWord = "";
            }
            i++;
        }
        return i;
    }

    /** Decodes a Python string literal starting at i and writes it as a JUEL literal; returns the index after it. */
    private static int literal(String src, int i, StringBuilder out, boolean macroTag) {
        char q = src.charAt(i);
        StringBuilder value = new StringBuilder();
        int j = i + 1;
        while (j < src.length() && src.charAt(j) != q) {
            char c = src.charAt(j);
            if (c == '\\' && j + 1 < src.length()) {
                char e = src.charAt(j + 1);
                j += 2;
                switch (e) {
                    case '\\' -> value.append('\\');
                    case '\'' -> value.append('\'');
                    case '"' -> value.append('"');
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case 'a' -> value.append('\u0007');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'v' -> value.append('\u000b');
                    case '\n' -> {
                    }
                    case 'x', 'u', 'U' -> {
                        int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        String hex = src.substring(j, Math.min(src.length(), j + len));
                        if (hex.length() == len && hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                            value.appendCodePoint(Integer.parseInt(hex, 16));
                            j += len;
                        } else {
                            value.append('\\').append(e);
                        }
                    }
                    default -> {
                        if (e >= '0' && e <= '7') {
                            int k = j - 1;
                            int end = k;
                            while (end < src.length() && end < k + 3 && src.charAt(end) >= '0' && src.charAt(end) <= '7') {
                                end++;
                            }
                            value.append((char) Integer.parseInt(src.substring(k, end), 8));
                            j = end;
                        } else {
                            value.append('\\').append(e);
                        }
                    }
                }
            } else {
                value.append(c);
                j++;
            }
        }
        out.append(q);
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c == ',' && macroTag) {
                out.append(q).append(" ~ ").append(COMMA).append(" ~ ").append(q);
                continue;
            }
            if (c == '\\' || c == q) {
                out.append('\\');
            }
            out.append(c);
        }
        out.append(q);
        return Math.min(j + 1, src.length());
    }
}
