package io.budgetctl.lifecycle.secrets;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code sops:} section of an encrypted file, as sops 3.x writes it (stores/stores.go {@code Metadata}). Only the
 * PGP and age recipient types are usable here; the others (kms, gcp_kms, azure_kv, hc_vault) are counted so a file
 * that needs them can say so instead of failing obscurely.
 */
record SopsMetadata(String lastModified, String mac, String unencryptedSuffix, String encryptedSuffix,
                    String unencryptedRegex, String encryptedRegex, String unencryptedCommentRegex,
                    String encryptedCommentRegex, boolean macOnlyEncrypted, String version, int shamirThreshold,
                    List<KeyGroup> keyGroups) {
    /** The sops format version budgetctl writes: the layout of sops 3.9 (age and pgp at the top level). */
    static final String WRITTEN_VERSION = "3.9.0";
    static final String DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    SopsMetadata {
        keyGroups = List.copyOf(keyGroups);
    }

    record PgpKey(String fingerprint, String createdAt, String enc) {
    }

    record AgeKey(String recipient, String enc) {
    }

    /** One key group: every key in it wraps the same data key. {@code otherKeys} counts unsupported key types. */
    record KeyGroup(List<PgpKey> pgp, List<AgeKey> age, List<String> otherKeys) {
        KeyGroup {
            pgp = List.copyOf(pgp);
            age = List.copyOf(age);
            otherKeys = List.copyOf(otherKeys);
        }
    }

    /** The encryption rules of a file (which values are encrypted), as .sops.yaml or the file's metadata give them. */
    record Rules(String unencryptedSuffix, String encryptedSuffix, String unencryptedRegex, String encryptedRegex,
                 String unencryptedCommentRegex, String encryptedCommentRegex, boolean macOnlyEncrypted) {
        static final Rules DEFAULT = new Rules(DEFAULT_UNENCRYPTED_SUFFIX, "", "", "", "", "", false);
    }

    Rules rules() {
        return new Rules(unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex,
                unencryptedCommentRegex, encryptedCommentRegex, macOnlyEncrypted);
    }

    static SopsMetadata create(Rules rules, List<KeyGroup> groups, String lastModified, String mac) {
        return new SopsMetadata(lastModified, mac, rules.unencryptedSuffix(), rules.encryptedSuffix(),
                rules.unencryptedRegex(), rules.encryptedRegex(), rules.unencryptedCommentRegex(),
                rules.encryptedCommentRegex(), rules.macOnlyEncrypted(), WRITTEN_VERSION, 0, groups);
    }

    SopsMetadata withMac(String lastModified, String mac) {
        return new SopsMetadata(lastModified, mac, unencryptedSuffix, encryptedSuffix, unencryptedRegex,
                encryptedRegex, unencryptedCommentRegex, encryptedCommentRegex, macOnlyEncrypted, version,
                shamirThreshold, keyGroups);
    }

    SopsMetadata withKeyGroups(List<KeyGroup> groups) {
        return new SopsMetadata(lastModified, mac, unencryptedSuffix, encryptedSuffix, unencryptedRegex,
                encryptedRegex, unencryptedCommentRegex, encryptedCommentRegex, macOnlyEncrypted, version,
                shamirThreshold, groups);
    }

    /** "now" the way sops writes lastmodified: RFC 3339, whole seconds, UTC. */
    static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(RFC3339);
    }

    /**
     * lastmodified as Go's {@code time.Parse(RFC3339)} then {@code Format(RFC3339)} gives it: the MAC's additional
     * data. Fractions of seconds are dropped, a zero offset is written {@code Z}.
     */
    String lastModifiedForMac() {
        try {
            return OffsetDateTime.parse(lastModified, DateTimeFormatter.ISO_OFFSET_DATE_TIME).format(RFC3339);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("lastmodified '" + lastModified + "' is not an RFC 3339 time");
        }
    }

    /** Reads the metadata map (YAML/JSON object, or the unflattened dotenv keys). */
    static SopsMetadata fromMap(Map<String, Object> m) {
        List<KeyGroup> groups = new ArrayList<>();
        KeyGroup top = group(m);
        if (!top.pgp().isEmpty() || !top.age().isEmpty() || !top.otherKeys().isEmpty()) {
            groups.add(top);
        } else if (m.get("key_groups") instanceof List<?> l) {
            for (Object g : l) {
                if (g instanceof Map<?, ?> gm) {
                    groups.add(group(stringMap(gm)));
                }
            }
        }
        String unencSuffix = str(m, "unencrypted_suffix");
        String encSuffix = str(m, "encrypted_suffix");
        String unencRegex = str(m, "unencrypted_regex");
        String encRegex = str(m, "encrypted_regex");
        int rules = (unencSuffix.isEmpty() ? 0 : 1) + (encSuffix.isEmpty() ? 0 : 1) + (unencRegex.isEmpty() ? 0 : 1)
                + (encRegex.isEmpty() ? 0 : 1);
        if (rules > 1) {
            throw new IllegalArgumentException("more than one of encrypted_suffix, unencrypted_suffix, "
                    + "encrypted_regex or unencrypted_regex is set");
        }
        if (rules == 0) {
            unencSuffix = DEFAULT_UNENCRYPTED_SUFFIX;
        }
        Object mo = m.get("mac_only_encrypted");
        boolean macOnly = Boolean.TRUE.equals(mo) || "true".equals(mo);
        Object st = m.get("shamir_threshold");
        int shamir = st == null || "".equals(st) ? 0 : Integer.parseInt(String.valueOf(st));
        return new SopsMetadata(str(m, "lastmodified"), str(m, "mac"), unencSuffix, encSuffix, unencRegex, encRegex,
                str(m, "unencrypted_comment_regex"), str(m, "encrypted_comment_regex"), macOnly,
                str(m, "version"), shamir, groups);
    }

    private static KeyGroup group(Map<String, Object> m) {
        List<PgpKey> pgp = new ArrayList<>();
        List<AgeKey> age = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (Map<String, Object> k : list(m.get("pgp"))) {
            pgp.add(new PgpKey(str(k, "fp"), str(k, "created_at"), str(k, "enc")));
        }
        for (Map<String, Object> k : list(m.get("age"))) {
            age.add(new AgeKey(str(k, "recipient"), str(k, "enc")));
        }
        for (String t : List.of("kms", "gcp_kms", "azure_kv", "hc_vault")) {
            for (int i = 0; i < list(m.get(t)).size(); i++) {
                other.add(t);
            }
        }
        return new KeyGroup(pgp, age, other);
    }

    private static List<Map<String, Object>> list(Object o) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                if (x instanceof Map<?, ?> xm) {
                    out.add(stringMap(xm));
                }
            }
        }
        return out;
    }

    static Map<String, Object> stringMap(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    /** The map sops writes, in its field order; empty optional fields left out. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (shamirThreshold > 0) {
            m.put("shamir_threshold", (long) shamirThreshold);
        }
        if (keyGroups.size() > 1) {
            List<Object> gs = new ArrayList<>();
            for (KeyGroup g : keyGroups) {
                Map<String, Object> gm = new LinkedHashMap<>();
                if (!g.pgp().isEmpty()) {
                    gm.put("pgp", pgpList(g));
                }
                if (!g.age().isEmpty()) {
                    gm.put("age", ageList(g));
                }
                gs.add(gm);
            }
            m.put("key_groups", gs);
        } else if (keyGroups.size() == 1 && !keyGroups.get(0).age().isEmpty()) {
            m.put("age", ageList(keyGroups.get(0)));
        }
        m.put("lastmodified", lastModified);
        m.put("mac", mac);
        if (keyGroups.size() == 1 && !keyGroups.get(0).pgp().isEmpty()) {
            m.put("pgp", pgpList(keyGroups.get(0)));
        }
        putIf(m, "unencrypted_suffix", unencryptedSuffix);
        putIf(m, "encrypted_suffix", encryptedSuffix);
        putIf(m, "unencrypted_regex", unencryptedRegex);
        putIf(m, "encrypted_regex", encryptedRegex);
        putIf(m, "unencrypted_comment_regex", unencryptedCommentRegex);
        putIf(m, "encrypted_comment_regex", encryptedCommentRegex);
        if (macOnlyEncrypted) {
            m.put("mac_only_encrypted", true);
        }
        m.put("version", version);
        return m;
    }

    private static List<Object> pgpList(KeyGroup g) {
        List<Object> out = new ArrayList<>();
        for (PgpKey k : g.pgp()) {
            Map<String, Object> km = new LinkedHashMap<>();
            km.put("created_at", k.createdAt());
            km.put("enc", k.enc());
            km.put("fp", k.fingerprint());
            out.add(km);
        }
        return out;
    }

    private static List<Object> ageList(KeyGroup g) {
        List<Object> out = new ArrayList<>();
        for (AgeKey k : g.age()) {
            Map<String, Object> km = new LinkedHashMap<>();
            km.put("recipient", k.recipient());
            km.put("enc", k.enc());
            out.add(km);
        }
        return out;
    }

    private static void putIf(Map<String, Object> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }
}
