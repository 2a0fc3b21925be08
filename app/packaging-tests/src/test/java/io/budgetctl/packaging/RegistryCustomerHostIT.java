package io.budgetctl.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path a deploy takes (issue 6): a simulated customer server (its own dockerd, in a container) logs in to
 * scripts/registry with its pull account, trusting the registry's CA through /etc/docker/certs.d, and pulls a product
 * image that the CI account pushed; a push from there is denied.
 */
class RegistryCustomerHostIT {
  @RegisterExtension
  static final CustomerHostsExtension HOSTS = new CustomerHostsExtension("acme");

  @TempDir
  Path tmp;

  @Test
  void aCustomerHostPullsWithItsPullAccountAndMayNotPush() throws Exception {
    // given: the image in the registry, pushed by CI from this machine
    String image = "itbm/redis:v1.4.0";
    Cmd.ok(ComposeFiles.repo(), Map.of("ITBM_SKIP_MAVEN", "1"), 1800, "scripts/build-images", "v1.4.0");
    try (LocalRegistry reg = new LocalRegistry(tmp, "acme")) {
      var env = reg.env;
      reg.up();
      Cmd.ok(reg.repo, env, 60, "docker", "tag", image, reg.local() + "/" + image);
      assertThat(reg.login("ci", reg.password("ci")).exit()).isZero();
      String pushedId = Cmd.ok(reg.repo, env, 60, "docker", "image", "inspect", "-f", "{{.Id}}", reg.local() + "/" + image)
          .strip();
      Cmd.ok(reg.repo, env, 600, "docker", "push", reg.local() + "/" + image);
      Cmd.ok(reg.repo, env, 60, "docker", "rmi", reg.local() + "/" + image);
      String c = HOSTS.host("acme").container();
      String remote = reg.forContainers() + "/" + image;

      // when: the host trusts the CA and logs its own dockerd in with pull-acme
      Cmd.ok(reg.repo, env, 60, "docker", "exec", c, "mkdir", "-p", "/etc/docker/certs.d/" + reg.forContainers());
      Cmd.ok(reg.repo, env, 60, "docker", "cp", reg.dir.resolve("ca.crt").toString(),
          c + ":/etc/docker/certs.d/" + reg.forContainers() + "/ca.crt");
      Cmd.Out login = reg.stdin(reg.passwordFile("pull-acme"), List.of("docker", "exec", "-i", c, "docker", "login",
          "-u", "pull-acme", "--password-stdin", reg.forContainers()));
      Cmd.Out pull = Cmd.run(reg.repo, env, 600, List.of("docker", "exec", c, "docker", "pull", remote));

      // then: the host's engine has the very image CI pushed
      assertThat(login.exit()).as(login.text()).isZero();
      assertThat(pull.exit()).as(pull.text()).isZero();
      assertThat(Cmd.ok(reg.repo, env, 60, "docker", "exec", c, "docker", "image", "inspect", "-f", "{{.Id}}", remote)
          .strip()).isEqualTo(pushedId);

      // when: the customer host tries to push
      Cmd.ok(reg.repo, env, 60, "docker", "exec", c, "docker", "tag", remote, reg.forContainers() + "/itbm/redis:evil");
      Cmd.Out push = Cmd.run(reg.repo, env, 300, List.of("docker", "exec", c, "docker", "push",
          reg.forContainers() + "/itbm/redis:evil"));

      // then
      assertThat(push.exit()).isNotZero();
      assertThat(push.text()).contains("denied: requested access to the resource is denied");

      // when: a wrong password from the customer host
      Path bad = tmp.resolve("bad.password");
      java.nio.file.Files.writeString(bad, "wrong-" + reg.password("pull-acme"));
      Cmd.Out wrong = reg.stdin(bad, List.of("docker", "exec", "-i", c, "docker", "login", "-u", "pull-acme",
          "--password-stdin", reg.forContainers()));

      // then
      assertThat(wrong.exit()).isNotZero();
      assertThat(wrong.text()).contains("incorrect username or password");
    }
  }
}
