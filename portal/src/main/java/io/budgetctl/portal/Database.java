package io.budgetctl.portal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The portal's database: H2 in one file (default) or PostgreSQL, migrated by Flyway from
 * {@code classpath:db/portal} before the server answers. H2 gets a small connection pool (opening an H2 file is
 * expensive); PostgreSQL connections are opened per request, which is plenty for the portal's traffic.
 */
final class Database implements AutoCloseable {
    private final DataSource dataSource;
    private final Runnable close;

    private Database(DataSource dataSource, Runnable close) {
        this.dataSource = dataSource;
        this.close = close;
    }

    static Database open(String url, String user, String password) {
        Database db;
        if (url.startsWith("jdbc:h2:")) {
            JdbcConnectionPool pool = JdbcConnectionPool.create(url, user, password);
            db = new Database(pool, pool::dispose);
        } else if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            if (!user.isEmpty()) {
                pg.setUser(user);
            }
            if (!password.isEmpty()) {
                pg.setPassword(password);
            }
            db = new Database(pg, () -> { });
        } else {
            throw new PortalConfig.ConfigException("unsupported database URL '" + url + "'",
                    "jdbc:h2:file:/var/lib/portal/portal (default kind) or jdbc:postgresql://host:5432/portal");
        }
        try {
            Flyway.configure().dataSource(db.dataSource).locations("classpath:db/portal").load().migrate();
        } catch (FlywayException e) {
            db.close();
            throw new PortalConfig.ConfigException("database " + url + " cannot be migrated: " + firstLine(e),
                    "check the URL, user and password, and that the database exists");
        }
        return db;
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        close.run();
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
