package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppVersionTest {
  @Test
  void theReleaseDecidesTheExpectedSchema() {
    assertThat(AppVersion.of("v1.3.2", "a").expectedSchema()).isEqualTo(2);
    assertThat(AppVersion.of("1.3.0", "a").appVersion()).isEqualTo("v1.3.0");
    assertThat(AppVersion.of("v1.4.0", "a").expectedSchema()).isEqualTo(3);
    assertThat(AppVersion.of("v2.0.1-rc1", "a").expectedSchema()).isEqualTo(3);
    assertThat(AppVersion.of(null, null)).isEqualTo(new AppVersion("dev", "unknown", 3));
  }

  @Test
  void unusableVersionsFailWithTheValue() {
    assertThatThrownBy(() -> AppVersion.of("latest", "a")).hasMessageContaining("APP_VERSION 'latest' is not vX.Y.Z");
    assertThatThrownBy(() -> AppVersion.of("v1.2.9", "a")).hasMessageContaining("older than v1.3.0");
  }

  @Test
  void secretsComeFromFilesBeforeVariablesAndNeverShowInToString(@TempDir Path dir) throws Exception {
    // given
    Path pw = dir.resolve("db-password");
    Files.writeString(pw, "s3cret-from-file\n");

    // when
    Config c = Config.fromEnvironment(Map.of("DATABASE_PASSWORD", "from-env", "DATABASE_PASSWORD_FILE", pw.toString(),
        "REDIS_URL", "redis://cache:6380", "HTTP_PORT", "9000"));

    // then
    assertThat(c.databasePassword()).isEqualTo("s3cret-from-file");
    assertThat(c.redisHost()).isEqualTo("cache");
    assertThat(c.redisPort()).isEqualTo(6380);
    assertThat(c.httpPort()).isEqualTo(9000);
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void badConfigurationNamesTheVariable(@TempDir Path dir) {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("HTTP_PORT", "eighty"))).hasMessageContaining("HTTP_PORT='eighty'");
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("REDIS_URL", "cache"))).hasMessageContaining("REDIS_URL 'cache'");
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DATABASE_PASSWORD_FILE", dir.resolve("missing").toString())))
        .hasMessageContaining("DATABASE_PASSWORD_FILE=").hasMessageContaining("cannot be read");
  }
}
