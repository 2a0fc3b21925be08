package io.budgetctl.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/registry for real: Debian's docker-registry with TLS from a CA made at set-up and htpasswd accounts; dockerd
 * trusts it through /etc/docker/certs.d. A product image is pushed by the CI account and pulled by a customer
 * account, by tag and by digest.
 */
class RegistryIT {
  private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

  @TempDir
  Path tmp;

  @Test
  void imagesArePushedAndPulledByTagAndDigestWithPasswordAccounts() throws Exception {
    Cmd.requireDocker();
    Path repo = ComposeFiles.repo();
    int port = ComposeBundleIT.freePort();
    String addr = "127.0.0.1:" + port;
    Map<String, String> env = Map.of("ITBM_REGISTRY_DIR", tmp.resolve("registry").toString(),
        "ITBM_REGISTRY_PORT", Integer.toString(port), "ITBM_REGISTRY_CUSTOMERS", "acme globex",
        "DOCKER_CONFIG", tmp.resolve("docker-config").toString());
    String image = "itbm/redis:v1.4.0";
    Cmd.ok(repo, Map.of("ITBM_SKIP_MAVEN", "1"), 1800, "scripts/build-images", "v1.4.0");
    String remote = addr + "/" + image;
    try {
      // given
      String status = Cmd.ok(repo, env, 120, "scripts/registry", "up");
      assertThat(status).contains("account  ci", "account  pull-acme", "account  pull-globex");
      assertThat(Path.of("/etc/docker/certs.d/" + addr + "/ca.crt")).exists();
      assertThat(Files.readString(tmp.resolve("registry/htpasswd"))).doesNotContain(password(env, "ci")).contains("ci:$2y$");

      // when: anonymous and wrong-password access is refused
      Cmd.ok(repo, env, 60, "docker", "tag", image, remote);
      Cmd.Out anonymous = Cmd.run(repo, env, 300, List.of("docker", "push", remote));
      Cmd.Out wrong = login(env, addr, "ci", "not-the-password");

      // then
      assertThat(anonymous.exit()).isNotZero();
      assertThat(anonymous.text()).containsIgnoringCase("no basic auth credentials");
      assertThat(wrong.exit()).isNotZero();

      // when: CI pushes by tag
      assertThat(login(env, addr, "ci", password(env, "ci")).exit()).isZero();
      String push = Cmd.ok(repo, env, 600, "docker", "push", remote);
      Matcher m = DIGEST.matcher(push);
      assertThat(m.find()).as(push).isTrue();
      String digest = m.group(1);
      String imageId = Cmd.ok(repo, env, 60, "docker", "image", "inspect", "-f", "{{.Id}}", image).strip();

      // then: a customer pulls by tag and by digest, and gets the same image
      Cmd.ok(repo, env, 60, "docker", "logout", addr);
      Cmd.ok(repo, env, 60, "docker", "rmi", remote);
      assertThat(login(env, addr, "pull-acme", password(env, "pull-acme")).exit()).isZero();
      Cmd.ok(repo, env, 600, "docker", "pull", remote);
      assertThat(Cmd.ok(repo, env, 60, "docker", "image", "inspect", "-f", "{{.Id}}", remote).strip()).isEqualTo(imageId);
      Cmd.ok(repo, env, 60, "docker", "rmi", remote);
      Cmd.ok(repo, env, 600, "docker", "pull", addr + "/itbm/redis@" + digest);
      assertThat(Cmd.ok(repo, env, 60, "docker", "image", "inspect", "-f", "{{.Id}}", addr + "/itbm/redis@" + digest).strip())
          .isEqualTo(imageId);
      String labels = Cmd.ok(repo, env, 60, "docker", "image", "inspect", "-f",
          "{{index .Config.Labels \"org.opencontainers.image.version\"}}", addr + "/itbm/redis@" + digest).strip();
      assertThat(labels).isEqualTo("v1.4.0");
    } finally {
      Cmd.run(repo, env, 60, List.of("docker", "rmi", "-f", remote));
      Cmd.run(repo, env, 120, List.of("scripts/registry", "purge"));
    }
    assertThat(Path.of("/etc/docker/certs.d/" + addr)).doesNotExist();
  }

  private static String password(Map<String, String> env, String account) throws Exception {
    return Files.readString(Path.of(env.get("ITBM_REGISTRY_DIR"), account + ".password")).strip();
  }

  private static Cmd.Out login(Map<String, String> env, String addr, String user, String password) throws Exception {
    Path pw = Files.createTempFile("itbm-login", ".txt");
    try {
      Files.writeString(pw, password);
      ProcessBuilder pb = new ProcessBuilder("docker", "login", "-u", user, "--password-stdin", addr)
          .redirectInput(pw.toFile()).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      return new Cmd.Out(p.waitFor(), out);
    } finally {
      Files.delete(pw);
    }
  }
}
