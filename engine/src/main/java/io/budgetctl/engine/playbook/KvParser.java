package io.budgetctl.engine.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code key=value} argument splitting ({@code copy: src=a dest="/x y"}). Words are split on whitespace
 * outside quotes and outside Jinja2 blocks; a word with an unescaped {@code =} is a key/value pair whose value loses
 * one level of matching quotes. For free-form modules (command, shell) only the few option keys Ansible recognises
 * there are taken out; the rest of the text, exactly as written, becomes {@code _raw_params}.
 */
public final class KvParser {
    /** The options Ansible extracts from a free-form command line. */
    static final Set<String> FREE_FORM_KEYS = Set.of("creates", "removes", "chdir", "executable", "warn", "stdin",
            "stdin_add_newline", "strip_empty_ends");

    private KvParser() {
    }

    record Word(String text, int start, int end) {
    }

    /** Splits into words, keeping quotes and Jinja2 blocks intact. */
    static List<Word> split(String s) {
        List<Word> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            char quote = 0;
            int jinja = 0;
            while (i < n) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == '\\' && i + 1 < n) {
                        i += 2;
                        continue;
                    }
                    if (c == quote) {
                        quote = 0;
                    }
                    i++;
                    continue;
                }
                if (i + 1 < n && c == '{' && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '%'
                        || s.charAt(i + 1) == '#')) {
                    jinja++;
                    i += 2;
                    continue;
                }
                if (jinja > 0 && i + 1 < n && (c == '}' || c == '%' || c == '#') && s.charAt(i + 1) == '}') {
                    jinja--;
                    i += 2;
                    continue;
                }
                if (jinja == 0 && Character.isWhitespace(c)) {
                    break;
                }
                if (jinja == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                }
                i++;
            }
            out.add(new Word(s.substring(start, i), start, i));
        }
        return out;
    }

    /**
     * Parses {@code text}. With {@code freeForm} true only {@link #FREE_FORM_KEYS} are taken as options. Words that
     * are not pairs end up in {@code _raw_params}.
     */
    public static Map<String, Object> parse(String text, boolean freeForm) {
        Map<String, Object> options = new LinkedHashMap<>();
        StringBuilder raw = new StringBuilder();
        int last = 0;
        boolean anyRaw = false;
        for (Word w : split(text)) {
            // as Ansible's parse_kv: a pair's escapes (\\ \" \n \x41 ...) are decoded; raw words stay as written
            String x = decodeEscapes(w.text());
            int eq = unescapedEquals(x);
            String key = eq > 0 ? x.substring(0, eq).strip() : null;
            boolean option = key != null && !key.contains("\"") && !key.contains("'") && !key.contains("{")
                    && (!freeForm || FREE_FORM_KEYS.contains(key));
            if (option) {
                options.put(key, unquote(x.substring(eq + 1).strip()));
                raw.append(text, last, w.start());
                last = w.end();
            } else {
                anyRaw = true;
            }
        }
        raw.append(text.substring(last));
        if (anyRaw) {
            String r = freeForm ? collapse(raw.toString()) : raw.toString().strip().replace("\\=", "=");
            options.put("_raw_params", r);
        }
        return options;
    }

    private static final Pattern ESCAPE = Pattern.compile(
            "\\\\U[0-9a-fA-F]{8}|\\\\u[0-9a-fA-F]{4}|\\\\x[0-9a-fA-F]{2}|\\\\N\\{[^}]+}|\\\\[\\\\'\"abfnrtv]");

    /** Ansible's _decode_escapes: Python's unicode-escape for \\U, \\u, \\x, \\N{name} and one-letter escapes only. */
    static String decodeEscapes(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        Matcher m = ESCAPE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group();
            String decoded = switch (e.charAt(1)) {
                case 'U', 'u', 'x' -> {
                    int cp = Integer.parseInt(e.substring(2), 16);
                    yield Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : e;
                }
                case 'N' -> {
                    try {
                        yield new String(Character.toChars(Character.codePointOf(e.substring(3, e.length() - 1))));
                    } catch (IllegalArgumentException unknown) {
                        yield e;
                    }
                }
                case 'a' -> "\u0007";
                case 'b' -> "\b";
                case 'f' -> "\f";
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case 'v' -> "\u000b";
                default -> String.valueOf(e.charAt(1)); // \\ \' \"
            };
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Removes leading/trailing blank space left where options were cut out; keeps inner text as written. */
    private static String collapse(String s) {
        String t = s.strip();
        return t.replaceAll("[ \\t]{2,}$", "");
    }

    private static int unescapedEquals(String w) {
        char quote = 0;
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '=' && i > 0 && w.charAt(i - 1) != '\\') {
                return i;
            } else if (c == '{' && i + 1 < w.length() && w.charAt(i + 1) == '{') {
                return -1;
            }
        }
        return -1;
    }

    static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
