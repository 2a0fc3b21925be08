package io.budgetctl.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Compose bundle and the offline bundle of one release. */
public final class Bundles {

  static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+");

  private Bundles() {
  }

  public static void requireVersion(String version) {
    if (!VERSION.matcher(version).matches()) {
      throw new ReleaseException("version '" + version + "' is not vX.Y.Z (hint: scripts/release v1.4.0)");
    }
  }

  /**
   * out/itbm-compose-VERSION.tar.gz: the files of deploy/compose under itbm-compose-VERSION/, with .env.example set to
   * this version and a SHA256SUMS of every file inside, so a customer can check what they unpacked.
   */
  public static Path composeBundle(Path composeDir, String version, Path out, Instant mtime) {
    requireVersion(version);
    if (!Files.isRegularFile(composeDir.resolve("docker-compose.yml"))) {
      throw new ReleaseException(composeDir + " has no docker-compose.yml (hint: run from the repository root, after the packaging work is merged)");
    }
    Path stage = temp("itbm-compose");
    try {
      copyTree(composeDir, stage);
      Path env = stage.resolve(".env.example");
      if (Files.isRegularFile(env)) {
        String text = Files.readString(env, StandardCharsets.UTF_8);
        Files.writeString(env, text.replaceAll("(?m)^ITBM_(INGRESS_)?VERSION=.*$", "ITBM_$1VERSION=" + version), StandardCharsets.UTF_8);
      }
      Files.writeString(stage.resolve("VERSION"), version + "\n", StandardCharsets.UTF_8);
      Checksums.write(stage, files(stage));
      return Archives.tar(stage, "itbm-compose-" + version, out.resolve("itbm-compose-" + version + ".tar.gz"), mtime);
    } catch (IOException e) {
      throw new ReleaseException("cannot stage the Compose bundle: " + e.getMessage(), e);
    } finally {
      deleteTree(stage);
    }
  }

  /**
   * out/itbm-offline-VERSION.tar: images.tar (docker save, made by the script), the Compose bundle, a README and a
   * SHA256SUMS over them, for customers whose hosts cannot reach any registry.
   */
  public static Path offlineBundle(Path imagesTar, Path composeBundle, String version, Path out, Instant mtime) {
    requireVersion(version);
    for (Path p : List.of(imagesTar, composeBundle)) {
      if (!Files.isRegularFile(p)) {
        throw new ReleaseException(p + " is missing (hint: run the docker save / compose bundle steps first)");
      }
    }
    Path stage = temp("itbm-offline");
    try {
      Files.copy(imagesTar, stage.resolve("images.tar"));
      Files.copy(composeBundle, stage.resolve(composeBundle.getFileName()));
      Files.writeString(stage.resolve("README.txt"), """
          IT Budget Manager %1$s - offline bundle

            sha256sum -c SHA256SUMS          check every file first
            docker load -i images.tar        load the release images (no registry needed)
            tar xzf %2$s                     the Compose bundle (see docs/packaging.md)
          """.formatted(version, composeBundle.getFileName()), StandardCharsets.UTF_8);
      Checksums.write(stage, files(stage));
      return Archives.tar(stage, "itbm-offline-" + version, out.resolve("itbm-offline-" + version + ".tar"), mtime);
    } catch (IOException e) {
      throw new ReleaseException("cannot stage the offline bundle: " + e.getMessage(), e);
    } finally {
      deleteTree(stage);
    }
  }

  static List<Path> files(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir)) {
      all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("SHA256SUMS")).sorted()
          .forEach(out::add);
    }
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static Path temp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new ReleaseException("cannot create a temporary directory: " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary directory is not worth failing a release over
    }
  }
}
