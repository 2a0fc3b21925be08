package io.budgetctl.itbm;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway, run only by the {@code migrate} command (a one-shot container or a Helm hook Job), never by the services.
 * It migrates up to the schema version this build expects and no further, so a v1.3.2 migrate on a fresh database
 * stops at V2 even though V3 is in the jar.
 */
final class Migrations {
  private Migrations() {}

  record Outcome(int before, int after) {}

  static Outcome migrate(Config config) {
    int before = waitForDatabase(config);
    if (before > config.version().expectedSchema()) {
      throw new IllegalStateException("database schema is at V" + before + ", newer than V"
          + config.version().expectedSchema() + " that " + config.version().appVersion()
          + " expects; a downgrade needs the pre-upgrade backup restored, not a migration");
    }
    Flyway flyway = Flyway.configure()
        .dataSource(config.databaseUrl(), config.databaseUser(), config.databasePassword())
        .locations("classpath:db/migration")
        .target(MigrationVersion.fromVersion(Integer.toString(config.version().expectedSchema())))
        .load();
    MigrateResult result = flyway.migrate();
    if (!result.success) {
      throw new IllegalStateException("flyway migrate did not succeed");
    }
    return new Outcome(before, currentVersion(config));
  }

  /**
   * The database may still be starting (a Compose bundle starts postgres and migrate together): retry for
   * DATABASE_WAIT_SECONDS (default 60) before failing with the last error.
   */
  static int waitForDatabase(Config config) {
    long until = System.currentTimeMillis() + config.databaseWaitSeconds() * 1000L;
    while (true) {
      try {
        return currentVersion(config);
      } catch (IllegalStateException e) {
        if (e instanceof Refused || System.currentTimeMillis() > until) {
          throw e;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Highest successfully applied version, 0 for an empty database. */
  static int currentVersion(Config config) {
    try (Connection c = DriverManager.getConnection(config.databaseUrl(), config.databaseUser(), config.databasePassword())) {
      return currentVersion(c);
    } catch (SQLException e) {
      if (tlsFailure(e)) {
        throw new Refused("TLS to the database " + config.databaseUrl() + " failed: " + e.getMessage()
            + " (check the server's certificate against the CA and host name configured for it)");
      }
      if (e.getSQLState() != null && (e.getSQLState().startsWith("28") || e.getSQLState().equals("3D000"))) {
        throw new Refused("database " + config.databaseUrl() + " refused user " + config.databaseUser() + ": "
            + e.getMessage());
      }
      throw new IllegalStateException("database " + config.databaseUrl() + " unreachable: " + e.getMessage());
    }
  }

  /**
   * An answer that waiting will not change (a certificate that does not verify, a wrong password, no such database):
   * {@link #waitForDatabase} fails at once instead of retrying for DATABASE_WAIT_SECONDS.
   */
  static final class Refused extends IllegalStateException {
    Refused(String message) {
      super(message);
    }
  }

  /** The connection failed in the TLS handshake or its checks (certificate chain, host name, no TLS on the server). */
  static boolean tlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
        return true;
      }
      // pgjdbc's own words for a server without TLS and a failed host-name check; not "hostname" alone: a refused
      // connection says "Check that the hostname and port are correct", and a database that is still starting
      // (the bundled one at a fresh install) must be waited for, not given up on
      String m = String.valueOf(t.getMessage());
      if (m.contains("does not support SSL") || m.contains("could not be verified") || m.contains("certificate")) {
        return true;
      }
    }
    return false;
  }

  static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      try (ResultSet exists = s.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return 0;
        }
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
        int max = 0;
        while (rs.next()) {
          max = Math.max(max, Integer.parseInt(rs.getString(1)));
        }
        return max;
      }
    }
  }
}
