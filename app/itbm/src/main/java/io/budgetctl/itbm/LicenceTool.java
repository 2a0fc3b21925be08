package io.budgetctl.itbm;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Vendor tooling for tests and demos: {@code licence keygen DIR}, {@code licence sign KEY CUSTOMER EXPIRES MODS OUT}. */
final class LicenceTool {
  private LicenceTool() {}

  static void run(String[] args, PrintStream out) {
    try {
      if (args.length == 2 && args[0].equals("keygen")) {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path dir = Files.createDirectories(Path.of(args[1]));
        Path priv = dir.resolve("licence-signing.key");
        Files.writeString(priv, Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()) + "\n");
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("licence-signing.pub"),
            Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()) + "\n");
        out.println("licence: wrote " + priv + " (0600) and " + dir.resolve("licence-signing.pub"));
      } else if (args.length == 6 && args[0].equals("sign")) {
        var key = Licence.privateKey(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8));
        List<String> modules = args[4].isBlank() ? List.of() : Arrays.asList(args[4].split(","));
        byte[] file = Licence.sign(args[2], LocalDate.parse(args[3]), modules, key);
        Files.write(Path.of(args[5]), file);
        out.println("licence: wrote " + args[5] + " for " + args[2] + " modules " + modules + " until " + args[3]);
      } else {
        throw new ConfigException("usage: itbm licence keygen DIR | sign PRIVATE_KEY_FILE CUSTOMER YYYY-MM-DD MODULE,MODULE OUT");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
