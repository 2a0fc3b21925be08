package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A {@code .sops.yaml}: its {@code creation_rules}, the first whose {@code path_regex} finds a match in the file's path
 * relative to the config's directory (or that has no path_regex) decides the recipients ({@code age}, {@code pgp}:
 * comma-separated strings or lists, or one {@code key_groups} entry) and the encryption rules
 * ({@code unencrypted_suffix}, {@code encrypted_regex}, ...), as in sops.
 */
record SopsConfig(Path file, List<Map<String, Object>> rules) {
    static final String NAME = ".sops.yaml";
    private static final Set<String> UNSUPPORTED = Set.of("kms", "gcp_kms", "azure_keyvault", "hc_vault_transit_uri",
            "aws_profile");

    /** A matching creation rule, resolved. */
    record Rule(DataKeys.Recipients recipients, SopsMetadata.Rules rules) {
    }

    /** The nearest .sops.yaml in the file's directory or above it. */
    static Optional<SopsConfig> find(Path target) {
        Path dir = target.toAbsolutePath().normalize().getParent();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path c = d.resolve(NAME);
            if (Files.isRegularFile(c)) {
                return Optional.of(load(c));
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    static SopsConfig load(Path file) {
        SourceLocation where = SourceLocation.of(file.toString());
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(
                    Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (YamlEngineException e) {
            throw new EngineException(where, "does not parse as YAML: " + e.getMessage().lines().findFirst()
                    .orElse(""), "fix the YAML syntax of " + NAME);
        }
        List<Map<String, Object>> rules = new ArrayList<>();
        if (root instanceof Map<?, ?> m && m.get("creation_rules") instanceof List<?> l) {
            for (Object r : l) {
                if (!(r instanceof Map<?, ?>)) {
                    throw new EngineException(where, "a creation_rules entry is not a mapping",
                            "each entry looks like '- path_regex: ...\\n  age: age1...'");
                }
                rules.add(SopsMetadata.stringMap((Map<?, ?>) r));
            }
        }
        return new SopsConfig(file, rules);
    }

    /** The rule for {@code target}; an error when none matches. */
    Rule ruleFor(Path target) {
        SourceLocation where = SourceLocation.of(file.toString());
        Path dir = file.toAbsolutePath().normalize().getParent();
        Path abs = target.toAbsolutePath().normalize();
        String rel = abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
        rel = rel.replace('\\', '/');
        for (Map<String, Object> r : rules) {
            Object re = r.get("path_regex");
            if (re != null && !String.valueOf(re).isEmpty()) {
                try {
                    if (!Pattern.compile(String.valueOf(re)).matcher(rel).find()) {
                        continue;
                    }
                } catch (PatternSyntaxException e) {
                    throw new EngineException(where, "path_regex '" + re + "' is not a valid regular expression: "
                            + e.getDescription(), "fix the path_regex in " + NAME);
                }
            }
            return resolve(r, where);
        }
        throw new EngineException(where, "no creation rule matches '" + rel + "'",
                "add a creation_rules entry whose path_regex matches it (or one without path_regex as a default)");
    }

    private static Rule resolve(Map<String, Object> r, SourceLocation where) {
        for (String k : UNSUPPORTED) {
            if (r.containsKey(k)) {
                throw new EngineException(where, "creation rule uses '" + k + "', which budgetctl does not support",
                        "use age or pgp recipients");
            }
        }
        List<String> age = new ArrayList<>(list(r.get("age")));
        List<String> pgp = new ArrayList<>(list(r.get("pgp")));
        if (r.get("key_groups") instanceof List<?> groups) {
            if (groups.size() > 1) {
                throw new EngineException(where, "creation rule has " + groups.size() + " key_groups (Shamir), which "
                        + "budgetctl does not support", "list all recipients in one key group");
            }
            for (Object g : groups) {
                if (g instanceof Map<?, ?> gm) {
                    age.addAll(list(gm.get("age")));
                    pgp.addAll(list(gm.get("pgp")));
                }
            }
        }
        DataKeys.Recipients recipients = new DataKeys.Recipients(age, pgp);
        if (recipients.isEmpty()) {
            throw new EngineException(where, "the matching creation rule names no age or pgp recipient",
                    "add 'age: age1...' (your public key from age-keygen -y) or 'pgp: FINGERPRINT'");
        }
        String unencSuffix = str(r, "unencrypted_suffix");
        String encSuffix = str(r, "encrypted_suffix");
        String unencRegex = str(r, "unencrypted_regex");
        String encRegex = str(r, "encrypted_regex");
        int n = (unencSuffix.isEmpty() ? 0 : 1) + (encSuffix.isEmpty() ? 0 : 1) + (unencRegex.isEmpty() ? 0 : 1)
                + (encRegex.isEmpty() ? 0 : 1);
        if (n > 1) {
            throw new EngineException(where, "creation rule sets more than one of unencrypted_suffix, "
                    + "encrypted_suffix, unencrypted_regex and encrypted_regex", "keep one of them (sops allows one)");
        }
        if (n == 0) {
            unencSuffix = SopsMetadata.DEFAULT_UNENCRYPTED_SUFFIX;
        }
        Object macOnly = r.get("mac_only_encrypted");
        return new Rule(recipients, new SopsMetadata.Rules(unencSuffix, encSuffix, unencRegex, encRegex,
                str(r, "unencrypted_comment_regex"), str(r, "encrypted_comment_regex"),
                Boolean.TRUE.equals(macOnly) || "true".equals(String.valueOf(macOnly))));
    }

    private static List<String> list(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.addAll(list(x)));
        } else if (o != null) {
            for (String s : String.valueOf(o).split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip().replace(" ", ""));
                }
            }
        }
        return out;
    }

    private static String str(Map<String, Object> r, String k) {
        Object v = r.get(k);
        return v == null ? "" : String.valueOf(v);
    }
}
