package io.budgetctl.itbm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration from environment variables and mounted files only. Every secret X can be given as X or as X_FILE
 * (a path, e.g. a Docker secret or a Kubernetes secret volume); the file wins.
 */
record Config(
    AppVersion version,
    int httpPort,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    String redisHost,
    int redisPort,
    String redisPassword,
    Optional<Path> licenceFile,
    Optional<Path> licencePublicKeyFile,
    Optional<String> licencePortalUrl,
    Optional<String> licencePortalToken,
    Optional<String> licencePortalProxy,
    String instanceId,
    int heartbeatSeconds,
    int scheduleSeconds,
    Path heartbeatFile,
    int databaseWaitSeconds,
    IntegrationSettings integrations) {

  static Config fromEnvironment(Map<String, String> env) {
    AppVersion version = AppVersion.of(env.get("APP_VERSION"), env.get("GIT_SHA"));
    String redisUrl = env.getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    if (!redisUrl.matches("redis://[^:/]+:\\d+/?")) {
      throw new ConfigException("REDIS_URL '" + redisUrl + "' is not redis://HOST:PORT (password goes in REDIS_PASSWORD[_FILE])");
    }
    String hostPort = redisUrl.substring("redis://".length()).replaceAll("/$", "");
    return new Config(
        version,
        intValue(env, "HTTP_PORT", 8080),
        env.getOrDefault("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/itbm"),
        env.getOrDefault("DATABASE_USER", "itbm"),
        secret(env, "DATABASE_PASSWORD").orElse(""),
        hostPort.substring(0, hostPort.indexOf(':')),
        Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1)),
        secret(env, "REDIS_PASSWORD").orElse(null),
        Optional.ofNullable(env.get("LICENCE_FILE")).filter(s -> !s.isBlank()).map(Path::of),
        Optional.ofNullable(env.get("LICENCE_PUBLIC_KEY_FILE")).filter(s -> !s.isBlank()).map(Path::of),
        Optional.ofNullable(env.get("LICENCE_PORTAL_URL")).filter(s -> !s.isBlank()),
        secret(env, "LICENCE_PORTAL_TOKEN"),
        Optional.ofNullable(env.get("LICENCE_PORTAL_PROXY")).filter(s -> !s.isBlank()),
        env.getOrDefault("INSTANCE_ID", "itbm-" + env.getOrDefault("HOSTNAME", "local")),
        intValue(env, "HEARTBEAT_INTERVAL_SECONDS", 60),
        intValue(env, "SCHEDULE_INTERVAL_SECONDS", 3600),
        Path.of(env.getOrDefault("HEARTBEAT_FILE", "/tmp/itbm-heartbeat")),
        intValue(env, "DATABASE_WAIT_SECONDS", 60),
        IntegrationSettings.fromEnvironment(env));
  }

  private static int intValue(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int i = Integer.parseInt(v.trim());
      if (i <= 0) {
        throw new NumberFormatException();
      }
      return i;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "='" + v + "' is not a positive whole number");
    }
  }

  /** X_FILE (read, trailing newline dropped) wins over X. */
  static Optional<String> secret(Map<String, String> env, String name) {
    String file = env.get(name + "_FILE");
    if (file != null && !file.isBlank()) {
      try {
        return Optional.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new ConfigException(name + "_FILE=" + file + " cannot be read (" + e.getClass().getSimpleName()
            + "); mount the secret file or unset " + name + "_FILE");
      }
    }
    return Optional.ofNullable(env.get(name)).filter(s -> !s.isEmpty());
  }

  @Override
  public String toString() {
    // never print secrets
    return "Config[" + version + ", http " + httpPort + ", db " + databaseUrl + " as " + databaseUser
        + ", redis " + redisHost + ":" + redisPort + ", " + integrations + "]";
  }
}
