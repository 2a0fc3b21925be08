package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A licence installed on the server while the services run applies without a restart; a bad one never does. */
class LiveLicenceTest {
  @TempDir
  Path dir;

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  private KeyPair keys;

  private LiveLicence live() throws Exception {
    keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Files.writeString(dir.resolve("licence-signing.pub"),
        Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n");
    install(List.of("forecasting"));
    Config config = Config.fromEnvironment(Map.of("LICENCE_FILE", dir.resolve("licence.json").toString(),
        "LICENCE_PUBLIC_KEY_FILE", dir.resolve("licence-signing.pub").toString()));
    return new LiveLicence(config, new PrintStream(logged, true, StandardCharsets.UTF_8), 5000, now::get);
  }

  /** As budgetctl installs it: a temporary file renamed over the old one. */
  private void install(List<String> modules) throws Exception {
    write(Licence.sign("acme", LocalDate.of(2099, 1, 31), modules, keys.getPrivate()));
  }

  private void write(byte[] content) throws Exception {
    Path tmp = dir.resolve(".licence.json.tmp");
    Files.write(tmp, content);
    Files.move(tmp, dir.resolve("licence.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aNewLicenceAppliesAtTheNextCheckWithoutARestart() throws Exception {
    // given
    LiveLicence live = live();
    assertThat(live.get().modules()).containsExactly("forecasting");

    // when: a licence with one more module is installed
    install(List.of("forecasting", "sso"));

    // then: not before the interval, then yes, and the log says what changed
    assertThat(live.get().modules()).containsExactly("forecasting");
    now.addAndGet(5000);
    assertThat(live.get().modules()).containsExactlyInAnyOrder("forecasting", "sso");
    assertThat(logged.toString(StandardCharsets.UTF_8)).contains("licence: reloaded").contains("sso");
  }

  @Test
  void aTamperedOrMissingFileKeepsTheLicenceInUse() throws Exception {
    // given
    LiveLicence live = live();

    // when: a licence signed by someone else, then garbage, then no file at all
    byte[] forged = Licence.sign("acme", LocalDate.of(2099, 1, 31), List.of("forecasting", "sso", "api"),
        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
    write(forged);
    now.addAndGet(5000);
    Licence afterForged = live.get();
    write("{not json".getBytes(StandardCharsets.UTF_8));
    now.addAndGet(5000);
    Licence afterGarbage = live.get();
    Files.delete(dir.resolve("licence.json"));
    now.addAndGet(5000);
    Licence afterDelete = live.get();

    // then
    assertThat(List.of(afterForged, afterGarbage, afterDelete))
        .allSatisfy(l -> assertThat(l.modules()).containsExactly("forecasting"));
    assertThat(logged.toString(StandardCharsets.UTF_8)).contains("the changed file is refused")
        .contains("signature does not match").contains("is gone; keeping licence");
  }
}
