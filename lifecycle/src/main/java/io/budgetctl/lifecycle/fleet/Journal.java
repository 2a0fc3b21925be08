package io.budgetctl.lifecycle.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A fleet run's journal: {@code <state dir>/<run-id>.jsonl}, one {@link JournalEvent} per line, append-only. Each
 * {@link #append} writes one whole line and forces it to disk before returning, so what the journal says happened
 * survives the controller dying right after. While a controller owns the run it holds an exclusive lock on
 * {@code <run-id>.lock} beside it: a second {@code resume} of a run that is still going is refused.
 *
 * <p>Reading ({@link #read}) tolerates a last line cut short by a crash (it is dropped, and reopening the journal
 * cuts it off so the next line starts clean); a broken line anywhere else is an error with its line number.
 */
public final class Journal implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private Journal(Path file, FileChannel channel, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The journal file of {@code runId} in {@code stateDir}. */
    public static Path path(Path stateDir, String runId) {
        return stateDir.resolve(runId + ".jsonl");
    }

    /**
     * Where {@code budgetctl fleet cancel} asks the controller of a run to stop starting customers:
     * {@code <state dir>/<run id>.cancel} ({@link Cancellation#file}).
     */
    public static Path cancelPath(Path stateDir, String runId) {
        return stateDir.resolve(runId + ".cancel");
    }

    /**
     * Creates a new run's journal.
     *
     * @throws EngineException when the state directory cannot be written or the run id exists
     */
    public static Journal create(Path stateDir, String runId) {
        Path f = path(stateDir, runId);
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(stateDir.toString()), "cannot create the fleet state directory: "
                    + e.getMessage(), "pass a writable directory with --state-dir or set BUDGETCTL_STATE_DIR", e);
        }
        if (Files.exists(f)) {
            throw new EngineException(SourceLocation.of(f.toString()), "a fleet run with this id exists already",
                    "use 'budgetctl fleet resume " + runId + "' to continue it");
        }
        return open(f, runId);
    }

    /**
     * Opens an existing run's journal to continue it; a torn last line is cut off first.
     *
     * @throws EngineException when there is no such run or another controller still owns it
     */
    public static Journal reopen(Path stateDir, String runId) {
        Path f = path(stateDir, runId);
        if (!Files.isRegularFile(f)) {
            throw new EngineException(SourceLocation.of(f.toString()), "no fleet run '" + runId + "'",
                    "'budgetctl fleet status' lists the runs in " + stateDir);
        }
        Journal j = open(f, runId);
        try {
            long keep = completeLength(Files.readAllBytes(f));
            if (keep < j.channel.size()) {
                j.channel.truncate(keep);
                j.channel.force(true);
            }
        } catch (IOException e) {
            j.close();
            throw new UncheckedIOException(e);
        }
        return j;
    }

    private static Journal open(Path f, String runId) {
        FileChannel lc = null;
        try {
            lc = FileChannel.open(f.resolveSibling(runId + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = lc.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                lc.close();
                throw new EngineException(SourceLocation.of(f.toString()), "fleet run '" + runId
                        + "' is still owned by a running controller", "wait for it to finish, or stop that process;"
                        + " 'budgetctl fleet status " + runId + "' shows where it is");
            }
            FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            ch.position(ch.size());
            return new Journal(f, ch, lc, l);
        } catch (IOException e) {
            closeQuietly(lc);
            throw new EngineException(SourceLocation.of(f.toString()), "cannot open the fleet journal: " + e.getMessage(),
                    "check that the state directory is writable", e);
        }
    }

    /** True when a live controller owns the run (holds its lock); reads nothing and changes nothing. */
    public static boolean owned(Path stateDir, String runId) {
        Path lockFile = stateDir.resolve(runId + ".lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel lc = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l = lc.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one line and forces it (data and metadata) to disk. */
    public synchronized void append(JournalEvent event) {
        try {
            byte[] line = (JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fleet journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(channel);
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // the channel's close below releases it anyway
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing useful to do when closing fails
            }
        }
    }

    /** The length of the text up to and including its last newline. */
    static long completeLength(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    /** What {@link #read} found: the events, and whether a torn last line was dropped. */
    public record Contents(List<JournalEvent> events, boolean tornTail) {
    }

    /**
     * Reads a journal.
     *
     * @throws EngineException for a line other than the last that is not a journal event, naming file and line
     */
    public static Contents read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "cannot read the fleet journal: "
                    + e.getMessage(), "check the run id and the state directory (--state-dir)", e);
        }
        List<JournalEvent> events = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean torn = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (i == lines.length - 1) {
                // text after the last newline: a write the crash cut short (append writes line and newline at once)
                torn = true;
                continue;
            }
            try {
                JournalEvent e = JSON.readValue(line, JournalEvent.class);
                if (e.event() == null) {
                    throw new EngineException(new SourceLocation(file.toString(), i + 1, 1),
                            "not a fleet journal line: it has no \"event\"",
                            "the journal is written only by budgetctl; restore the line or the file from a backup");
                }
                events.add(e);
            } catch (JsonProcessingException ex) {
                throw new EngineException(new SourceLocation(file.toString(), i + 1, 1),
                        "not a fleet journal line: " + ex.getOriginalMessage(),
                        "the journal is written only by budgetctl; restore the line or the file from a backup");
            }
        }
        return new Contents(events, torn);
    }
}
