package io.budgetctl.engine.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's chained comparisons, which Jinja2 has and Jinjava's grammar lacks: {@code 0 <= x <= 180} means
 * {@code 0 <= x and x <= 180}. Rewritten before Jinjava parses: in every run of comparisons with {@code < <= > >= ==
 * !=} that is not split by {@code and}, {@code or}, {@code not}, {@code if}, {@code else}, {@code in}, a comma, a
 * colon or an assignment, {@code a op b op c} becomes {@code (a op b and b op c)}, inside brackets too. Filters,
 * tests, arithmetic and concatenation bind tighter than comparisons in Jinja2, so they stay inside the operands. The
 * middle operand is evaluated twice (Python evaluates it once): operands here are expressions without side effects.
 * Text that does not tokenize (an unclosed string or bracket) is left for Jinjava to report.
 */
final class ChainedComparisons {
    private ChainedComparisons() {
    }

    private enum Kind { CMP, BOUNDARY, OPEN, CLOSE, OTHER }

    private record Tok(Kind kind, int start, int end) {
    }

    /** {@code expr} with every chained comparison spelled out; the same string when there is none. */
    static String rewrite(String expr) {
        int ops = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '<' || c == '>' || c == '=' || c == '!') {
                ops++;
            }
        }
        if (ops < 2) {
            return expr;
        }
        List<Tok> toks = tokenize(expr);
        if (toks == null) {
            return expr;
        }
        int[] next = {0};
        String out = group(expr, toks, next, 0);
        return next[0] == toks.size() ? out : expr;
    }

    /** The tokens of {@code s}, each with the whitespace before it; null when a string or bracket is not closed. */
    private static List<Tok> tokenize(String s) {
        List<Tok> out = new ArrayList<>();
        int depth = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            int start = i;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i == n) {
                out.add(new Tok(Kind.OTHER, start, n));
                break;
            }
            char c = s.charAt(i);
            Kind kind;
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= n) {
                    return null;
                }
                i = j + 1;
                kind = Kind.OTHER;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                String word = s.substring(i, j);
                kind = switch (word) {
                    case "and", "or", "not", "if", "else", "in" -> Kind.BOUNDARY;
                    default -> Kind.OTHER;
                };
                i = j;
            } else if ((c == '<' || c == '>' || c == '=' || c == '!') && i + 1 < n && s.charAt(i + 1) == '=') {
                i += 2;
                kind = Kind.CMP;
            } else if (c == '<' || c == '>') {
                i++;
                kind = Kind.CMP;
            } else if (c == '=' || c == ',' || c == ':') {
                i++;
                kind = Kind.BOUNDARY;
            } else if (c == '(' || c == '[' || c == '{') {
                i++;
                depth++;
                kind = Kind.OPEN;
            } else if (c == ')' || c == ']' || c == '}') {
                i++;
                depth--;
                kind = Kind.CLOSE;
            } else {
                i++;
                kind = Kind.OTHER;
            }
            out.add(new Tok(kind, start, i));
        }
        return depth == 0 ? out : null;
    }

    /** Rewrites the tokens from {@code next[0]} up to the closing bracket of this level (or the end). */
    private static String group(String s, List<Tok> toks, int[] next, int level) {
        // items of this level: text and whether it is a comparison operator or a clause boundary
        List<String> text = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        while (next[0] < toks.size()) {
            Tok t = toks.get(next[0]);
            if (t.kind() == Kind.CLOSE && level > 0) {
                break;
            }
            next[0]++;
            if (t.kind() == Kind.OPEN) {
                String inner = group(s, toks, next, level + 1);
                Tok close = toks.get(next[0]++);
                text.add(s.substring(t.start(), t.end()) + inner + s.substring(close.start(), close.end()));
                kinds.add(Kind.OTHER);
            } else {
                text.add(s.substring(t.start(), t.end()));
                kinds.add(t.kind());
            }
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int i = 0; i <= text.size(); i++) {
            if (i == text.size() || kinds.get(i) == Kind.BOUNDARY) {
                out.append(clause(text.subList(from, i), kinds.subList(from, i)));
                if (i < text.size()) {
                    out.append(text.get(i));
                }
                from = i + 1;
            }
        }
        return out.toString();
    }

    /** One clause: unchanged with fewer than two comparisons, else {@code (a op b and b op c ...)}. */
    private static String clause(List<String> text, List<Kind> kinds) {
        List<String> operands = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.size(); i++) {
            if (kinds.get(i) == Kind.CMP) {
                operands.add(cur.toString());
                ops.add(text.get(i).strip());
                cur.setLength(0);
            } else {
                cur.append(text.get(i));
            }
        }
        operands.add(cur.toString());
        if (ops.size() < 2) {
            return String.join("", text);
        }
        String first = operands.get(0);
        String last = operands.get(operands.size() - 1);
        String lead = first.substring(0, first.length() - first.stripLeading().length());
        String trail = last.substring(last.stripTrailing().length());
        StringBuilder b = new StringBuilder(lead).append('(');
        for (int k = 0; k < ops.size(); k++) {
            if (k > 0) {
                b.append(" and ");
            }
            b.append(operands.get(k).strip()).append(' ').append(ops.get(k)).append(' ')
                    .append(operands.get(k + 1).strip());
        }
        return b.append(')').append(trail).toString();
    }
}
