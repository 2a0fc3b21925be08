package io.budgetctl.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/offline-bundle for real: two small images built FROM our own base image (never pulled), saved into the
 * bundle, removed from Docker, then loaded back from the unpacked bundle after its checksums were verified.
 */
class OfflineBundleIT {

  private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
  private static final String BASE = "budgetctl/debian-base:bookworm";

  @TempDir
  Path tmp;

  private final String tag = "offline-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> images = List.of("budgetctl-it/offline-a:" + tag, "budgetctl-it/offline-b:" + tag);

  @AfterEach
  void removeImages() throws Exception {
    for (String image : images) {
      run(tmp, true, "docker", "rmi", "-f", image);
    }
  }

  @Test
  void aBundleMadeFromLocalImagesLoadsIntoDockerAfterItsChecksumsPass() throws Exception {
    // given: our base image (scripts/testhosts images builds it; nothing is pulled) and two images on top of it
    if (run(tmp, true, "docker", "image", "inspect", BASE).code != 0) {
      run(ROOT, false, ROOT.resolve("scripts/testhosts").toString(), "images");
    }
    for (String image : images) {
      Path ctx = Files.createDirectories(tmp.resolve("ctx-" + image.replaceAll("[^a-z0-9]", "_")));
      Files.writeString(ctx.resolve("hello.txt"), "hello from " + image + "\n");
      Files.writeString(ctx.resolve("Dockerfile"), "FROM " + BASE + "\nCOPY hello.txt /hello.txt\n"
          + "LABEL io.budgetctl.test=\"" + tag + "\"\n");
      run(ctx, false, "docker", "build", "-q", "-t", image, ".");
    }
    Path compose = Files.createDirectories(tmp.resolve("compose"));
    Files.writeString(compose.resolve("docker-compose.yml"), "services:\n  a:\n    image: " + images.get(0) + "\n");
    Files.writeString(compose.resolve(".env.example"), "ITBM_VERSION=v0.0.0\n");
    Path out = tmp.resolve("out");

    // when
    Run made = run(ROOT, false, ROOT.resolve("scripts/offline-bundle").toString(), "v1.4.0", "--out", out.toString(),
        "--images", String.join(" ", images), "--compose", compose.toString());

    // then the archive unpacks and every checksum holds
    Path bundle = out.resolve("itbm-offline-v1.4.0.tar");
    assertThat(made.out.strip()).isEqualTo(bundle.toString());
    Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
    run(unpacked, false, "tar", "xf", bundle.toString());
    Path root = unpacked.resolve("itbm-offline-v1.4.0");
    assertThat(Checksums.verify(root.resolve("SHA256SUMS")))
        .containsExactlyInAnyOrder("README.txt", "images.tar", "itbm-compose-v1.4.0.tar.gz");
    assertThat(run(root, false, "sha256sum", "-c", "SHA256SUMS").out).contains("images.tar: OK");

    // and with the images gone from Docker, docker load brings both back with their content
    for (String image : images) {
      run(tmp, false, "docker", "rmi", "-f", image);
      assertThat(run(tmp, true, "docker", "image", "inspect", image).code).isNotZero();
    }
    Run loaded = run(root, false, "docker", "load", "-i", "images.tar");
    assertThat(loaded.out).contains("Loaded image: " + images.get(0), "Loaded image: " + images.get(1));
    for (String image : images) {
      assertThat(run(tmp, false, "docker", "image", "inspect", "-f", "{{index .Config.Labels \"io.budgetctl.test\"}}",
          image).out.strip()).isEqualTo(tag);
      assertThat(run(tmp, false, "docker", "run", "--rm", "--network", "none", image, "cat", "/hello.txt").out)
          .isEqualTo("hello from " + image + "\n");
    }
  }

  @Test
  void aMissingImageStopsTheBundleWithAHint() throws Exception {
    Run r = run(ROOT, true, ROOT.resolve("scripts/offline-bundle").toString(), "v1.4.0", "--out",
        tmp.resolve("out").toString(), "--images", "budgetctl-it/not-there:" + tag);
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("image budgetctl-it/not-there:" + tag + " is missing");
    assertThat(tmp.resolve("out/itbm-offline-v1.4.0.tar")).doesNotExist();
  }

  private record Run(int code, String out, String err) {
  }

  private static Run run(Path dir, boolean mayFail, String... argv) throws IOException, InterruptedException {
    Path errFile = Files.createTempFile("offline-it", ".err");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(List.of(argv))).directory(dir.toFile())
          .redirectError(errFile.toFile()).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes());
      int code = p.waitFor();
      String err = Files.readString(errFile);
      if (!mayFail) {
        assertThat(code).as(String.join(" ", argv) + "\n" + out + err).isZero();
      }
      return new Run(code, out, err);
    } finally {
      Files.deleteIfExists(errFile);
    }
  }
}
