package io.budgetctl.registry;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final String CI_PW = "ci-secret-pw";
  private static final String ACME_PW = "acme-secret-pw";

  @TempDir
  static Path dir;

  static TokenService service;
  static X509Certificate signingCert;

  @BeforeAll
  static void keys() throws Exception {
    TestKeys.make(dir, "token", "ec");
    signingCert = Pem.certificates(dir.resolve("token.crt")).get(0);
    Accounts accounts = Accounts.parse(Path.of("htpasswd"), List.of(
        "ci:" + hash(CI_PW), "pull-acme:" + hash(ACME_PW)));
    Acl acl = Acl.parse(Path.of("acl"), List.of("ci itbm/* pull,push", "pull-acme itbm/* pull"));
    TokenIssuer issuer = new TokenIssuer("itbm-registry-auth", "itbm-registry", Duration.ofSeconds(300),
        Pem.privateKey(dir.resolve("token.key")), List.of(signingCert), Clock.fixed(NOW, ZoneOffset.UTC));
    service = new TokenService(() -> accounts, () -> acl, issuer);
  }

  private static String hash(String pw) {
    return new String(BCrypt.with(BCrypt.Version.VERSION_2Y).hashToChar(4, pw.toCharArray()));
  }

  private static String basic(String user, String pw) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, List<String>> params(String... scopes) {
    return Map.of("service", List.of("itbm-registry"), "scope", List.of(scopes));
  }

  private static SignedJWT jwt(TokenService.Reply r) throws Exception {
    return SignedJWT.parse((String) JSONObjectUtils.parse(r.body()).get("token"));
  }

  @Test
  void ciGetsASignedTokenForPushAndPullWithTheRegistryClaims() throws Exception {
    // when
    TokenService.Reply r = service.token(basic("ci", CI_PW), params("repository:itbm/redis:pull,push"));

    // then
    assertThat(r.status()).isEqualTo(200);
    Map<String, Object> body = JSONObjectUtils.parse(r.body());
    assertThat(body.get("access_token")).isEqualTo(body.get("token"));
    assertThat(body).containsEntry("expires_in", 300L).containsEntry("issued_at", "2026-11-27T12:00:00Z");
    SignedJWT jwt = jwt(r);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) signingCert.getPublicKey()))).isTrue();
    X509Certificate x5c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(jwt.getHeader().getX509CertChain().get(0).decode()));
    assertThat(x5c).isEqualTo(signingCert);
    Map<String, Object> claims = JSONObjectUtils.parse(jwt.getPayload().toString());
    assertThat(claims).containsEntry("iss", "itbm-registry-auth").containsEntry("sub", "ci")
        .containsEntry("aud", "itbm-registry")  // a plain string: distribution 2.8 cannot read an array here
        .containsEntry("iat", NOW.getEpochSecond()).containsEntry("nbf", NOW.getEpochSecond())
        .containsEntry("exp", NOW.getEpochSecond() + 300);
    assertThat(claims.get("jti")).asString().isNotBlank();
    assertThat(claims.get("access")).isEqualTo(
        List.of(Map.of("type", "repository", "name", "itbm/redis", "actions", List.of("pull", "push"))));
    assertThat(r.log()).contains("account=ci", "granted=[repository:itbm/redis:pull,push]", "status=200")
        .doesNotContain(CI_PW, (String) body.get("token"));
  }

  @Test
  void aPullAccountAskingForPushGetsATokenWithPullOnly() throws Exception {
    // when
    TokenService.Reply r = service.token(basic("pull-acme", ACME_PW), params("repository:itbm/redis:pull,push"));

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(jwt(r).getJWTClaimsSet().getListClaim("access")).isEqualTo(
        List.of(Map.of("type", "repository", "name", "itbm/redis", "actions", List.of("pull"))));
  }

  @Test
  void scopesTheAccountMayNotTouchAreLeftOutOfTheToken() throws Exception {
    // when
    TokenService.Reply r = service.token(basic("pull-acme", ACME_PW),
        params("repository:globex/app:pull", "repository:itbm/backend:pull"));

    // then
    assertThat(jwt(r).getJWTClaimsSet().getListClaim("access")).isEqualTo(
        List.of(Map.of("type", "repository", "name", "itbm/backend", "actions", List.of("pull"))));
  }

  @Test
  void loginWithoutScopeGetsATokenWithEmptyAccess() throws Exception {
    // when (docker login asks for no scope)
    TokenService.Reply r = service.token(basic("pull-acme", ACME_PW),
        Map.of("service", List.of("itbm-registry"), "account", List.of("pull-acme"),
            "client_id", List.of("docker"), "offline_token", List.of("true")));

    // then
    assertThat(r.status()).isEqualTo(200);
    assertThat(jwt(r).getJWTClaimsSet().getListClaim("access")).isEmpty();
  }

  @Test
  void aWrongPasswordAnUnknownAccountAndNoCredentialsAre401WithoutAToken() {
    // when
    TokenService.Reply wrong = service.token(basic("ci", "guess"), params("repository:itbm/redis:pull"));
    TokenService.Reply unknown = service.token(basic("pull-globex", ACME_PW), params("repository:itbm/redis:pull"));
    TokenService.Reply none = service.token(null, params("repository:itbm/redis:pull"));
    TokenService.Reply garbage = service.token("Basic %%%", params("repository:itbm/redis:pull"));

    // then
    for (TokenService.Reply r : List.of(wrong, unknown, none, garbage)) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"itbm-registry\"");
      assertThat(r.body()).contains("UNAUTHORIZED").doesNotContain("token\"");
    }
    assertThat(wrong.body()).contains("incorrect username or password");
    assertThat(wrong.log()).contains("account=ci", "status=401").doesNotContain("guess");
  }

  @Test
  void anotherServiceIsRefused() {
    // when
    TokenService.Reply r = service.token(basic("ci", CI_PW),
        Map.of("service", List.of("other-registry"), "scope", List.of("repository:itbm/redis:pull")));

    // then
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("serves 'itbm-registry' only");
  }

  @Test
  void anRsaSigningKeyGivesRs256() throws Exception {
    // given
    TestKeys.make(dir, "rsa", "rsa");
    X509Certificate cert = Pem.certificates(dir.resolve("rsa.crt")).get(0);
    TokenIssuer issuer = new TokenIssuer("i", "s", Duration.ofSeconds(60), Pem.privateKey(dir.resolve("rsa.key")),
        List.of(cert), Clock.systemUTC());

    // when
    SignedJWT jwt = SignedJWT.parse(issuer.issue("ci", List.of()).token());

    // then
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) cert.getPublicKey()))).isTrue();
  }
}
