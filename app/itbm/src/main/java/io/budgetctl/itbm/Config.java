package io.budgetctl.itbm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration from environment variables and mounted files only. Every secret X can be given as X or as X_FILE
 * (a path, e.g. a Docker secret or a Kubernetes secret volume); the file wins.
 *
 * <p>PostgreSQL TLS is part of DATABASE_URL (pgjdbc's {@code sslmode}, {@code sslrootcert}, {@code sslfactory}).
 * Redis: REDIS_URL is {@code redis://HOST:PORT[/DB]} or, with TLS, {@code rediss://HOST:PORT[/DB]}; with TLS,
 * REDIS_TLS_VERIFY is {@code full} (default: the chain against REDIS_CA_FILE, or the JVM's trusted CAs when that is
 * unset or empty, and the host name) or {@code none} (encrypt only).
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
    boolean redisTls,
    int redisDb,
    boolean redisVerify,
    Optional<Path> redisCaFile,
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
    Matcher redis = REDIS_URL.matcher(redisUrl);
    if (!redis.matches()) {
      throw new ConfigException("REDIS_URL '" + redisUrl + "' is not redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB]"
          + " (TLS; password goes in REDIS_PASSWORD[_FILE])");
    }
    int redisDb = redis.group(4) == null ? 0 : Integer.parseInt(redis.group(4));
    if (redisDb > 15) {
      throw new ConfigException("REDIS_URL '" + redisUrl + "': database " + redisDb + " is not 0..15");
    }
    String verify = env.getOrDefault("REDIS_TLS_VERIFY", "").strip();
    if (!verify.isEmpty() && !verify.equals("full") && !verify.equals("none")) {
      throw new ConfigException("REDIS_TLS_VERIFY='" + verify + "' is not full or none");
    }
    return new Config(
        version,
        intValue(env, "HTTP_PORT", 8080),
        env.getOrDefault("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/itbm"),
        env.getOrDefault("DATABASE_USER", "itbm"),
        secret(env, "DATABASE_PASSWORD").orElse(""),
        redis.group(2),
        Integer.parseInt(redis.group(3)),
        secret(env, "REDIS_PASSWORD").orElse(null),
        redis.group(1).equals("rediss"),
        redisDb,
        !verify.equals("none"),
        Optional.ofNullable(env.get("REDIS_CA_FILE")).filter(s -> !s.isBlank()).map(Path::of),
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

  private static final Pattern REDIS_URL = Pattern.compile("(rediss?)://([^:/?#]+):(\\d{1,5})(?:/(\\d{1,2})?)?");

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
        + ", redis " + redisHost + ":" + redisPort + "/" + redisDb
        + (redisTls ? " tls" + (redisVerify ? " verify-full" + redisCaFile.map(p -> " ca " + p).orElse("") : " no-verify") : "")
        + ", " + integrations + "]";
  }
}
