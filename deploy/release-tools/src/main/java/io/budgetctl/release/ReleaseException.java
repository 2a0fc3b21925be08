package io.budgetctl.release;

/** A release step that cannot go on: one line saying what is wrong and what to do. */
public final class ReleaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ReleaseException(String message) {
    super(message);
  }

  public ReleaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
