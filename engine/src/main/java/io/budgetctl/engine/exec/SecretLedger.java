package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.template.SecretFlow;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run's mask set: every {@link Secret} the run can see (all hosts' inventory variables, extra vars, each task's
 * variables, every secret a template read, hostvars of other hosts included) and every value a template derived from
 * one ({@link SecretFlow}). Output is masked with {@link #maskValues()}: each revealed or derived value and the forms it
 * takes on its way to output — trimmed, line by line (a PEM key from a YAML {@code |} block ends in a newline and
 * comes back as {@code stdout} without it and as {@code stdout_lines}), base64, URL-encoded, upper/lower case,
 * reversed, and its SHA-1/SHA-256/MD5 hex digests (a copy of a file that holds only a secret reports
 * {@code checksum: sha1(content)}). Thread-safe: workers add to it while tasks run.
 */
final class SecretLedger implements SecretFlow.Sink {
    private static final int MIN = SecretFlow.MIN_LENGTH;

    private final Set<Secret> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile Secret[] secrets = new Secret[0];
    private final Set<String> derived = ConcurrentHashMap.newKeySet();
    private final Map<String, SecretFlow.Form> derivedForms = new ConcurrentHashMap<>();
    private final Map<String, List<String>> forms = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(-1, -1, List.of(), Set.of());

    private record Snapshot(int revealed, int derived, List<String> known, Set<String> mask) {
    }

    /**
     * Secrets found among variables. A derived one (a fact set to {@code "{{ pw }}-suffix"}) has had its parts
     * reported while it was rendered; its own digests are masked, its text shows with those parts masked.
     */
    void addAll(Collection<Secret> more) {
        for (Secret s : more) {
            revealed(s);
        }
    }

    @Override
    public void revealed(Secret secret) {
        if (secret.isDerived()) {
            derived(secret.reveal(), SecretFlow.Form.DIGESTS);
            return;
        }
        synchronized (seen) {
            if (seen.add(secret)) {
                Secret[] next = java.util.Arrays.copyOf(secrets, secrets.length + 1);
                next[secrets.length] = secret;
                secrets = next;
            }
        }
    }

    @Override
    public void derived(String value, SecretFlow.Form form) {
        // the most that is secret of it wins (LINES over WHOLE over DIGESTS); set before derived, on whose size the
        // snapshot is keyed
        derivedForms.merge(value, form, (a, b) -> a.ordinal() <= b.ordinal() ? a : b);
        derived.add(value);
    }

    @Override
    public Collection<String> known() {
        return current().known();
    }

    /** Every string to replace by the mask, longest first (so a value that contains another is masked whole). */
    Set<String> maskValues() {
        return current().mask();
    }

    private Snapshot current() {
        Secret[] all = secrets;
        int revealed = 0;
        for (Secret s : all) {
            revealed += s.revealed() ? 1 : 0;
        }
        Snapshot s = snapshot;
        int nDerived = derived.size();
        if (s.revealed() == revealed && s.derived() == nDerived) {
            return s;
        }
        Set<String> primary = new LinkedHashSet<>();
        for (Secret secret : all) {
            if (secret.revealed() && !secret.reveal().isEmpty()) {
                primary.add(secret.reveal());
            }
        }
        List<String> known = new ArrayList<>(primary);
        List<String> mask = new ArrayList<>();
        for (String v : primary) {
            mask.addAll(forms.computeIfAbsent(v, x -> forms(x, true)));
        }
        for (String v : List.copyOf(derived)) {
            if (!primary.contains(v)) {
                SecretFlow.Form form = derivedForms.getOrDefault(v, SecretFlow.Form.WHOLE);
                if (form != SecretFlow.Form.DIGESTS) {
                    known.add(v);
                }
                mask.addAll(forms.computeIfAbsent(form.ordinal() + "\0" + v, x -> switch (form) {
                    case LINES -> forms(v, true);
                    case WHOLE -> forms(v, false);
                    case DIGESTS -> digests(v);
                }));
            }
        }
        mask.sort(Comparator.comparingInt(String::length).reversed());
        s = new Snapshot(revealed, nDerived, List.copyOf(known), Collections.unmodifiableSet(new LinkedHashSet<>(mask)));
        snapshot = s;
        return s;
    }

    /**
     * The forms a value can take in output. Per-line forms only for the secrets themselves and for what filters
     * computed from them: text that mixes a secret with other text can be a whole rendered file, whose other lines
     * are not secret.
     */
    static List<String> forms(String v, boolean perLine) {
        Set<String> out = new LinkedHashSet<>();
        String trimmed = v.strip();
        out.add(v);
        out.add(trimmed);
        if (perLine && trimmed.contains("\n")) {
            for (String line : trimmed.split("\r?\n")) {
                out.add(line.strip());
            }
        }
        for (String t : new LinkedHashSet<>(List.of(v, trimmed, trimmed + "\n"))) {
            String b64 = Base64.getEncoder().encodeToString(t.getBytes(StandardCharsets.UTF_8));
            out.add(b64);
            out.add(b64.replace("=", ""));
            out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(t.getBytes(StandardCharsets.UTF_8)));
            for (String alg : List.of("SHA-1", "SHA-256", "MD5")) {
                out.add(hex(alg, t));
            }
        }
        String form = URLEncoder.encode(trimmed, StandardCharsets.UTF_8);
        out.add(form);
        out.add(form.replace("+", "%20"));
        out.add(trimmed.toUpperCase(Locale.ROOT));
        out.add(trimmed.toLowerCase(Locale.ROOT));
        out.add(new StringBuilder(trimmed).reverse().toString());
        out.removeIf(s -> s.length() < MIN);
        return List.copyOf(out);
    }

    /** The digests a module reports of content (copy/template: checksum SHA-1, md5sum) and sha256 of it. */
    static List<String> digests(String v) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : new LinkedHashSet<>(List.of(v, v.strip(), v.strip() + "\n"))) {
            for (String alg : List.of("SHA-1", "SHA-256", "MD5")) {
                out.add(hex(alg, t));
            }
        }
        return List.copyOf(out);
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
