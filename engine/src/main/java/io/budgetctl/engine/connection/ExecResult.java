package io.budgetctl.engine.connection;

/**
 * What a command did: exit code, stdout and stderr kept apart (UTF-8, bounded: {@code truncated} says whether
 * output was cut at the connection's limit).
 */
public record ExecResult(int exitCode, String stdout, String stderr, boolean truncated) {
    public boolean ok() {
        return exitCode == 0;
    }
}
