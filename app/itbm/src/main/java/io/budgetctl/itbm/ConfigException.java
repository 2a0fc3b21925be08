package io.budgetctl.itbm;

/** Bad or missing configuration: a one-line message naming the variable and what to set. */
final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigException(String message) {
    super(message);
  }
}
