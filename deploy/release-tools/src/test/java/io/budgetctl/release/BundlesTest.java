package io.budgetctl.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlesTest {

  @TempDir
  Path tmp;

  private static final Instant T = Instant.parse("2025-03-14T12:00:00Z");

  private Path composeDir() throws IOException {
    Path c = Files.createDirectories(tmp.resolve("compose"));
    Files.writeString(c.resolve("docker-compose.yml"), "services: {}\n");
    Files.writeString(c.resolve(".env.example"), "COMPOSE_PROJECT_NAME=itbm-acme\nITBM_VERSION=v1.3.2\nITBM_INGRESS_VERSION=v1.3.2\n");
    Files.createDirectories(c.resolve("ingress"));
    Files.writeString(c.resolve("ingress/Caddyfile"), ":443 {}\n");
    return c;
  }

  @Test
  void theComposeBundleUnpacksWithTarAndItsSumsPassSha256sum() throws Exception {
    // given
    Path out = Files.createDirectories(tmp.resolve("out"));
    // when
    Path bundle = Bundles.composeBundle(composeDir(), "v1.4.0", out, T);
    // then
    assertThat(bundle.getFileName().toString()).isEqualTo("itbm-compose-v1.4.0.tar.gz");
    Path x = Files.createDirectories(tmp.resolve("x"));
    assertThat(sh(x, "tar", "xzf", bundle.toString())).isEmpty();
    Path root = x.resolve("itbm-compose-v1.4.0");
    assertThat(Files.readString(root.resolve(".env.example"))).contains("ITBM_VERSION=v1.4.0", "ITBM_INGRESS_VERSION=v1.4.0").doesNotContain("v1.3.2");
    assertThat(Files.readString(root.resolve("VERSION"))).isEqualTo("v1.4.0\n");
    assertThat(sh(root, "sha256sum", "-c", "SHA256SUMS"))
        .contains("./.env.example: OK".replace("./", ""), "docker-compose.yml: OK", "ingress/Caddyfile: OK", "VERSION: OK");
  }

  @Test
  void theSameInputsGiveTheSameBytes() throws Exception {
    Path c = composeDir();
    Path a = Bundles.composeBundle(c, "v1.4.0", Files.createDirectories(tmp.resolve("a")), T);
    Path b = Bundles.composeBundle(c, "v1.4.0", Files.createDirectories(tmp.resolve("b")), T);
    assertThat(Checksums.sha256(a)).isEqualTo(Checksums.sha256(b));
  }

  @Test
  void aChangedFileFailsVerificationNamingIt() throws Exception {
    // given
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(dir.resolve("a.txt"), "alpha");
    Files.writeString(dir.resolve("b.txt"), "beta");
    Path sums = Checksums.write(dir, List.of(Path.of("a.txt"), Path.of("b.txt")));
    assertThat(sh(dir, "sha256sum", "-c", "SHA256SUMS")).contains("a.txt: OK", "b.txt: OK");
    assertThat(Checksums.verify(sums)).containsExactly("a.txt", "b.txt");
    // when
    Files.writeString(dir.resolve("b.txt"), "betA");
    // then
    assertThatThrownBy(() -> Checksums.verify(sums)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("b.txt: checksum mismatch");
  }

  @Test
  void sumsWrittenBySha256sumAreReadToo() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("s"));
    Files.writeString(dir.resolve("x.bin"), "x");
    Files.writeString(dir.resolve("SHA256SUMS"), sh(dir, "sha256sum", "x.bin"));
    assertThat(Checksums.verify(dir.resolve("SHA256SUMS"))).containsExactly("x.bin");
    Files.delete(dir.resolve("x.bin"));
    assertThatThrownBy(() -> Checksums.verify(dir.resolve("SHA256SUMS"))).hasMessageContaining("x.bin is listed");
  }

  @Test
  void aMalformedSumsLineIsReportedWithItsLine() throws Exception {
    Path sums = tmp.resolve("SHA256SUMS");
    Files.writeString(sums, "not a checksum line\n");
    assertThatThrownBy(() -> Checksums.verify(sums)).hasMessageContaining("SHA256SUMS:1:1");
  }

  @Test
  void theOfflineBundleCarriesImagesComposeBundleAndSums() throws Exception {
    // given
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path compose = Bundles.composeBundle(composeDir(), "v1.4.0", out, T);
    Path images = Files.writeString(tmp.resolve("images.tar"), "pretend docker save output");
    // when
    Path bundle = Bundles.offlineBundle(images, compose, "v1.4.0", out, T);
    // then
    Path x = Files.createDirectories(tmp.resolve("x"));
    sh(x, "tar", "xf", bundle.toString());
    Path root = x.resolve("itbm-offline-v1.4.0");
    assertThat(sh(root, "sha256sum", "-c", "SHA256SUMS"))
        .contains("images.tar: OK", "itbm-compose-v1.4.0.tar.gz: OK", "README.txt: OK");
    assertThat(Files.readString(root.resolve("README.txt"))).contains("docker load -i images.tar");
  }

  @Test
  void aVersionThatIsNotSemverIsRefused() {
    assertThatThrownBy(() -> Bundles.composeBundle(tmp, "1.4", tmp, T)).hasMessageContaining("is not vX.Y.Z");
  }

  static String sh(Path dir, String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", argv) + "\n" + out).isZero();
    return out;
  }
}
