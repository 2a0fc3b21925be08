package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Gets a file's 32-byte data key out of its recipients (age natively, then PGP through gpg: sops' default order) and
 * wraps a data key for new recipients. Shamir key groups (more than one group) are not supported.
 */
final class DataKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretsEnv env;
    private final Gpg gpg;

    DataKeys(SecretsEnv env) {
        this.env = env;
        this.gpg = new Gpg(env);
    }

    static byte[] generate() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    byte[] decrypt(SopsMetadata md, SourceLocation where) {
        if (md.keyGroups().isEmpty()) {
            throw new EngineException(where, "the sops metadata names no recipients (no pgp or age keys)",
                    "the file is damaged; restore it from version control");
        }
        if (md.keyGroups().size() > 1) {
            throw new EngineException(where, "the file uses " + md.keyGroups().size()
                    + " key groups (Shamir secret sharing), which budgetctl does not support",
                    "decrypt it with sops and re-encrypt it with a single key group");
        }
        SopsMetadata.KeyGroup g = md.keyGroups().get(0);
        List<String> errors = new ArrayList<>();
        String hint = null;
        if (!g.age().isEmpty()) {
            AgeIdentities.Found found = AgeIdentities.load(env);
            errors.addAll(found.problems());
            if (found.identities().isEmpty()) {
                errors.add("age: no age identity found (looked in " + String.join(", ", found.looked()) + ")");
                hint = "no age identity found: set SOPS_AGE_KEY_FILE to your age key file (age-keygen -o keys.txt)";
            } else {
                for (SopsMetadata.AgeKey k : g.age()) {
                    try {
                        byte[] key = Age.decrypt(k.enc().getBytes(StandardCharsets.US_ASCII), found.identities());
                        return checkLength(key, "age recipient " + k.recipient(), where);
                    } catch (Age.AgeException e) {
                        errors.add("age " + k.recipient() + ": " + e.getMessage());
                    }
                }
                hint = "none of your age identities is a recipient of this file: ask someone who can read it to "
                        + "add your public key to .sops.yaml and run 'budgetctl secrets rotate'";
            }
        }
        for (SopsMetadata.PgpKey k : g.pgp()) {
            try {
                byte[] key = gpg.decrypt(k.enc());
                return checkLength(key, "PGP key " + k.fingerprint(), where);
            } catch (Gpg.GpgException e) {
                errors.add("pgp " + k.fingerprint() + ": " + e.getMessage());
                if (hint == null) {
                    hint = "import the private key of one of the file's PGP recipients into gpg (GNUPGHOME="
                            + env.get("GNUPGHOME").orElse("~/.gnupg") + "), or set SOPS_AGE_KEY_FILE";
                }
            }
        }
        if (!g.otherKeys().isEmpty()) {
            errors.add("not tried (unsupported by budgetctl): " + String.join(", ", g.otherKeys()));
        }
        throw new EngineException(where, "cannot decrypt the data key: " + String.join("; ", errors),
                hint == null ? "the file has no age or PGP recipient budgetctl can use" : hint);
    }

    private static byte[] checkLength(byte[] key, String who, SourceLocation where) {
        if (key.length != 32) {
            throw new EngineException(where, who + " gave a data key of " + key.length + " bytes, not 32",
                    "the file is damaged; restore it from version control");
        }
        return key;
    }

    /** One key group holding {@code dataKey} wrapped for every recipient. */
    SopsMetadata.KeyGroup wrap(byte[] dataKey, Recipients recipients, String createdAt, SourceLocation where) {
        List<SopsMetadata.AgeKey> age = new ArrayList<>();
        for (String r : recipients.age()) {
            try {
                age.add(new SopsMetadata.AgeKey(r, Age.encryptArmored(List.of(r), dataKey)));
            } catch (IllegalArgumentException e) {
                throw new EngineException(where, "bad age recipient '" + r + "': " + e.getMessage(),
                        "an age recipient looks like age1... (age-keygen -y keys.txt prints it)");
            }
        }
        List<SopsMetadata.PgpKey> pgp = new ArrayList<>();
        for (String fp : recipients.pgp()) {
            try {
                pgp.add(new SopsMetadata.PgpKey(fp, createdAt, gpg.encrypt(fp, dataKey)));
            } catch (Gpg.GpgException e) {
                throw new EngineException(where, "cannot encrypt the data key for PGP key " + fp + ": "
                        + e.getMessage(), "import the public key into gpg first (gpg --import KEY.asc)");
            }
        }
        return new SopsMetadata.KeyGroup(pgp, age, List.of());
    }

    /** Who a file is encrypted for. */
    record Recipients(List<String> age, List<String> pgp) {
        Recipients {
            age = List.copyOf(age);
            pgp = List.copyOf(pgp);
        }

        boolean isEmpty() {
            return age.isEmpty() && pgp.isEmpty();
        }

        static Recipients of(SopsMetadata md) {
            List<String> age = new ArrayList<>();
            List<String> pgp = new ArrayList<>();
            for (SopsMetadata.KeyGroup g : md.keyGroups()) {
                g.age().forEach(k -> age.add(k.recipient()));
                g.pgp().forEach(k -> pgp.add(k.fingerprint()));
            }
            return new Recipients(age, pgp);
        }
    }
}
