package io.budgetctl.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir
  Path dir;

  private Path write(String... lines) throws Exception {
    return Files.writeString(dir.resolve("auth.properties"), String.join("\n", lines) + "\n");
  }

  @Test
  void relativePathsAreResolvedBesideTheFileAndEveryListenAddressIsKept() throws Exception {
    // given
    Path file = write("listen = 127.0.0.1:5444 172.16.238.1:5444", "tls.certificate = server.crt", "tls.key = server.key",
        "signing.certificate = /etc/token.crt", "signing.key = token.key", "accounts = htpasswd", "acl = acl",
        "issuer = i", "service = s");

    // when
    Config c = Config.load(file);

    // then
    assertThat(c.listen()).extracting(a -> a.getHostString() + ":" + a.getPort())
        .containsExactly("127.0.0.1:5444", "172.16.238.1:5444");
    assertThat(c.tlsCertificate()).isEqualTo(dir.resolve("server.crt"));
    assertThat(c.signingCertificate()).isEqualTo(Path.of("/etc/token.crt"));
    assertThat(c.ttl()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void unknownSettingsMissingSettingsAndLongLifetimesAreRefused() throws Exception {
    // when / then
    assertThatThrownBy(() -> Config.load(write("listen = 127.0.0.1:1", "tls.cert = x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown setting 'tls.cert'")
        .hasMessageContaining("known: accounts, acl, issuer, listen,");
    assertThatThrownBy(() -> Config.load(write("listen = 127.0.0.1:1")))
        .hasMessageEndingWith("missing setting 'tls.certificate' (hint: see scripts/registry for a complete file)");
    assertThatThrownBy(() -> Config.load(write("listen = 127.0.0.1:1", "tls.certificate = a", "tls.key = a",
        "signing.certificate = a", "signing.key = a", "accounts = a", "acl = a", "issuer = i", "service = s",
        "ttl = 86400"))).hasMessageContaining("ttl 86400 is out of range");
    assertThatThrownBy(() -> Config.load(write("listen = localhost", "tls.certificate = a")))
        .hasMessageContaining("listen address 'localhost' is not IP:PORT");
  }
}
