package io.budgetctl.engine.connection;

/**
 * The host cannot be reached or was lost mid-task. The executor marks the host UNREACHABLE and drops it from the
 * rest of the play; the other hosts carry on. {@code kind} classifies the failure for the one-line message.
 */
public class UnreachableException extends RuntimeException {
    public enum Kind { DNS, REFUSED, TIMEOUT, AUTH, HOST_KEY, LOST, OTHER }

    private final Kind kind;

    public UnreachableException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public UnreachableException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
