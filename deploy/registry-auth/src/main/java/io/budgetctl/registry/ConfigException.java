package io.budgetctl.registry;

import java.nio.file.Path;

/** A bad configuration, accounts or ACL file: one line with where (file:line:column), what, and a hint. */
final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigException(Path file, int line, int column, String what, String hint) {
    super(file + ":" + line + ":" + column + ": " + what + (hint == null ? "" : " (hint: " + hint + ")"));
  }

  ConfigException(Path file, String what, String hint) {
    super(file + ": " + what + (hint == null ? "" : " (hint: " + hint + ")"));
  }
}
