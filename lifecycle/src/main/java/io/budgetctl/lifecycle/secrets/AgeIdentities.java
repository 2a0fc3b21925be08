package io.budgetctl.lifecycle.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where sops finds age identities, in its order: {@code $SOPS_AGE_KEY} (the keys themselves), the file named by
 * {@code $SOPS_AGE_KEY_FILE}, and {@code <user config dir>/sops/age/keys.txt} (~/.config/sops/age/keys.txt unless
 * XDG_CONFIG_HOME is set). One identity per line; empty lines and {@code #} comments are skipped (age-keygen's
 * format). Plugin and SSH identities are not supported.
 */
final class AgeIdentities {
    static final String KEY_ENV = "SOPS_AGE_KEY";
    static final String KEY_FILE_ENV = "SOPS_AGE_KEY_FILE";

    /** The identities found, where they were looked for, and what went wrong reading them. */
    record Found(List<Age.Identity> identities, List<String> looked, List<String> problems) {
    }

    private AgeIdentities() {
    }

    static Found load(SecretsEnv env) {
        List<Age.Identity> ids = new ArrayList<>();
        List<String> looked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        env.get(KEY_ENV).ifPresentOrElse(v -> parse(v, "$" + KEY_ENV, ids, problems),
                () -> looked.add("$" + KEY_ENV));
        env.get(KEY_FILE_ENV).ifPresentOrElse(f -> readFile(Path.of(f), "$" + KEY_FILE_ENV + " (" + f + ")", ids,
                looked, problems), () -> looked.add("$" + KEY_FILE_ENV));
        Path def = env.userConfigDir().resolve("sops/age/keys.txt");
        readFile(def, def.toString(), ids, looked, problems);
        return new Found(ids, looked, problems);
    }

    private static void readFile(Path f, String label, List<Age.Identity> ids, List<String> looked,
                                 List<String> problems) {
        try {
            parse(Files.readString(f, StandardCharsets.UTF_8), label, ids, problems);
        } catch (NoSuchFileException e) {
            looked.add(label);
        } catch (IOException e) {
            problems.add(label + ": " + e.getMessage());
        }
    }

    static void parse(String text, String label, List<Age.Identity> ids, List<String> problems) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                ids.add(Age.Identity.parse(l));
            } catch (IllegalArgumentException e) {
                problems.add(label + " line " + (i + 1) + ": not an age X25519 identity (AGE-SECRET-KEY-1...)");
            }
        }
    }
}
