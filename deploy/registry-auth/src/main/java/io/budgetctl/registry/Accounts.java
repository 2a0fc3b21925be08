package io.budgetctl.registry;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accounts from an htpasswd file with bcrypt hashes only ({@code name:$2y$...}, as {@code htpasswd -B} writes them).
 * A check against an unknown account still spends one bcrypt computation, so the answer time does not tell which
 * accounts exist.
 */
final class Accounts {
  private final Map<String, String> hashes;
  /**
   * bcrypt of a random string nobody knows, at the highest cost of the file's own hashes (htpasswd -B writes cost 5
   * by default, -C sets another): an unknown account costs as much as the dearest real one, so the answer time does
   * not tell which accounts exist.
   */
  private final String dummy;

  private Accounts(Map<String, String> hashes) {
    this.hashes = Map.copyOf(hashes);
    int cost = hashes.values().stream().mapToInt(Accounts::cost).max().orElse(10);
    this.dummy = new String(BCrypt.withDefaults().hashToChar(cost,
        java.util.UUID.randomUUID().toString().toCharArray()));
  }

  /** The cost factor of a bcrypt hash ({@code $2y$NN$...}). */
  static int cost(String hash) {
    return Integer.parseInt(hash.substring(4, 6));
  }

  /** The cost an unknown account's check spends (tests). */
  int dummyCost() {
    return cost(dummy);
  }

  static Accounts load(Path file) {
    try {
      return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException(file, "cannot read the accounts file: " + e.getMessage(),
          "scripts/registry up writes it (htpasswd -B)");
    }
  }

  static Accounts parse(Path file, List<String> lines) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ConfigException(file, i + 1, 1, "expected NAME:BCRYPT-HASH", "write it with htpasswd -B");
      }
      String hash = line.substring(colon + 1);
      if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
        throw new ConfigException(file, i + 1, colon + 2, "account '" + Scope.printable(line.substring(0, colon))
            + "' has no bcrypt hash", "only bcrypt is accepted: htpasswd -B");
      }
      out.put(line.substring(0, colon), hash);
    }
    return new Accounts(out);
  }

  /** True when {@code account} exists and {@code password} matches its hash. */
  boolean check(String account, char[] password) {
    String hash = hashes.get(account);
    try {
      boolean ok = BCrypt.verifyer().verify(password, (hash == null ? dummy : hash).toCharArray()).verified;
      return ok && hash != null;
    } catch (IllegalArgumentException tooLongOrMalformed) {
      return false;
    }
  }

  boolean exists(String account) {
    return hashes.containsKey(account);
  }
}
