package io.budgetctl.lifecycle.repo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.ssh.agent.AgentException;
import io.budgetctl.engine.ssh.agent.AgentIdentity;
import io.budgetctl.engine.ssh.agent.SshAgent;
import io.budgetctl.engine.ssh.agent.SshSig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller's audit log: one JSON line per action budgetctl was asked to do, allowed or denied, appended to
 * {@code $BUDGETCTL_AUDIT_LOG} or {@code ~/.local/state/budgetctl/audit.log} (directory 0700, file 0600). A line holds
 * only the decision's fields (time, identity, operator, action, client, environment, decision, role, reason): no
 * variables, no arguments, so no secret can reach it. Each line is written with one locked append, so concurrent
 * budgetctl processes do not interleave. Inside one JVM the append is also serialised per file across every
 * {@code Audit} instance ({@link #monitorFor}): a file lock is held per process, so two threads of one JVM (parallel
 * fleet deploys, each with its own {@code Audit}) locking the same file would otherwise fail with
 * {@code OverlappingFileLockException}. A log that cannot be written is an error: the action does not go ahead
 * unaudited.
 *
 * <p><b>Hash chain.</b> Every line starts with {@code "seq"} (1, 2, 3, ...) and {@code "prev"}: the SHA-256 (lowercase
 * hex) of the previous line's exact UTF-8 text without its newline. The first chained line ({@code seq} 1) anchors on
 * the SHA-256 of everything before it in the file, which for a new log is the SHA-256 of nothing (the genesis value
 * {@link #GENESIS}); lines an older budgetctl wrote before the chain started are thereby covered as one block. After
 * each append, under the same locks, the head marker {@code <log>.head} is replaced atomically with the last line's
 * seq and hash, so that removing lines from the end is noticed too. {@link AuditChain#verify} checks both. This makes
 * edits evident to whoever keeps a copy of the head; it does not stop someone who can write both files from
 * rewriting the chain from the edit on (docs/access.md, "The audit log's hash chain").
 */
public final class Audit {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code prev} of the first line of a new log: the SHA-256 of zero bytes. */
    public static final String GENESIS = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final int TAIL_CHUNK = 8192;
    /** One monitor per audit file in this JVM, keyed by the file's real path where it exists. */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();
    /** The sshsig namespace of audit line signatures ({@code ssh-keygen -Y verify -n budgetctl-audit}). */
    public static final String SIGNATURE_NAMESPACE = "budgetctl-audit";
    private final Path file;
    private final Clock clock;
    private final SshAgent agent;
    /** Where copies of each line go (syslog collector, licence portal), in this order; maybe none. */
    private final List<AuditCopy> copies;

    public Audit(Path file, Clock clock) {
        this(file, clock, null);
    }

    /**
     * With an ssh-agent: a line whose identity has an SSH key fingerprint that the agent holds is signed with that
     * key ({@code "sig"}, sshsig over the line without it). Without the key in the agent, or when the agent fails, the
     * line is written unsigned: signing proves who wrote a line, its absence does not stop the action.
     */
    public Audit(Path file, Clock clock, SshAgent agent) {
        this(file, clock, agent, List.of());
    }

    /**
     * As {@link #Audit(Path, Clock, SshAgent)}, and every line also sent to {@code sink} (a syslog collector) once it
     * is in the file. A sink that cannot be reached stops the command, as an unwritable file does: budgetctl does not
     * act with a record that was meant to leave the machine and did not.
     */
    public Audit(Path file, Clock clock, SshAgent agent, AuditSink sink) {
        this(file, clock, agent, sink == null ? List.of() : List.of(sink));
    }

    /** As {@link #Audit(Path, Clock, SshAgent, AuditSink)} with any number of copies (syslog, the portal). */
    Audit(Path file, Clock clock, SshAgent agent, List<AuditCopy> copies) {
        this.file = file.toAbsolutePath();
        this.clock = clock;
        this.agent = agent;
        this.copies = List.copyOf(copies);
    }

    /**
     * The log named by {@code BUDGETCTL_AUDIT_LOG}, else {@code <home>/.local/state/budgetctl/audit.log}; signed
     * through the agent at {@code SSH_AUTH_SOCK}; copied to the syslog collector {@code BUDGETCTL_AUDIT_SYSLOG} and to
     * the licence portal {@code BUDGETCTL_AUDIT_PORTAL} ({@link PortalAuditSink}).
     */
    public static Audit fromEnv(Map<String, String> env, Path home) {
        String explicit = env.get("BUDGETCTL_AUDIT_LOG");
        Path file = explicit != null && !explicit.isBlank() ? Path.of(explicit)
                : home.resolve(".local/state/budgetctl/audit.log");
        String sock = env.get("SSH_AUTH_SOCK");
        String syslog = env.get("BUDGETCTL_AUDIT_SYSLOG");
        String portal = env.get("BUDGETCTL_AUDIT_PORTAL");
        List<AuditCopy> copies = new ArrayList<>();
        if (syslog != null && !syslog.isBlank()) {
            copies.add(AuditSink.parse(syslog, env));
        }
        if (portal != null && !portal.isBlank()) {
            copies.add(PortalAuditSink.parse(portal, env));
        }
        return new Audit(file, Clock.systemUTC(), sock != null && !sock.isBlank()
                ? new SshAgent(Path.of(sock), java.time.Duration.ofSeconds(5)) : null, copies);
    }

    public Path file() {
        return file;
    }

    /** The ssh-agent this log signs with ($SSH_AUTH_SOCK), or null. */
    SshAgent agent() {
        return agent;
    }

    /** Appends the decision as one line. */
    public void record(AccessDecision decision) {
        record(decision, Map.of());
    }

    /** Appends the decision and {@code context} (names and paths that say what ran, e.g. dev_playbooks). */
    public void record(AccessDecision decision, Map<String, String> context) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now(clock).toString());
        line.putAll(decision.toMap());
        context.forEach(line::putIfAbsent);
        append(line, signingKey(decision.identity().sshFingerprint()));
    }

    private static Object monitorFor(Path file) {
        Path key;
        try {
            key = file.toRealPath();
        } catch (IOException e) {
            key = file.normalize();
        }
        return MONITORS.computeIfAbsent(key, k -> new Object());
    }

    /** The head marker next to the log: {@code audit.log.head}. */
    public static Path headOf(Path log) {
        return log.resolveSibling(log.getFileName() + ".head");
    }

    /** The agent's key with this fingerprint, or null (no agent, no fingerprint, not held, agent unreachable). */
    private AgentIdentity signingKey(String fingerprint) {
        if (agent == null || fingerprint == null) {
            return null;
        }
        try {
            for (AgentIdentity k : agent.identities()) {
                if (k.fingerprint().equals(fingerprint)) {
                    return k;
                }
            }
        } catch (AgentException e) {
            // unsigned: the agent is an optional proof, not a condition of the action
        }
        return null;
    }

    /** {@code text} with {@code "sig"} appended as its last field, or {@code text} when it cannot be signed. */
    private String signed(String text, AgentIdentity key) {
        if (key == null) {
            return text;
        }
        try {
            String sig = SshSig.sign(agent, key, SIGNATURE_NAMESPACE, text.getBytes(StandardCharsets.UTF_8));
            return text.substring(0, text.length() - 1) + ",\"sig\":\"" + sig + "\"}";
        } catch (AgentException e) {
            return text;
        }
    }

    private void append(Map<String, Object> fields, AgentIdentity key) {
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another budgetctl created it first
                }
            }
            synchronized (monitorFor(file)) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                     FileLock lock = ch.lock()) {
                    long size = ch.size();
                    Link link = nextLink(ch, size);
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("seq", link.seq());
                    line.put("prev", link.prev());
                    fields.forEach(line::putIfAbsent);
                    String text = signed(serialise(line), key);
                    byte[] bytes = ((size > 0 && !endsWithNewline(ch, size) ? "\n" : "") + text + "\n")
                            .getBytes(StandardCharsets.UTF_8);
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    long pos = size;
                    while (buf.hasRemaining()) {
                        pos += ch.write(buf, pos);
                    }
                    ch.force(false);
                    writeHead(link.seq(), sha256(text.getBytes(StandardCharsets.UTF_8)));
                    // under the lock: the collector and the portal receive the lines in the file's order
                    for (AuditCopy copy : copies) {
                        send(copy, text, link.seq());
                    }
                }
            }
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "cannot write the audit log: "
                    + e.getMessage(), "make it writable or point BUDGETCTL_AUDIT_LOG at a file you can append to; "
                    + "budgetctl does not act unaudited");
        }
    }

    private void send(AuditCopy copy, String text, long seq) {
        try {
            copy.send(text, Instant.now(clock));
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of("$" + copy.setting()), "cannot send audit line " + seq
                    + " to " + copy.describe() + " (" + e.getMessage() + "); it is in " + file + " only",
                    "make it reachable or fix " + copy.setting() + "; budgetctl does not act with an audit record"
                    + " that was meant to leave this machine and did not");
        }
    }

    /** seq and prev of the line about to be appended, from the file's last line (read under the lock). */
    private record Link(long seq, String prev) {
    }

    private static Link nextLink(FileChannel ch, long size) throws IOException {
        if (size == 0) {
            return new Link(1, GENESIS);
        }
        byte[] last = lastLine(ch, size);
        Long seq = AuditChain.seqOf(new String(last, StandardCharsets.UTF_8));
        if (seq != null) {
            return new Link(seq + 1, sha256(last));
        }
        // written before the chain started (or not an entry): the first chained line covers all that came before
        ByteBuffer all = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE - 8));
        while (all.hasRemaining() && ch.read(all, all.position()) > 0) {
            // read it all
        }
        return new Link(1, sha256(all.array()));
    }

    /** The bytes of the last line, without its newline. */
    private static byte[] lastLine(FileChannel ch, long size) throws IOException {
        long end = size;
        if (endsWithNewline(ch, size)) {
            end--;
        }
        long start = end;
        while (start > 0) {
            int n = (int) Math.min(TAIL_CHUNK, start);
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining() && ch.read(b, start - n + b.position()) > 0) {
                // fill
            }
            int nl = -1;
            for (int i = n - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0) {
                start = start - n + nl + 1;
                break;
            }
            start -= n;
        }
        ByteBuffer line = ByteBuffer.allocate((int) (end - start));
        while (line.hasRemaining() && ch.read(line, start + line.position()) > 0) {
            // fill
        }
        return line.array();
    }

    private static boolean endsWithNewline(FileChannel ch, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        ch.read(b, size - 1);
        return b.get(0) == '\n';
    }

    private void writeHead(long seq, String hash) throws IOException {
        Path head = headOf(file);
        Path tmp = head.resolveSibling(head.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("hash", hash);
        Files.writeString(tmp, serialise(m) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, head, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String serialise(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit line does not serialise", e);
        }
    }

    /** Lowercase hex SHA-256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
