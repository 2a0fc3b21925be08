package io.budgetctl.engine.api;

/**
 * Where a node came from: file, 1-based line and column. Every model node keeps one so errors can point at it.
 * {@link #UNKNOWN} is used for values that did not come from a file (command line, defaults).
 */
public record SourceLocation(String file, int line, int column) {
    public static final SourceLocation UNKNOWN = new SourceLocation("<unknown>", 0, 0);

    public static SourceLocation of(String file) {
        return new SourceLocation(file, 0, 0);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return file + ":" + line + ":" + column;
    }
}
