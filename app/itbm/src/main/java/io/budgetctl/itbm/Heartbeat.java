package io.budgetctl.itbm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The local heartbeat file the image HEALTHCHECK looks at (find -mmin), written next to the Redis key. */
final class Heartbeat {
  private Heartbeat() {}

  static void touch(Path file) {
    try {
      Files.writeString(file, Instant.now().toString() + "\n");
    } catch (IOException e) {
      // the HEALTHCHECK will report it; nothing else to do
    }
  }
}
