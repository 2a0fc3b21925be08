package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class LicenceTest {
  private static KeyPair keys() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  @Test
  void signedLicenceVerifiesAndGrantsItsModulesUntilItExpires() throws Exception {
    // given
    KeyPair kp = keys();
    byte[] file = Licence.sign("acme", LocalDate.of(2027, 1, 31), List.of("forecasting", "sso"), kp.getPrivate());

    // when
    Licence l = Licence.verify(file, kp.getPublic());

    // then
    assertThat(l.customer()).isEqualTo("acme");
    assertThat(l.modules()).containsExactlyInAnyOrder("forecasting", "sso");
    assertThat(l.allows("forecasting", LocalDate.of(2027, 1, 31))).isTrue();
    assertThat(l.allows("forecasting", LocalDate.of(2027, 2, 1))).isFalse();
    assertThat(l.allows("integrations-1c", LocalDate.of(2026, 1, 1))).isFalse();
    assertThat(l.activeModules(LocalDate.of(2027, 2, 1))).isEmpty();
  }

  @Test
  void licenceSignedWithAnotherKeyIsRejected() throws Exception {
    // given
    byte[] file = Licence.sign("acme", LocalDate.of(2027, 1, 31), List.of("sso"), keys().getPrivate());

    // when / then
    assertThatThrownBy(() -> Licence.verify(file, keys().getPublic()))
        .isInstanceOf(LicenceException.class).hasMessageContaining("signature does not match");
  }

  @Test
  void editedPayloadIsRejected() throws Exception {
    // given: a customer adds a module to the payload by hand, keeping the old signature
    KeyPair kp = keys();
    String file = new String(Licence.sign("acme", LocalDate.of(2027, 1, 31), List.of("sso"), kp.getPrivate()), StandardCharsets.UTF_8);
    String payload = file.replaceAll("(?s).*\"payload\" : \"([^\"]+)\".*", "$1");
    String edited = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8).replace("[\"sso\"]", "[\"sso\",\"forecasting\"]");
    String forged = file.replace(payload, Base64.getEncoder().encodeToString(edited.getBytes(StandardCharsets.UTF_8)));
    assertThat(forged).isNotEqualTo(file);

    // when / then
    assertThatThrownBy(() -> Licence.verify(forged.getBytes(StandardCharsets.UTF_8), kp.getPublic()))
        .isInstanceOf(LicenceException.class).hasMessageContaining("signature does not match");
  }

  @Test
  void unknownModuleAndMalformedFilesAreRejectedWithAReason() throws Exception {
    // given
    KeyPair kp = keys();
    byte[] unknown = Licence.sign("acme", LocalDate.of(2027, 1, 31), List.of("payroll"), kp.getPrivate());

    // when / then
    assertThatThrownBy(() -> Licence.verify(unknown, kp.getPublic())).hasMessageContaining("unknown module 'payroll'");
    assertThatThrownBy(() -> Licence.verify("not json".getBytes(StandardCharsets.UTF_8), kp.getPublic()))
        .hasMessage("licence file is not JSON");
    assertThatThrownBy(() -> Licence.verify("{\"payload\":\"!!\",\"signature\":\"!!\"}".getBytes(StandardCharsets.UTF_8), kp.getPublic()))
        .hasMessageContaining("not base64");
    assertThatThrownBy(() -> Licence.publicKey("bm90IGEga2V5")).hasMessageContaining("not a base64 X.509 Ed25519 key");
  }

  @Test
  void keysRoundTripThroughTheirBase64Encodings() throws Exception {
    // given
    KeyPair kp = keys();
    var pub = Licence.publicKey(Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()) + "\n");
    var priv = Licence.privateKey(Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()));

    // when
    Licence l = Licence.verify(Licence.sign("b", LocalDate.of(2030, 1, 1), List.of(), priv), pub);

    // then
    assertThat(l.modules()).isEmpty();
  }
}
