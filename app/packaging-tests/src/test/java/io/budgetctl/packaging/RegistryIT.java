package io.budgetctl.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/registry for real: Debian's docker-registry with TLS from a CA made at set-up and token auth from
 * deploy/registry-auth; this machine's dockerd trusts it through /etc/docker/certs.d. The CI account pushes a
 * product image by tag; a customer's pull account pulls it by tag and by digest but may not push; a wrong password
 * gets no token.
 */
class RegistryIT {
  private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

  @TempDir
  Path tmp;

  @Test
  void ciPushesCustomersOnlyPullByTagAndDigestAndWrongPasswordsGetNothing() throws Exception {
    Cmd.requireDocker();
    String image = "itbm/redis:v1.4.0";
    Cmd.ok(ComposeFiles.repo(), java.util.Map.of("ITBM_SKIP_MAVEN", "1"), 1800, "scripts/build-images", "v1.4.0");
    LocalRegistry reg = new LocalRegistry(tmp, "acme globex");
    String addr = reg.local();
    String remote = addr + "/" + image;
    var repo = reg.repo;
    var env = reg.env;
    try (reg) {
      // given
      String status = reg.up();
      assertThat(status).contains("address  " + addr, "customer " + reg.forContainers(),
          "realm    https://" + reg.forContainers().replace(":" + reg.port, ":" + reg.authPort) + "/token",
          "account  ci  push+pull itbm/*", "account  pull-acme  pull itbm/*", "account  pull-globex  pull itbm/*");
      assertThat(Path.of("/etc/docker/certs.d/" + addr + "/ca.crt")).exists();
      assertThat(Path.of("/etc/docker/certs.d/" + reg.forContainers() + "/ca.crt")).exists();
      assertThat(Files.readString(reg.dir.resolve("htpasswd"))).doesNotContain(reg.password("ci")).contains("ci:$2y$");
      assertThat(Files.readAllLines(reg.dir.resolve("acl"))).contains("ci  itbm/*  pull,push", "pull-acme  itbm/*  pull");
      String challenge = Cmd.ok(repo, env, 60, "curl", "-s", "-D", "-", "-o", "/dev/null", "--cacert",
          reg.dir.resolve("ca.crt").toString(), "https://" + addr + "/v2/");
      assertThat(challenge).contains("401").contains("Bearer realm=\"https://" + LocalRegistry.CUSTOMER_ADDRESS + ":"
          + reg.authPort + "/token\",service=\"itbm-registry\"");
      // `up` again changes nothing that runs
      String pids = status.lines().filter(l -> l.startsWith("pid")).toList().toString();
      assertThat(reg.up().lines().filter(l -> l.startsWith("pid")).toList().toString()).isEqualTo(pids);

      // when: anonymous and wrong-password access is refused
      Cmd.ok(repo, env, 60, "docker", "tag", image, remote);
      Cmd.Out anonymous = Cmd.run(repo, env, 300, List.of("docker", "push", remote));
      Cmd.Out wrong = reg.login("ci", "not-the-password");

      // then
      assertThat(anonymous.exit()).isNotZero();
      assertThat(anonymous.text()).containsIgnoringCase("unauthorized");
      assertThat(wrong.exit()).isNotZero();
      assertThat(wrong.text()).contains("incorrect username or password");
      assertThat(reg.token("ci", "not-the-password", "repository:itbm/redis:pull").statusCode()).isEqualTo(401);

      // when: CI pushes by tag
      assertThat(reg.login("ci", reg.password("ci")).exit()).isZero();
      // the ID of the pushed tag (a build-images elsewhere may retag itbm/* meanwhile)
      String imageId = Cmd.ok(repo, env, 60, "docker", "image", "inspect", "-f", "{{.Id}}", remote).strip();
      String push = Cmd.ok(repo, env, 600, "docker", "push", remote);
      Matcher m = DIGEST.matcher(push);
      assertThat(m.find()).as(push).isTrue();
      String digest = m.group(1);

      // then: a customer pulls by tag and by digest, and gets the same image
      Cmd.ok(repo, env, 60, "docker", "logout", addr);
      Cmd.ok(repo, env, 60, "docker", "rmi", remote);
      assertThat(reg.login("pull-acme", reg.password("pull-acme")).exit()).isZero();
      Cmd.ok(repo, env, 600, "docker", "pull", remote);
      assertThat(Cmd.ok(repo, env, 60, "docker", "image", "inspect", "-f", "{{.Id}}", remote).strip()).isEqualTo(imageId);
      Cmd.ok(repo, env, 60, "docker", "rmi", remote);
      Cmd.ok(repo, env, 600, "docker", "pull", addr + "/itbm/redis@" + digest);
      assertThat(Cmd.ok(repo, env, 60, "docker", "image", "inspect", "-f", "{{.Id}}", addr + "/itbm/redis@" + digest).strip())
          .isEqualTo(imageId);
      String labels = Cmd.ok(repo, env, 60, "docker", "image", "inspect", "-f",
          "{{index .Config.Labels \"org.opencontainers.image.version\"}}", addr + "/itbm/redis@" + digest).strip();
      assertThat(labels).isEqualTo("v1.4.0");

      // when: the customer account tries to push a new tag
      Cmd.ok(repo, env, 60, "docker", "tag", image, addr + "/itbm/redis:by-acme");
      Cmd.Out denied = Cmd.run(repo, env, 300, List.of("docker", "push", addr + "/itbm/redis:by-acme"));

      // then: refused as denied (the token server left push out of its token), and the tag is not there
      assertThat(denied.exit()).isNotZero();
      assertThat(denied.text()).contains("denied: requested access to the resource is denied");
      HttpResponse<String> tags = reg.api("ci", "repository:itbm/redis:pull", "itbm/redis/tags/list");
      assertThat(tags.statusCode()).isEqualTo(200);
      assertThat(tags.body()).contains("\"v1.4.0\"").doesNotContain("by-acme");
      // the pull account's own token names pull only
      String acmeToken = reg.token("pull-acme", reg.password("pull-acme"), "repository:itbm/redis:pull,push").body();
      String claims = new String(java.util.Base64.getUrlDecoder().decode(
          acmeToken.replaceAll("(?s).*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1").split("\\.")[1]));
      assertThat(claims).contains("\"actions\":[\"pull\"]").doesNotContain("push");
      // no password and no token in the token server's log
      String log = Files.readString(reg.dir.resolve("auth.log"));
      assertThat(log).contains("account=pull-acme", "granted=[repository:itbm/redis:pull]", "status=401")
          .doesNotContain(reg.password("ci"), reg.password("pull-acme"), "not-the-password", "eyJ");
    } finally {
      Cmd.run(repo, env, 60, List.of("docker", "rmi", "-f", remote, addr + "/itbm/redis:by-acme"));
    }
    assertThat(Path.of("/etc/docker/certs.d/" + addr)).doesNotExist();
    assertThat(Path.of("/etc/docker/certs.d/" + reg.forContainers())).doesNotExist();
    assertThat(Cmd.run(repo, env, 30, List.of("curl", "-s", "-k", "https://" + addr + "/v2/")).exit()).isNotZero();
  }
}
