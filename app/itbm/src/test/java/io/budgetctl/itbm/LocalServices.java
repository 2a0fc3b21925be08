package io.budgetctl.itbm;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real PostgreSQL 15 and Redis 7 for a test: initdb / pg_ctl and redis-server from the Debian packages, in a temp
 * dir, on free 127.0.0.1 ports. As root, PostgreSQL runs as the 'postgres' user (it refuses root). Fails, never skips,
 * when the binaries are missing (scripts/setup installs postgresql-15 and redis-server).
 */
final class LocalServices implements AutoCloseable {
  static final String PG_BIN = "/usr/lib/postgresql/15/bin/";
  static final String DB_PASSWORD = "it-db-password";

  final Path dir;
  final int pgPort;
  final int redisPort;
  private Process redis;
  private final boolean root;

  LocalServices() throws Exception {
    if (!Files.isExecutable(Path.of(PG_BIN + "initdb"))) {
      throw new IllegalStateException(PG_BIN + "initdb missing: install postgresql-15 (scripts/setup)");
    }
    root = "root".equals(System.getProperty("user.name"));
    dir = Files.createTempDirectory("itbm-it-");
    pgPort = freePort();
    redisPort = freePort();
    Path data = dir.resolve("pg");
    Path pw = dir.resolve("pwfile");
    Files.writeString(pw, DB_PASSWORD + "\n");
    if (root) {
      exec(List.of("chown", "-R", "postgres:postgres", dir.toString()));
    }
    exec(asPostgres(PG_BIN + "initdb", "-D", data.toString(), "-U", "itbm", "--pwfile=" + pw, "-A", "scram-sha-256",
        "-E", "UTF8", "--locale=C.UTF-8"));
    exec(asPostgres(PG_BIN + "pg_ctl", "-D", data.toString(), "-l", dir.resolve("pg.log").toString(), "-w", "-t", "60",
        "-o", "-p " + pgPort + " -h 127.0.0.1 -k " + dir, "start"));
    try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "itbm", DB_PASSWORD)) {
      c.createStatement().execute("CREATE DATABASE itbm");
    }
    redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    try {
      await("redis-server listens on " + redisPort).atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100)).pollInSameThread()
          .until(() -> listens(redisPort));
    } catch (ConditionTimeoutException notListening) {
      throw new IllegalStateException("redis-server did not listen: " + Files.readString(dir.resolve("redis.log")),
          notListening);
    }
  }

  private static boolean listens(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort + "/itbm";
  }

  String redisUrl() {
    return "redis://127.0.0.1:" + redisPort;
  }

  private List<String> asPostgres(String... argv) {
    List<String> cmd = new ArrayList<>();
    if (root) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(argv));
    return cmd;
  }

  private static void exec(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed:\n" + out);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    if (redis != null) {
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
    }
    try {
      exec(asPostgres(PG_BIN + "pg_ctl", "-D", dir.resolve("pg").toString(), "-m", "fast", "-w", "stop"));
    } finally {
      exec(List.of("rm", "-rf", dir.toString()));
    }
  }
}
