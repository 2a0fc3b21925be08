package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secret values from text that leaves budgetctl as a file (the support bundle of {@code budgetctl diagnose}):
 * every value of a secret set, and the forms it takes on a host or in a file, is replaced by {@link Secret#MASK}.
 *
 * <p>The forms of a value: the value; trimmed (leading and trailing whitespace and newlines: a PEM key from a YAML
 * {@code |} block ends in a newline, a file or a log line holds it without); each line of a multi-line value;
 * base64 (standard, unpadded, URL-safe) of the value, of the trimmed value and of the trimmed value plus a newline
 * ({@code echo pw | base64}); URL-encoded ({@code +} and {@code %20} for a space); JSON-escaped (a value with a quote,
 * a backslash or a newline inside a JSON string); upper and lower case and reversed; SHA-1, SHA-256 and MD5 hex
 * digests of the value, trimmed and with a newline. Longest forms are replaced first, so a value that contains another
 * is masked whole.
 *
 * <p>Values shorter than {@link #MIN_LENGTH} characters are not searched for (they would mask ordinary words); they
 * are counted in {@link #tooShort()} so the caller can say so. Besides values, {@link #redactAssignments} masks the
 * value of {@code NAME=value} lines whose name says it holds a secret ({@code *PASSWORD*}, {@code *SECRET*},
 * {@code *TOKEN*} ...), for secrets the set does not know (typed by hand into an {@code .env} on the host).
 */
public final class Redactor {
    /** The shortest value searched for in text. */
    public static final int MIN_LENGTH = 4;

    /** A variable name that says its value is secret; {@code *_FILE} names a file and is left alone. */
    static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)[A-Z0-9_.-]*(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIALS?)"
                    + "[A-Z0-9_.-]*");
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?m)^([ \\t]*(?:export[ \\t]+)?)([A-Za-z_][A-Za-z0-9_.-]*)([ \\t]*[=:][ \\t]*)(.*)$");

    private final List<String> needles;
    private final int values;
    private final int tooShort;

    private Redactor(List<String> needles, int values, int tooShort) {
        this.needles = needles;
        this.values = values;
        this.tooShort = tooShort;
    }

    /** A redactor for these secret values (empty and null values are ignored). */
    public static Redactor of(Collection<String> secretValues) {
        Set<String> needles = new LinkedHashSet<>();
        int values = 0;
        int tooShort = 0;
        for (String v : new LinkedHashSet<>(secretValues)) {
            if (v == null || v.isBlank()) {
                continue;
            }
            if (v.strip().length() < MIN_LENGTH) {
                tooShort++;
                continue;
            }
            values++;
            needles.addAll(forms(v));
        }
        List<String> sorted = new ArrayList<>(needles);
        sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        return new Redactor(List.copyOf(sorted), values, tooShort);
    }

    /** A redactor for these secrets; each is revealed (a lazy one is fetched now). */
    public static Redactor ofSecrets(Collection<Secret> secrets) {
        List<String> v = new ArrayList<>();
        for (Secret s : secrets) {
            v.add(s.reveal());
        }
        return of(v);
    }

    /** A redactor that knows the values of both. */
    public Redactor and(Collection<String> moreValues) {
        List<String> all = new ArrayList<>(moreValues);
        // the needles of this one are forms of its values; forms of a form add nothing that matters, but are harmless
        Redactor more = of(all);
        Set<String> merged = new LinkedHashSet<>(needles);
        merged.addAll(more.needles);
        List<String> sorted = new ArrayList<>(merged);
        sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        return new Redactor(List.copyOf(sorted), values + more.values, tooShort + more.tooShort);
    }

    /** How many values (at least {@link #MIN_LENGTH} long) this redactor removes. */
    public int values() {
        return values;
    }

    /** How many values were too short to search for. */
    public int tooShort() {
        return tooShort;
    }

    /** The text with every form of every value replaced by {@link Secret#MASK}. */
    public String redact(String text) {
        return redactCounting(text).text();
    }

    /** The redacted text and how many replacements were made. */
    public Redacted redactCounting(String text) {
        if (text == null || text.isEmpty() || needles.isEmpty()) {
            return new Redacted(text, 0);
        }
        String out = text;
        int count = 0;
        for (String n : needles) {
            int at = out.indexOf(n);
            if (at < 0) {
                continue;
            }
            StringBuilder b = new StringBuilder(out.length());
            int from = 0;
            while (at >= 0) {
                b.append(out, from, at).append(Secret.MASK);
                count++;
                from = at + n.length();
                at = out.indexOf(n, from);
            }
            b.append(out, from, out.length());
            out = b.toString();
        }
        return new Redacted(out, count);
    }

    /** Redacted text and the number of values replaced in it. */
    public record Redacted(String text, int replacements) {
    }

    /**
     * Lines {@code NAME=value} (or {@code NAME: value}, {@code export NAME=value}) whose name says it holds a secret
     * ({@link #SECRET_NAME}, not {@code *_FILE}) with the value replaced by {@link Secret#MASK}; an empty value stays
     * empty.
     */
    public static Redacted redactAssignments(String text) {
        if (text == null || text.isEmpty()) {
            return new Redacted(text, 0);
        }
        Matcher m = ASSIGNMENT.matcher(text);
        StringBuilder b = new StringBuilder(text.length());
        int count = 0;
        while (m.find()) {
            String name = m.group(2);
            String value = m.group(4);
            boolean secret = SECRET_NAME.matcher(name).matches() && !name.toUpperCase(Locale.ROOT).endsWith("_FILE")
                    && !value.isBlank() && !value.strip().equals(Secret.MASK);
            String line = secret ? m.group(1) + name + m.group(3) + Secret.MASK : m.group();
            count += secret ? 1 : 0;
            m.appendReplacement(b, Matcher.quoteReplacement(line));
        }
        m.appendTail(b);
        return new Redacted(b.toString(), count);
    }

    /** Every form of {@code v} this redactor searches for (at least {@link #MIN_LENGTH} characters each). */
    public static List<String> forms(String v) {
        Set<String> out = new LinkedHashSet<>();
        String trimmed = v.strip();
        out.add(v);
        out.add(trimmed);
        if (trimmed.contains("\n")) {
            for (String line : trimmed.split("\r?\n")) {
                out.add(line.strip());
            }
        }
        for (String t : new LinkedHashSet<>(List.of(v, trimmed, trimmed + "\n"))) {
            byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
            String b64 = Base64.getEncoder().encodeToString(bytes);
            out.add(b64);
            out.add(b64.replace("=", ""));
            out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            for (String alg : List.of("SHA-1", "SHA-256", "MD5")) {
                out.add(hex(alg, t));
            }
            out.add(json(t));
        }
        String form = URLEncoder.encode(trimmed, StandardCharsets.UTF_8);
        out.add(form);
        out.add(form.replace("+", "%20"));
        out.add(trimmed.toUpperCase(Locale.ROOT));
        out.add(trimmed.toLowerCase(Locale.ROOT));
        out.add(new StringBuilder(trimmed).reverse().toString());
        out.removeIf(s -> s.strip().length() < MIN_LENGTH);
        return List.copyOf(out);
    }

    /** The text as it stands inside a JSON string, without the quotes. */
    private static String json(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm, e);
        }
    }
}
