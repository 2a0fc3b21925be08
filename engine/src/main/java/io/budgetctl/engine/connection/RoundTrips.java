package io.budgetctl.engine.connection;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many times a connection went to the host and waited for an answer: one per command run ({@code exec}, a
 * session channel over ssh, a process locally) and one per SFTP request (open, read, write, close, stat ...). The
 * engine logs the totals per host at debug level when a connection closes; tests pin the counts per task so a module
 * that starts asking the host more often shows up as a failing test. Thread-safe and cheap (two atomic longs).
 */
public final class RoundTrips {
    private final AtomicLong execs = new AtomicLong();
    private final AtomicLong sftpRequests = new AtomicLong();

    /** The totals at one moment; subtract two snapshots to count what happened in between. */
    public record Counts(long execs, long sftpRequests) {
        public Counts minus(Counts earlier) {
            return new Counts(execs - earlier.execs, sftpRequests - earlier.sftpRequests);
        }

        public long total() {
            return execs + sftpRequests;
        }

        @Override
        public String toString() {
            return execs + " exec, " + sftpRequests + " sftp";
        }
    }

    public void exec() {
        execs.incrementAndGet();
    }

    public void sftpRequest() {
        sftpRequests.incrementAndGet();
    }

    public Counts snapshot() {
        return new Counts(execs.get(), sftpRequests.get());
    }
}
