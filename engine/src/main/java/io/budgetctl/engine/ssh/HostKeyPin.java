package io.budgetctl.engine.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/**
 * A server's public host key pinned by the deployments repository ({@code ssh.host_key} of a client file, host
 * variable {@code budgetctl_ssh_host_key}): {@code <type> <base64>} as in known_hosts without the host name (a
 * trailing comment, as in a {@code .pub} file, is allowed here; the client schema does not allow one). When a host
 * has a pin, the server's key must be exactly this one; known_hosts and StrictHostKeyChecking do not apply to it.
 */
public final class HostKeyPin {
    /** The key types the client schema allows, as OpenSSH names them. */
    static final Set<String> TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa");

    private final String type;
    private final byte[] blob;
    private final PublicKey key;

    private HostKeyPin(String type, byte[] blob, PublicKey key) {
        this.type = type;
        this.blob = blob;
        this.key = key;
    }

    /**
     * Parses {@code <type> <base64> [comment]}.
     *
     * @throws IllegalArgumentException with a one-line reason (no key material beyond the type) when it is not a
     *                                  usable public key of one of {@link #TYPES}
     */
    public static HostKeyPin parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("it is empty");
        }
        String[] f = text.strip().split("\\s+");
        if (f.length < 2) {
            throw new IllegalArgumentException("it needs the key type and the base64 key, separated by a space");
        }
        String type = f[0];
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("'" + type + "' is not a host key type budgetctl can pin (one of "
                    + String.join(", ", TYPES.stream().sorted().toList()) + ")");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(f[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not valid base64");
        }
        String inner;
        try {
            inner = new Buffer.PlainBuffer(blob).readString();
        } catch (Buffer.BufferException | RuntimeException e) {
            throw new IllegalArgumentException("the base64 text is not an SSH public key (it is cut short or"
                    + " not a key at all)");
        }
        if (!inner.equals(type)) {
            throw new IllegalArgumentException("the line says " + type + " but the key inside is "
                    + (printable(inner) ? "'" + inner + "'" : "not an SSH key"));
        }
        PublicKey key;
        try {
            key = new Buffer.PlainBuffer(blob).readPublicKey();
        } catch (Buffer.BufferException | RuntimeException e) {
            throw new IllegalArgumentException("the " + type + " key cannot be decoded (it is cut short or"
                    + " damaged)");
        }
        if (!MessageDigest.isEqual(KnownHosts.blob(key), blob)) {
            throw new IllegalArgumentException("the " + type + " key has extra or missing bytes");
        }
        return new HostKeyPin(type, blob, key);
    }

    /** True when the server offered exactly this key. */
    boolean matches(PublicKey offered) {
        return MessageDigest.isEqual(blob, KnownHosts.blob(offered));
    }

    /** The pinned key's type as OpenSSH names it ({@code ssh-ed25519}). */
    public String type() {
        return type;
    }

    /** OpenSSH's fingerprint of the pinned key ({@code SHA256:...}). */
    public String fingerprint() {
        return KnownHosts.fingerprint(key);
    }

    /**
     * The host key algorithms to ask the server for, so it shows the pinned key and not another of its keys: the
     * key's own type; for RSA the SHA-2 signatures first (OpenSSH servers no longer sign with ssh-rsa/SHA-1).
     */
    List<String> algorithms() {
        return KeyType.fromKey(key) == KeyType.RSA ? List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")
                : List.of(type);
    }

    private static boolean printable(String s) {
        return !s.isEmpty() && s.length() <= 64 && s.chars().allMatch(c -> c > 32 && c < 127)
                && s.getBytes(StandardCharsets.UTF_8).length == s.length();
    }

    @Override
    public String toString() {
        return type + " " + fingerprint();
    }
}
