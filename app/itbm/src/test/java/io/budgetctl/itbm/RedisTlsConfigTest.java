package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REDIS_URL with TLS and a database number, REDIS_TLS_VERIFY and REDIS_CA_FILE (the external Redis settings). */
class RedisTlsConfigTest {

  @Test
  void plainUrlWithoutDatabaseIsDatabaseZeroWithoutTls() {
    Config c = Config.fromEnvironment(Map.of("REDIS_URL", "redis://cache:6380"));
    assertThat(c.redisTls()).isFalse();
    assertThat(c.redisDb()).isZero();
    assertThat(c.redisHost()).isEqualTo("cache");
    assertThat(c.redisPort()).isEqualTo(6380);
  }

  @Test
  void redissIsTlsVerifiedByDefaultAndTheDatabaseNumberIsTheUrlsPath(@TempDir Path dir) throws Exception {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "");
    Config c = Config.fromEnvironment(Map.of("REDIS_URL", "rediss://redis.acme.internal:6390/7",
        "REDIS_CA_FILE", ca.toString()));
    assertThat(c.redisTls()).isTrue();
    assertThat(c.redisVerify()).isTrue();
    assertThat(c.redisDb()).isEqualTo(7);
    assertThat(c.redisCaFile()).contains(ca);
    assertThat(c.toString()).contains("redis redis.acme.internal:6390/7 tls verify-full ca " + ca);
    // an empty CA file (the secret of a customer without one) means the JVM's trusted CAs
    assertThat(Jobs.sslSocketFactory(c)).isNotNull();
  }

  @Test
  void verifyNoneEncryptsOnly() {
    Config c = Config.fromEnvironment(Map.of("REDIS_URL", "rediss://r:6379/", "REDIS_TLS_VERIFY", "none",
        "REDIS_CA_FILE", ""));
    assertThat(c.redisVerify()).isFalse();
    assertThat(c.redisCaFile()).isEmpty();
    assertThat(c.redisDb()).isZero();
    assertThat(c.toString()).contains("tls no-verify");
    assertThat(Jobs.sslSocketFactory(c)).isNotNull();
  }

  @Test
  void badSettingsNameTheVariable(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("REDIS_URL", "rediss://r:6379/16")))
        .hasMessageContaining("database 16 is not 0..15");
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("REDIS_URL", "http://r:6379")))
        .hasMessageContaining("REDIS_URL 'http://r:6379' is not redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB]");
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("REDIS_URL", "rediss://r:6379", "REDIS_TLS_VERIFY", "ca")))
        .hasMessageContaining("REDIS_TLS_VERIFY='ca' is not full or none");
    Path notPem = dir.resolve("ca.pem");
    Files.writeString(notPem, "not a certificate\n");
    Config c = Config.fromEnvironment(Map.of("REDIS_URL", "rediss://r:6379", "REDIS_CA_FILE", notPem.toString()));
    assertThatThrownBy(() -> Jobs.sslSocketFactory(c)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("REDIS_CA_FILE=" + notPem);
  }

  @Test
  void tlsAndAuthFailuresAreNotRetried() {
    var handshake = new java.sql.SQLException("SSL error: PKIX path building failed", "08006",
        new javax.net.ssl.SSLHandshakeException("PKIX path building failed"));
    assertThat(Migrations.tlsFailure(handshake)).isTrue();
    assertThat(Migrations.tlsFailure(new java.sql.SQLException("Connection to pg:5432 refused", "08001"))).isFalse();
    // pgjdbc's whole message for a database that is not listening yet (the bundled one starting at a fresh install)
    assertThat(Migrations.tlsFailure(new java.sql.SQLException("Connection to postgres:5432 refused. Check that the"
        + " hostname and port are correct and that the postmaster is accepting TCP/IP connections.", "08001"))).isFalse();
    assertThat(Migrations.tlsFailure(new java.sql.SQLException("The hostname pg.example could not be verified by"
        + " hostnameverifier PgjdbcHostnameVerifier.", "08006"))).isTrue();
    assertThat(Migrations.tlsFailure(new java.sql.SQLException("The server does not support SSL.", "08004"))).isTrue();
  }
}
