package io.budgetctl.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A file loaded again when its modification time changes (scripts/registry up rewrites accounts and ACL while the
 * server runs). A file that no longer parses keeps the last good content and reports the error once.
 */
final class Reloading<T> {
  private final Path file;
  private final Function<Path, T> loader;
  private final Consumer<String> log;
  private FileTime loadedAt;
  private FileTime failedAt;
  private T value;

  Reloading(Path file, Function<Path, T> loader, Consumer<String> log) {
    this.file = file;
    this.loader = loader;
    this.log = log;
    this.value = loader.apply(file);  // the first load must succeed: a bad file at start-up is fatal
    this.loadedAt = mtime();
  }

  synchronized T get() {
    FileTime now = mtime();
    if (now != null && !now.equals(loadedAt) && !now.equals(failedAt)) {
      try {
        value = loader.apply(file);
        loadedAt = now;
        log.accept("reloaded " + file);
      } catch (ConfigException e) {
        failedAt = now;
        log.accept("keeping the previous " + file.getFileName() + ": " + e.getMessage());
      }
    }
    return value;
  }

  private FileTime mtime() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }
}
