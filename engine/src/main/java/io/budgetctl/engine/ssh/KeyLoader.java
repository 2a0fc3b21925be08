package io.budgetctl.engine.ssh;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.connection.UnreachableException;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * Loads private keys once per run (50 hosts sharing one key parse and decrypt it once). Formats: OpenSSH
 * ({@code -----BEGIN OPENSSH PRIVATE KEY-----}), PEM/PKCS#1/PKCS#8 and PuTTY; types ed25519, rsa, ecdsa. An
 * encrypted key's passphrase comes from {@code BUDGETCTL_SSH_KEY_PASSPHRASE}, else from a prompt when a console
 * is attached, else the key is reported as unusable. A key held in memory (the repository's {@code ssh.key}) is
 * parsed from its text and never touches the disk.
 */
final class KeyLoader {
    static final String PASSPHRASE_ENV = "BUDGETCTL_SSH_KEY_PASSPHRASE";

    private final Config config;
    private final Map<String, String> env;
    private final Map<Path, KeyProvider> cache = new ConcurrentHashMap<>();
    private final Map<Path, char[]> prompted = new ConcurrentHashMap<>();
    /** Keys loaded from memory, by the SHA-256 of their text (the text itself is not kept here). */
    private final Map<String, KeyProvider> memory = new ConcurrentHashMap<>();

    KeyLoader(Config config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    /**
     * Loads and decrypts a key (once). Throws AUTH {@link UnreachableException} naming the file when it is
     * missing, unreadable, of an unknown format or encrypted without a usable passphrase.
     */
    KeyProvider load(Path file, String host) {
        Path key = file.toAbsolutePath().normalize();
        KeyProvider cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
            if (!Files.isReadable(key)) {
                throw new UnreachableException(UnreachableException.Kind.AUTH, "private key " + key
                        + " for " + host + " does not exist or is not readable: check ansible_ssh_private_key_file");
            }
            try (SSHClient loader = new SSHClient(config)) {
                KeyProvider kp = loader.loadKeys(key.toString(), passwords(key));
                kp.getPrivate(); // decrypt now: a wrong passphrase shows here, once, with the file's name
                kp.getPublic();
                cache.put(key, kp);
                return kp;
            } catch (IOException | RuntimeException e) {
                String hint = env.get(PASSPHRASE_ENV) == null
                        ? " (if it is encrypted, set " + PASSPHRASE_ENV + ")"
                        : " (is " + PASSPHRASE_ENV + " right?)";
                throw new UnreachableException(UnreachableException.Kind.AUTH, "cannot use private key " + key
                        + ": " + Failures.describe(e) + hint, e);
            }
        }
    }

    /**
     * Loads and decrypts a private key held in memory (the deployments repository's {@code ssh.key}, resolved from
     * SOPS or Vault), once per run for the same key text. The text is parsed from a string: it is never written to a
     * file, and no message repeats it. An encrypted key's passphrase comes from {@value #PASSPHRASE_ENV} only.
     *
     * @param source what the key is, for messages ({@code ssh.key sops:secrets/acme.sops.yaml#ssh_key})
     * @throws Unusable (AUTH) naming {@code source} when the text is not a usable private key
     * @throws io.budgetctl.engine.api.EngineException when the secret cannot be resolved (from {@link Secret#reveal})
     */
    KeyProvider load(Secret keyText, String source, String host) {
        String text = keyText.reveal();
        String id = digest(text);
        KeyProvider cached = memory.get(id);
        if (cached != null) {
            return cached;
        }
        synchronized (this) {
            cached = memory.get(id);
            if (cached != null) {
                return cached;
            }
            String problem = privateKeyShape(text);
            if (problem != null) {
                throw new Unusable("cannot use the private key from " + source + " for " + host + ": " + problem,
                        MEMORY_HINT);
            }
            try (SSHClient loader = new SSHClient(config)) {
                KeyProvider kp = loader.loadKeys(normalized(text), null, fromEnvOnly());
                kp.getPrivate();
                kp.getPublic();
                memory.put(id, kp);
                return kp;
            } catch (IOException | RuntimeException e) {
                String why = withoutKeyText(Failures.describe(e), text);
                String hint = !encrypted(text) ? MEMORY_HINT
                        : env.get(PASSPHRASE_ENV) == null ? "it is encrypted: set " + PASSPHRASE_ENV
                        + ", or keep it unencrypted in the secret (SOPS or Vault already protects it)"
                        : "is " + PASSPHRASE_ENV + " right?";
                throw new Unusable("cannot use the private key from " + source + " for " + host + ": " + why,
                        hint);
            }
        }
    }

    /** A key held in memory that cannot be used: AUTH, with the reason and the hint apart for the pre-run check. */
    static final class Unusable extends UnreachableException {
        private final String reason;
        private final String hint;

        Unusable(String reason, String hint) {
            super(Kind.AUTH, reason + " (" + hint + ")");
            this.reason = reason;
            this.hint = hint;
        }

        String reason() {
            return reason;
        }

        String hint() {
            return hint;
        }
    }

    private static final String MEMORY_HINT = "store the whole private key file in the secret, BEGIN and END"
            + " lines included (budgetctl secrets edit <file>); ssh-keygen -y -f on that file must print its public"
            + " key";

    /**
     * Whether the key text is protected by a passphrase: OpenSSH's format names a cipher other than "none", PEM has
     * {@code Proc-Type: 4,ENCRYPTED} or is an encrypted PKCS#8 block, PuTTY names an encryption.
     */
    static boolean encrypted(String text) {
        if (text.contains("Proc-Type: 4,ENCRYPTED") || text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            return true;
        }
        for (String line : text.split("\\R")) {
            if (line.startsWith("Encryption:")) {
                return !line.substring("Encryption:".length()).strip().equals("none");
            }
        }
        if (!text.contains("BEGIN OPENSSH PRIVATE KEY")) {
            return false;
        }
        StringBuilder b64 = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (!line.startsWith("-----")) {
                b64.append(line.strip());
            }
        }
        try {
            Buffer.PlainBuffer buf = new Buffer.PlainBuffer(Base64.getDecoder().decode(b64.toString()));
            byte[] magic = new byte[15]; // "openssh-key-v1\0"
            buf.readRawBytes(magic);
            return !buf.readString().equals("none");
        } catch (IllegalArgumentException | Buffer.BufferException e) {
            return false;
        }
    }

    /** Null when {@code text} looks like a private key file, else why not (without repeating any of it). */
    static String privateKeyShape(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "the secret is empty";
        }
        if (t.startsWith("PuTTY-User-Key-File-")) {
            return null;
        }
        if (!t.startsWith("-----BEGIN ") || !t.contains("PRIVATE KEY-----")) {
            return t.startsWith("ssh-") || t.startsWith("ecdsa-")
                    ? "the secret holds a public key, not the private key"
                    : "the secret is not a private key (no -----BEGIN ... PRIVATE KEY----- line)";
        }
        if (!t.contains("-----END ")) {
            return "the private key is cut short (no -----END ... PRIVATE KEY----- line)";
        }
        return null;
    }

    /**
     * {@code message} unless it repeats part of the key text (a parser quoting the line it choked on), then a
     * general reason: a line of the key, or a word of 12 or more characters that occurs in the key outside its
     * BEGIN/END lines, gives it away.
     */
    static String withoutKeyText(String message, String keyText) {
        String general = "it is not a private key in a format budgetctl reads (OpenSSH, PEM/PKCS#8 or PuTTY;"
                + " ed25519, ecdsa or rsa)";
        StringBuilder body = new StringBuilder();
        for (String line : keyText.split("\\R")) {
            String l = line.strip();
            if (l.startsWith("-----")) {
                continue;
            }
            if (l.length() >= 8 && message.contains(l)) {
                return general;
            }
            body.append(l).append('\n');
        }
        for (String word : message.split("[^A-Za-z0-9+/=]+")) {
            if (word.length() >= 12 && body.indexOf(word) >= 0) {
                return general;
            }
        }
        return message;
    }

    /** Line ends as a key file has them, and a final newline (YAML block scalars may drop or keep it). */
    private static String normalized(String text) {
        String t = text.replace("\r\n", "\n").strip();
        return t + "\n";
    }

    private static String digest(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private PasswordFinder fromEnvOnly() {
        return new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                String fromEnv = env.get(PASSPHRASE_ENV);
                return fromEnv == null ? null : fromEnv.toCharArray();
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false;
            }
        };
    }

    private PasswordFinder passwords(Path key) {
        return new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                String fromEnv = env.get(PASSPHRASE_ENV);
                if (fromEnv != null) {
                    return fromEnv.toCharArray();
                }
                Console console = System.console();
                if (console == null) {
                    return null;
                }
                return prompted.computeIfAbsent(key,
                        k -> console.readPassword("Enter passphrase for key %s: ", k));
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false;
            }
        };
    }
}
