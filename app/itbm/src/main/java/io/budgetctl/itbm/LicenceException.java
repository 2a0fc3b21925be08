package io.budgetctl.itbm;

/** The licence file cannot be trusted or read; the message says why in one line. */
final class LicenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LicenceException(String message) {
    super(message);
  }
}
