package io.budgetctl.portal;

/**
 * A request the portal refuses: the HTTP status, one sentence saying what is wrong and a hint. The server turns it into
 * {@code {"error": ..., "hint": ...}}; it never carries a token or a stack trace.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String hint;

    ApiException(int status, String message, String hint) {
        super(message, null, false, false);
        this.status = status;
        this.hint = hint;
    }

    static ApiException badRequest(String message, String hint) {
        return new ApiException(400, message, hint);
    }

    static ApiException notFound(String message, String hint) {
        return new ApiException(404, message, hint);
    }

    int status() {
        return status;
    }

    String hint() {
        return hint;
    }
}
