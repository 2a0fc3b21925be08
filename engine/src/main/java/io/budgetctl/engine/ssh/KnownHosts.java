package io.budgetctl.engine.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * known_hosts files shared by all connections of a run, thread-safe. Each file is read once as text; for each host
 * name only the lines that can apply to it (the name itself, a wildcard pattern, or a hashed {@code |1|salt|hash}
 * entry whose HMAC matches) are handed to sshj's {@link OpenSSHKnownHosts}, which does the matching (plain, hashed,
 * {@code [host]:port}, wildcard, negation). Parsing every key of a large file is what we avoid: sshj decodes each
 * key and BouncyCastle runs a probable-prime test on every RSA modulus (about 60 ms each), so a 50-host
 * known_hosts took ~10 s before the first connection. For the same reason only lines of the offered key's type are
 * parsed for a lookup, and the known algorithms come from the lines' type field (a host with rsa, ecdsa and
 * ed25519 entries used to cost an RSA parse per connection even when it offered ecdsa). Keys accepted with accept-new are appended and remembered.
 */
final class KnownHosts {

    /** The outcome of looking a key up. {@code file} is where the matching or conflicting entry is. */
    record Lookup(Verdict verdict, Path file, String expectedFingerprint) {
    }

    enum Verdict { MATCH, MISMATCH, UNKNOWN }

    private final Map<Path, List<String>> files = new ConcurrentHashMap<>();
    private final Map<String, OpenSSHKnownHosts> perHost = new ConcurrentHashMap<>();

    private List<String> lines(Path f) {
        return files.computeIfAbsent(f, p -> {
            if (!Files.exists(p)) {
                return new CopyOnWriteArrayList<>();
            }
            try {
                return new CopyOnWriteArrayList<>(Files.readAllLines(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read known_hosts file " + p + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * The entries of {@code file} that may apply to {@code name} ({@code host} or {@code [host]:port}) and may hold
     * a key of {@code type}: lines of another key type can neither match nor conflict (sshj compares keys of the same
     * type only), so they are not parsed. Lines with a marker or a key type sshj does not know are always kept.
     */
    private OpenSSHKnownHosts load(Path file, String name, KeyType type) {
        Path f = file.toAbsolutePath().normalize();
        return perHost.computeIfAbsent(f + "\n" + name + "\n" + type, k -> {
            StringBuilder relevant = new StringBuilder();
            for (String line : lines(f)) {
                if (mayApply(line, name) && mayHoldType(line, type)) {
                    relevant.append(line).append('\n');
                }
            }
            return parse(f, relevant.toString());
        });
    }

    private static OpenSSHKnownHosts parse(Path f, String text) {
        try {
            return new OpenSSHKnownHosts(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse known_hosts file " + f + ": " + e.getMessage(), e);
        }
    }

    /** False only for a plain line whose key type field names a known type other than {@code type}. */
    static boolean mayHoldType(String line, KeyType type) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 2 || f[0].startsWith("@")) {
            return true;
        }
        KeyType t = KeyType.fromString(f[1]);
        return t == KeyType.UNKNOWN || t == type;
    }

    /**
     * The key type of a line that certainly names {@code name} (plain, no marker, one of its host patterns is
     * exactly the name and none is a wildcard or negation; or hashed and its HMAC matches) and has a key type sshj
     * knows; null when only sshj can tell.
     */
    static KeyType certainType(String line, String name) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 3 || f[0].startsWith("@")) {
            return null;
        }
        KeyType t = KeyType.fromString(f[1]);
        if (t == KeyType.UNKNOWN) {
            return null;
        }
        if (f[0].startsWith("|1|")) {
            return hashedName(f[0], name) == Boolean.TRUE ? t : null;
        }
        boolean named = false;
        for (String pattern : f[0].split(",")) {
            if (pattern.startsWith("!") || pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0) {
                return null;
            }
            named |= pattern.equals(name);
        }
        return named ? t : null;
    }

    /** Conservative: true unless the line certainly names other hosts only. */
    static boolean mayApply(String line, String name) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return false;
        }
        String[] f = t.split("\\s+");
        int i = f[0].startsWith("@") ? 1 : 0;
        if (f.length <= i) {
            return false;
        }
        String hosts = f[i];
        if (hosts.startsWith("|1|")) {
            return hashedName(hosts, name) != Boolean.FALSE;
        }
        for (String pattern : hosts.split(",")) {
            String p = pattern.startsWith("!") ? pattern.substring(1) : pattern;
            if (p.equalsIgnoreCase(name) || p.indexOf('*') >= 0 || p.indexOf('?') >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a {@code |1|base64(salt)|base64(HMAC-SHA1(salt, name))} entry names {@code name}; null when it cannot
     * be decoded (kept for sshj to judge).
     */
    private static Boolean hashedName(String hashed, String name) {
        String[] parts = hashed.split("\\|");
        if (parts.length != 4) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(parts[2]), "HmacSHA1"));
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null;
        }
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
            OpenSSHKnownHosts kh = load(f, name, type);
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

    /**
     * Key algorithms already known for the host, so the key exchange asks for a key we can check. Read from the
     * lines' key type field where the line certainly names the host; only other lines (wildcards, markers ...) are
     * parsed by sshj, one by one so the file's order is kept.
     */
    List<String> knownAlgorithms(List<Path> knownHostsFiles, String host, int port) {
        String name = entryHost(host, port);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (Path file : knownHostsFiles) {
            Path f = file.toAbsolutePath().normalize();
            for (String line : lines(f)) {
                if (!mayApply(line, name)) {
                    continue;
                }
                KeyType t = certainType(line, name);
                if (t != null) {
                    out.add(t.toString());
                    continue;
                }
                OpenSSHKnownHosts kh = perHost.computeIfAbsent(f + "\n" + name + "\nline\n" + line,
                        k -> parse(f, line + "\n"));
                synchronized (kh) {
                    out.addAll(kh.findExistingAlgorithms(host, port));
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Appends {@code host keytype base64} to {@code file} (created with its directory if needed) and remembers it. */
    synchronized void add(Path file, String host, int port, PublicKey key) {
        String line = entryHost(host, port) + " " + KeyType.fromKey(key) + " "
                + Base64.getEncoder().encodeToString(blob(key));
        Path f = file.toAbsolutePath().normalize();
        List<String> known = lines(f);
        try {
            Path parent = f.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(f, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record host key in " + file + ": " + e.getMessage(), e);
        }
        known.add(line);
        perHost.keySet().removeIf(k -> k.startsWith(f + "\n"));
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
