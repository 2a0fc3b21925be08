package io.budgetctl.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
  @TempDir
  Path dir;

  @Test
  void aHashWrittenByHtpasswdBChecksTheRightPasswordOnly() throws Exception {
    // given: the same command scripts/registry runs (password on stdin)
    Process p = new ProcessBuilder("htpasswd", "-iBn", "pull-acme").start();
    p.getOutputStream().write("s3cret-Pw\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Path file = dir.resolve("htpasswd");
    Files.writeString(file, line);

    // when
    Accounts accounts = Accounts.load(file);

    // then
    assertThat(line).startsWith("pull-acme:$2y$");
    assertThat(accounts.check("pull-acme", "s3cret-Pw".toCharArray())).isTrue();
    assertThat(accounts.check("pull-acme", "s3cret-pw".toCharArray())).isFalse();
    assertThat(accounts.check("pull-globex", "s3cret-Pw".toCharArray())).isFalse();
    assertThat(accounts.check("pull-acme", "x".repeat(100).toCharArray())).isFalse();
  }

  @Test
  void aNonBcryptHashIsRefusedWithTheLine() {
    // when / then
    assertThatThrownBy(() -> Accounts.parse(Path.of("htpasswd"), List.of("# accounts", "ci:{SHA}abc=")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("htpasswd:2:4: account 'ci' has no bcrypt hash (hint: only bcrypt is accepted: htpasswd -B)");
  }

  @Test
  void anUnknownAccountCostsAsMuchAsTheDearestRealOne() throws Exception {
    // given: htpasswd -B's default cost (5) and an explicit -C 7
    StringBuilder file = new StringBuilder();
    for (String[] a : List.of(new String[] {"pull-acme", "5"}, new String[] {"pull-globex", "7"})) {
      Process p = new ProcessBuilder("htpasswd", "-iBn", "-C", a[1], a[0]).start();
      p.getOutputStream().write("pw\n".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      file.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).append('\n');
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    // when
    Accounts accounts = Accounts.parse(dir.resolve("htpasswd"), List.of(file.toString().split("\n")));
    Accounts onlyDefault = Accounts.parse(dir.resolve("htpasswd"), List.of(file.toString().split("\n")[0]));

    // then: the dummy hash an unknown account is checked against has the same cost factor
    assertThat(accounts.dummyCost()).isEqualTo(7);
    assertThat(onlyDefault.dummyCost()).isEqualTo(5);
    assertThat(accounts.check("pull-nobody", "pw".toCharArray())).isFalse();
  }
}
