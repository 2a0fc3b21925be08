package io.budgetctl.engine.api;

/**
 * A user-facing error: what is wrong, where (file:line:column) and a hint how to fix it. The CLI prints
 * {@link #oneLine()} (plus the hint) and no stack trace unless --debug. Anything else that escapes is a bug.
 */
public class EngineException extends RuntimeException {
    private final SourceLocation location;
    private final String hint;

    public EngineException(SourceLocation location, String message, String hint) {
        this(location, message, hint, null);
    }

    public EngineException(SourceLocation location, String message, String hint, Throwable cause) {
        super(message, cause);
        this.location = location == null ? SourceLocation.UNKNOWN : location;
        this.hint = hint;
    }

    public SourceLocation location() {
        return location;
    }

    /** May be null when there is nothing useful to suggest. */
    public String hint() {
        return hint;
    }

    /** "file:line:col: message" — the line the CLI prints. */
    public String oneLine() {
        return location == SourceLocation.UNKNOWN ? getMessage() : location + ": " + getMessage();
    }
}
