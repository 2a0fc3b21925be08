package io.budgetctl.engine.repo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 */
public final class Audit {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One monitor per audit file in this JVM, keyed by the file's real path where it exists. */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();
    private final Path file;
    private final Clock clock;

    public Audit(Path file, Clock clock) {
        this.file = file.toAbsolutePath();
        this.clock = clock;
    }

    /** The log named by {@code BUDGETCTL_AUDIT_LOG}, else {@code <home>/.local/state/budgetctl/audit.log}. */
    public static Audit fromEnv(Map<String, String> env, Path home) {
        String explicit = env.get("BUDGETCTL_AUDIT_LOG");
        Path file = explicit != null && !explicit.isBlank() ? Path.of(explicit)
                : home.resolve(".local/state/budgetctl/audit.log");
        return new Audit(file, Clock.systemUTC());
    }

    public Path file() {
        return file;
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
        append(line);
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

    private void append(Map<String, Object> line) {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit line does not serialise", e);
        }
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
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                     FileLock lock = ch.lock()) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
            }
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "cannot write the audit log: "
                    + e.getMessage(), "make it writable or point BUDGETCTL_AUDIT_LOG at a file you can append to; "
                    + "budgetctl does not act unaudited");
        }
    }
}
