package io.budgetctl.engine.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * known_hosts files shared by all connections of a run: each file is parsed once (sshj's {@link OpenSSHKnownHosts}
 * understands plain, hashed ({@code |1|salt|hash}), {@code [host]:port} and wildcard entries) and keys accepted
 * with accept-new are appended to the file and remembered. Thread-safe.
 */
final class KnownHosts {

    /** The outcome of looking a key up. {@code file} is where the matching or conflicting entry is. */
    record Lookup(Verdict verdict, Path file, String expectedFingerprint) {
    }

    enum Verdict { MATCH, MISMATCH, UNKNOWN }

    private final Map<Path, OpenSSHKnownHosts> files = new ConcurrentHashMap<>();

    private OpenSSHKnownHosts load(Path file) {
        return files.computeIfAbsent(file.toAbsolutePath().normalize(), f -> {
            try {
                return new OpenSSHKnownHosts(f.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read known_hosts file " + f + ": " + e.getMessage(), e);
            }
        });
    }

    /** The host as known_hosts names it: {@code host} on port 22, else {@code [host]:port}. */
    static String entryHost(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** A match in any file wins; else a same-type key for the host that differs is a mismatch; else unknown. */
    Lookup lookup(List<Path> knownHostsFiles, String host, int port, PublicKey key) {
        String name = entryHost(host, port);
        KeyType type = KeyType.fromKey(key);
        Lookup mismatch = null;
        for (Path f : knownHostsFiles) {
            OpenSSHKnownHosts kh = load(f);
            synchronized (kh) {
                for (OpenSSHKnownHosts.KnownHostEntry e : kh.entries()) {
                    try {
                        if (!e.appliesTo(type, name)) {
                            continue;
                        }
                        if (e.verify(key)) {
                            return new Lookup(Verdict.MATCH, f, fingerprint(key));
                        }
                        if (mismatch == null) {
                            mismatch = new Lookup(Verdict.MISMATCH, f, e.getFingerprint());
                        }
                    } catch (IOException ex) {
                        // an entry sshj cannot evaluate (bad hash) does not decide anything
                    }
                }
            }
        }
        return mismatch != null ? mismatch : new Lookup(Verdict.UNKNOWN, null, null);
    }

    /** Key algorithms already known for the host, so the key exchange asks for a key we can check. */
    List<String> knownAlgorithms(List<Path> knownHostsFiles, String host, int port) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (Path f : knownHostsFiles) {
            OpenSSHKnownHosts kh = load(f);
            synchronized (kh) {
                out.addAll(kh.findExistingAlgorithms(host, port));
            }
        }
        return new ArrayList<>(out);
    }

    /** Appends {@code host keytype base64} to {@code file} (created with its directory if needed) and remembers it. */
    void add(Path file, String host, int port, PublicKey key) {
        String line = entryHost(host, port) + " " + KeyType.fromKey(key) + " "
                + Base64.getEncoder().encodeToString(blob(key)) + "\n";
        OpenSSHKnownHosts kh = load(file);
        synchronized (kh) {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                OpenSSHKnownHosts fresh = new OpenSSHKnownHosts(new java.io.StringReader(line));
                kh.entries().addAll(fresh.entries());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record host key in " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** OpenSSH's fingerprint format: {@code SHA256:} and unpadded base64 of the key blob's SHA-256. */
    static String fingerprint(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob(key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }
}
