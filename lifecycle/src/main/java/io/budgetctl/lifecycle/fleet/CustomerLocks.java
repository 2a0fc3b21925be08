package io.budgetctl.lifecycle.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Advisory per-customer locks between fleet controllers that share a state directory (one operator machine, or one
 * CI runner's home): {@code <state dir>/locks/<customer>.lock}, held with an OS file lock while the customer's job
 * runs, and holding a line that says who has it. The OS drops the lock when the holder dies, so a crashed controller
 * never leaves a stale lock here. Controllers on different machines do not see each other's locks: the deploy lock on
 * the customer's host stays the last guard.
 */
public final class CustomerLocks {
    private final Path dir;
    private final Map<String, Held> held = new HashMap<>();

    private record Held(FileChannel channel, FileLock lock) {
    }

    public CustomerLocks(Path stateDir) {
        this.dir = stateDir == null ? null : stateDir.resolve("locks");
    }

    /** Locks that never conflict: for tests and callers without a state directory. */
    public static CustomerLocks none() {
        return new CustomerLocks(null);
    }

    /**
     * Takes the customer's lock, writing {@code holder} into it.
     *
     * @return null when taken, else a one-line description of who holds it
     */
    public synchronized String tryLock(String customer, String holder) {
        if (dir == null) {
            return null;
        }
        Path f = dir.resolve(customer + ".lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String who = Files.readString(f, StandardCharsets.UTF_8).strip();
                ch.close();
                return who.isEmpty() ? "another fleet controller" : who;
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            held.put(customer, new Held(ch, l));
            return null;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            return "cannot take the lock " + f + ": " + e.getMessage();
        }
    }

    public synchronized void unlock(String customer) {
        Held h = held.remove(customer);
        if (h == null) {
            return;
        }
        try {
            h.channel().truncate(0);
            h.lock().release();
            h.channel().close();
        } catch (IOException e) {
            // closing the channel releases the lock; nothing more to do
        }
    }
}
