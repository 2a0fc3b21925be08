package io.budgetctl.engine.template;

/**
 * Raised when an undefined value is used. Jinjava catches and wraps many exceptions on its way up, so the first one
 * raised during a render is also remembered per thread and reported from there.
 */
final class UndefinedError extends RuntimeException {
    private static final ThreadLocal<UndefinedError> FIRST = new ThreadLocal<>();

    UndefinedError(String message) {
        super(message, null, false, false);
    }

    static void remember(UndefinedError e) {
        if (FIRST.get() == null) {
            FIRST.set(e);
        }
    }

    /** The first undefined use since the last call, or null; clears it. */
    static UndefinedError takeFirst() {
        UndefinedError e = FIRST.get();
        FIRST.remove();
        return e;
    }
}
