package io.budgetctl.packaging;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real command (argv list, no shell) and returns its output; a non-zero exit fails with that output. */
final class Cmd {
  private Cmd() {}

  record Out(int exit, String text) {}

  static Out run(Path dir, Map<String, String> env, long timeoutSeconds, List<String> argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().putAll(env);
    File log = File.createTempFile("itbm-cmd", ".log");
    try {
      pb.redirectOutput(log);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", argv) + " timed out after " + timeoutSeconds + " s:\n"
            + java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8));
      }
      return new Out(p.exitValue(), java.nio.file.Files.readString(log.toPath(), StandardCharsets.UTF_8));
    } finally {
      log.delete();
    }
  }

  static String ok(Path dir, Map<String, String> env, long timeoutSeconds, String... argv) throws Exception {
    Out o = run(dir, env, timeoutSeconds, List.of(argv));
    if (o.exit() != 0) {
      throw new AssertionError(String.join(" ", argv) + " exited " + o.exit() + ":\n" + o.text());
    }
    return o.text();
  }

  /** Docker-based tests fail (never skip) without a working Docker daemon. */
  static void requireDocker() throws Exception {
    Out o = run(null, Map.of(), 60, List.of("docker", "info", "--format", "{{.ServerVersion}}"));
    if (o.exit() != 0) {
      throw new AssertionError("Docker is required for this test and is not available (start dockerd: scripts/setup):\n" + o.text());
    }
  }
}
