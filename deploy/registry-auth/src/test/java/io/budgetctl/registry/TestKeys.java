package io.budgetctl.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real keys and self-signed certificates made by openssl (as scripts/registry makes them). */
final class TestKeys {
  private TestKeys() {}

  /** {@code kind}: "ec" (P-256) or "rsa"; writes NAME.key and NAME.crt into dir with SANs for 127.0.0.1. */
  static void make(Path dir, String name, String kind) throws Exception {
    List<String> newkey = kind.equals("ec")
        ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
        : List.of("-newkey", "rsa:2048");
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "req", "-x509"));
    cmd.addAll(newkey);
    cmd.addAll(List.of("-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-out",
        dir.resolve(name + ".crt").toString(), "-days", "2", "-subj", "/CN=" + name,
        "-addext", "subjectAltName=IP:127.0.0.1"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("openssl failed: " + out);
    }
  }
}
