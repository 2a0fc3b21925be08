package io.budgetctl.engine.connection;

import java.util.Optional;

/**
 * How modules reach a host. Implementations: {@code local} ({@link LocalConnection}, commons-exec) and {@code ssh}
 * (sshj, one persistent connection per host). Modules talk only to this interface, so a module test can use a real
 * local connection or a real sshd.
 *
 * <p>Failures: a command that ran and exited non-zero is a normal {@link ExecResult}. A host that cannot be reached,
 * or is lost mid-command, throws {@link UnreachableException}. Implementations are used by one task at a time per
 * host but must be safe to close from another thread.
 */
public interface Connection extends AutoCloseable {

    /** The inventory name of the host this connection reaches. */
    String host();

    /** Runs one command and waits for it (bounded by the request's timeout). */
    ExecResult exec(ExecRequest request);

    /**
     * Writes {@code content} to {@code path} atomically (temporary file in the same directory, then rename), as the
     * given become user. {@code mode} (octal string such as "0644"), {@code owner} and {@code group} may be null to
     * leave them as the rename produces them. Returns false, touching nothing, when the remote file already has
     * exactly this content (checksum compare), mode, owner and group.
     */
    boolean write(String path, byte[] content, String mode, String owner, String group, Become become);

    /** Reads a whole remote file; empty when it does not exist. */
    Optional<byte[]> read(String path, Become become);

    /** Metadata of a remote path without following a final symlink; empty when it does not exist. */
    Optional<FileStat> stat(String path, Become become);

    @Override
    void close();
}
