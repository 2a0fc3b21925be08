package io.budgetctl.itbm;

/** An answer other than 2xx, with a one-line reason that goes into the JSON body {"error": ...}. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }
}
