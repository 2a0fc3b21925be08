package io.budgetctl.engine.ssh;

import io.budgetctl.engine.connection.UnreachableException;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * Loads private keys once per run (50 hosts sharing one key parse and decrypt it once). Formats: OpenSSH
 * ({@code -----BEGIN OPENSSH PRIVATE KEY-----}), PEM/PKCS#1/PKCS#8 and PuTTY; types ed25519, rsa, ecdsa. An
 * encrypted key's passphrase comes from {@code BUDGETCTL_SSH_KEY_PASSPHRASE}, else from a prompt when a console
 * is attached, else the key is reported as unusable.
 */
final class KeyLoader {
    static final String PASSPHRASE_ENV = "BUDGETCTL_SSH_KEY_PASSPHRASE";

    private final Config config;
    private final Map<String, String> env;
    private final Map<Path, KeyProvider> cache = new ConcurrentHashMap<>();
    private final Map<Path, char[]> prompted = new ConcurrentHashMap<>();

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
