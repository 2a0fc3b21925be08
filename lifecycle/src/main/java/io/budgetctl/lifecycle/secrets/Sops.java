package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * SOPS, natively: reads files the real {@code sops} 3.x wrote (YAML, JSON, dotenv; data key from age or PGP
 * recipients; MAC verified) and writes files it can read back ({@link #encryptFile}, {@link #rotate},
 * {@link #reencrypt}). Every failure is an {@link EngineException} naming the file, what is wrong and what to do.
 */
public final class Sops {
    private final SecretsEnv env;
    private final DataKeys dataKeys;

    public Sops(SecretsEnv env) {
        this.env = env;
        this.dataKeys = new DataKeys(env);
    }

    public SecretsEnv env() {
        return env;
    }

    /** Decrypts {@code file}, refusing a file whose MAC is missing or does not match. */
    public SopsDocument decrypt(Path file) {
        return decrypt(file, false);
    }

    /**
     * Decrypts {@code file}. With {@code ignoreMissingMac} a file without MAC is accepted (sops'
     * {@code --ignore-mac}); a MAC that is present must still match.
     */
    public SopsDocument decrypt(Path file, boolean ignoreMissingMac) {
        SourceLocation where = SourceLocation.of(file.toString());
        SopsFormat format = SopsFormat.of(file);
        List<Branch> branches = load(format, read(file), file);
        Map<String, Object> raw = format.store().extractMetadata(branches);
        if (raw == null) {
            throw new EngineException(where, "is not encrypted with sops (it has no sops metadata)",
                    "encrypt it with 'budgetctl secrets encrypt " + file + "'");
        }
        SopsMetadata md;
        try {
            md = SopsMetadata.fromMap(raw);
            md.lastModifiedForMac();
        } catch (IllegalArgumentException e) {
            throw new EngineException(where, "has unusable sops metadata: " + e.getMessage(),
                    "restore the file from version control");
        }
        if (md.mac().isEmpty() && !ignoreMissingMac) {
            throw new EngineException(where, "has no MAC, so nothing proves its values were not changed",
                    "if you trust this file, re-encrypt it once with 'budgetctl secrets rotate --ignore-mac "
                            + file + "'");
        }
        byte[] key = dataKeys.decrypt(md, where);
        String computed;
        try {
            computed = new SopsTree(md.rules()).decrypt(branches, key);
        } catch (SopsTree.LeafFailure e) {
            throw new EngineException(where, "cannot decrypt the value at '" + e.path + "': " + e.getMessage(),
                    "the value was altered or copied from another file; restore the file from version control");
        }
        if (!md.mac().isEmpty()) {
            verifyMac(md, key, computed, where);
        }
        return new SopsDocument(file, format, branches, md, key);
    }

    private static void verifyMac(SopsMetadata md, byte[] key, String computed, SourceLocation where) {
        Object stored;
        try {
            stored = SopsCipher.decrypt(md.mac(), key, md.lastModifiedForMac());
        } catch (SopsCipher.CipherFailure e) {
            throw macMismatch(where, "the stored MAC does not decrypt (" + e.getMessage()
                    + "; was lastmodified changed?)");
        }
        byte[] a;
        byte[] b;
        try {
            a = HexFormat.of().parseHex(String.valueOf(stored).toLowerCase(Locale.ROOT));
            b = HexFormat.of().parseHex(computed.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw macMismatch(where, "the stored MAC is not hexadecimal");
        }
        if (!MessageDigest.isEqual(a, b)) {
            throw macMismatch(where, "the values do not match the file's MAC");
        }
    }

    private static EngineException macMismatch(SourceLocation where, String detail) {
        return new EngineException(where, "MAC mismatch: " + detail + " - the file was changed without sops, "
                + "refusing to use it", "restore the file from version control (git diff shows what changed), "
                + "then edit it only with 'budgetctl secrets edit' or sops");
    }

    /** The decrypted file in its own format (what {@code sops -d FILE} prints). */
    public String view(Path file, boolean ignoreMissingMac) {
        return decrypt(file, ignoreMissingMac).plaintext();
    }

    /**
     * Encrypts a plaintext file in place for the recipients of the nearest {@code .sops.yaml}'s matching creation
     * rule. Refuses a file that is already encrypted.
     */
    public void encryptFile(Path file) {
        SourceLocation where = SourceLocation.of(file.toString());
        SopsFormat format = SopsFormat.of(file);
        List<Branch> branches = load(format, read(file), file);
        if (format.store().extractMetadata(branches) != null) {
            throw new EngineException(where, "is already encrypted with sops",
                    "use 'budgetctl secrets edit' to change it or 'budgetctl secrets rotate' for a new data key");
        }
        SopsConfig.Rule rule = ruleFor(file);
        byte[] key = DataKeys.generate();
        String now = SopsMetadata.now();
        SopsMetadata md = SopsMetadata.create(rule.rules(),
                List.of(dataKeys.wrap(key, rule.recipients(), now, where)), now, "");
        write(file, encryptBranches(format, branches, md, key));
    }

    /**
     * A new data key, wrapped for the recipients the nearest {@code .sops.yaml} names for this file (or, without a
     * .sops.yaml, for the file's current recipients); every value re-encrypted under it.
     */
    public void rotate(Path file, boolean ignoreMissingMac) {
        SopsDocument doc = decrypt(file, ignoreMissingMac);
        SourceLocation where = SourceLocation.of(file.toString());
        Optional<SopsConfig> config = SopsConfig.find(file);
        DataKeys.Recipients recipients = config.isPresent() ? config.get().ruleFor(file).recipients()
                : DataKeys.Recipients.of(doc.metadata());
        byte[] key = DataKeys.generate();
        String now = SopsMetadata.now();
        SopsMetadata md = doc.metadata().withKeyGroups(List.of(dataKeys.wrap(key, recipients, now, where)));
        write(file, encryptBranches(doc.format(), doc.branches(), md, key));
    }

    /**
     * Writes {@code plaintext} (the edited document, in the file's format) back to {@code doc}'s file, encrypted with
     * the same data key and recipients, as sops' edit does.
     */
    public void reencrypt(SopsDocument doc, String plaintext) {
        List<Branch> branches = load(doc.format(), plaintext, doc.file());
        if (doc.format().store().extractMetadata(branches) != null) {
            throw new EngineException(SourceLocation.of(doc.file().toString()), "the edited document has a top-level "
                    + "'sops' key", "remove it: 'sops' is reserved for the encryption metadata");
        }
        write(doc.file(), encryptBranches(doc.format(), branches, doc.metadata(), doc.dataKey()));
    }

    private static String encryptBranches(SopsFormat format, List<Branch> branches, SopsMetadata md, byte[] key) {
        String mac = new SopsTree(md.rules()).encrypt(branches, key);
        SopsMetadata stamped = md.withMac(SopsMetadata.now(), "");
        String encMac = SopsCipher.encrypt(mac, key, stamped.lastModifiedForMac());
        return format.store().emitEncrypted(branches, stamped.withMac(stamped.lastModified(), encMac));
    }

    private static SopsConfig.Rule ruleFor(Path file) {
        return SopsConfig.find(file).orElseThrow(() -> new EngineException(SourceLocation.of(file.toString()),
                "no " + SopsConfig.NAME + " found in its directory or above, so there is nobody to encrypt for",
                "create " + SopsConfig.NAME + " at the repository root with creation_rules: - path_regex: ... "
                        + "age: age1...")).ruleFor(file);
    }

    static List<Branch> load(SopsFormat format, String text, Path file) {
        try {
            return format.store().loadPlain(text, file.toString());
        } catch (YamlEngineException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "does not parse as YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), "fix the syntax (a .yaml secrets file must be "
                    + "a YAML mapping)");
        } catch (IllegalArgumentException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "does not parse as "
                    + format.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(), "fix the file's syntax");
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "no such file",
                    "check the path (secret references are relative to the repository root)");
        } catch (MalformedInputException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "is not UTF-8 text",
                    "secrets files are YAML, JSON or dotenv text");
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "cannot be read: " + e.getMessage(),
                    "check its permissions");
        }
    }

    /** Replaces the file atomically (temp file beside it, then rename), keeping its permissions. */
    static void write(Path file, String text) {
        try {
            io.budgetctl.lifecycle.repo.RepoFiles.replace(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
