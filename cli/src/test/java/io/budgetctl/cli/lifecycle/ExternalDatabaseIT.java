package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A customer whose PostgreSQL and Redis are their own servers with TLS (docs/external-databases.md): our postgres
 * and redis images started by this test on the customer host's network under DNS names of their own, PostgreSQL on
 * port 5433 accepting only {@code hostssl} logins to database {@code budget} as {@code itbm_ext}, Redis with only a
 * TLS port (6390), both with server certificates from a test CA; passwords and CAs in a SOPS file of the repository.
 * One customer host, in order: deploy v1.3.2 (no bundled postgres or redis container, data through the API lands in
 * the external database, the cache in Redis database 3), upgrade to v1.4.0 with its migration (a pre-migration dump
 * of the external database is kept), backup and restore, rollback --restore-db to v1.3.2, and a CA that does not
 * sign the server's certificate: the deploy fails with the TLS reason and v1.3.2 keeps serving. No password appears
 * in any output, .env, release.json, audit line or container's environment or arguments.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalDatabaseIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension("xdb");
    static final String CLIENT = "extco";
    static final String PG_NAME = "pg.extco.test";
    static final String REDIS_NAME = "redis.extco.test";
    static final String HEALTH_TIMEOUT = "420";
    static final String DB_PASSWORD = "pgx-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    static final String REDIS_PASSWORD = "rdx-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));

    static LifecycleFixture fx;
    static Path dir;
    static String pg;
    static String redis;
    static final List<String> containers = new ArrayList<>();
    /** Every command's output, searched for the passwords at the end. */
    static final List<LifecycleFixture.Cli> runs = new ArrayList<>();
    static String releaseBeforeWrongCa;

    @BeforeAll
    static void externalServicesAndCustomer() throws Exception {
        dir = Files.createTempDirectory("budgetctl-extdb-");
        dir.toFile().setExecutable(true, false);
        Path ca = TestCerts.authority(dir, "ca", "ExtCo Test CA");
        TestCerts.authority(dir, "other-ca", "Some Other CA");
        Path pgCert = TestCerts.issued(dir, "pg", ca, PG_NAME);
        Path redisCert = TestCerts.issued(dir, "redis", ca, REDIS_NAME);
        Files.writeString(dir.resolve("pg_hba.conf"), String.join("\n", "local all all trust",
                "hostssl all all 0.0.0.0/0 scram-sha-256", "hostssl all all ::/0 scram-sha-256", ""));
        Files.writeString(dir.resolve("db_password"), DB_PASSWORD);
        Files.writeString(dir.resolve("redis_password"), REDIS_PASSWORD);
        // the servers run as uid 100 (our images' postgres and redis users); keys 0600 as PostgreSQL demands
        TestCerts.exec("chown", "100", pgCert + ".key", pgCert + ".crt", redisCert + ".key", redisCert + ".crt",
                dir.resolve("pg_hba.conf").toString(), dir.resolve("db_password").toString(),
                dir.resolve("redis_password").toString());
        TestCerts.exec("chmod", "0600", pgCert + ".key", redisCert + ".key", dir.resolve("db_password").toString(),
                dir.resolve("redis_password").toString());
        TestCerts.exec("chmod", "0644", ca + ".crt");

        String network = HOSTS.docker("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}",
                HOSTS.host("xdb").container()).strip();
        String suffix = Long.toHexString(System.nanoTime());
        pg = "xdb-pg-" + suffix;
        redis = "xdb-redis-" + suffix;
        containers.add(pg);
        HOSTS.docker("run", "-d", "--name", pg, "--network", network, "--network-alias", PG_NAME,
                "-e", "POSTGRES_USER=itbm_ext", "-e", "POSTGRES_DB=budget", "-e", "POSTGRES_PASSWORD_FILE=/certs/db_password",
                "-v", dir + ":/certs:ro", "itbm/postgres:v1.4.0", "-c", "port=5433", "-c", "ssl=on",
                "-c", "ssl_cert_file=/certs/pg.crt", "-c", "ssl_key_file=/certs/pg.key", "-c", "hba_file=/certs/pg_hba.conf");
        containers.add(redis);
        HOSTS.docker("run", "-d", "--name", redis, "--network", network, "--network-alias", REDIS_NAME,
                "-e", "REDIS_PASSWORD_FILE=/certs/redis_password", "-v", dir + ":/certs:ro", "itbm/redis:v1.4.0",
                "--port", "0", "--tls-port", "6390", "--tls-cert-file", "/certs/redis.crt",
                "--tls-key-file", "/certs/redis.key", "--tls-ca-cert-file", "/certs/ca.crt", "--tls-auth-clients", "no");

        fx = LifecycleFixture.open(HOSTS);
        Path repo = fx.repo();
        Path key = dir.resolve("age.txt");
        TestCerts.exec("age-keygen", "-o", key.toString());
        String pub = Files.readAllLines(key).stream().filter(l -> l.startsWith("# public key: ")).findFirst()
                .orElseThrow().substring("# public key: ".length());
        LifecycleCommand.environment.put("SOPS_AGE_KEY_FILE", key.toString());
        Files.writeString(repo.resolve(".sops.yaml"), "creation_rules:\n  - path_regex: secrets/.*\\.sops\\.yaml$\n"
                + "    age: " + pub + "\n");
        Files.createDirectories(repo.resolve("secrets"));
        Path sops = repo.resolve("secrets/" + CLIENT + ".sops.yaml");
        Files.writeString(sops, "db_password: " + DB_PASSWORD + "\nredis_password: " + REDIS_PASSWORD + "\n"
                + "ca: |\n" + indent(Files.readString(Path.of(ca + ".crt")))
                + "other_ca: |\n" + indent(Files.readString(dir.resolve("other-ca.crt"))));
        LifecycleFixture.Cli encrypt = fx.budgetctlExactly("secrets", "encrypt", sops.toString());
        assertThat(encrypt.code()).as(encrypt.all()).isZero();
        assertThat(Files.readString(sops)).doesNotContain(DB_PASSWORD).doesNotContain(REDIS_PASSWORD);
        fx.customer(CLIENT, "xdb", "budget.extco.example", externalServices("ca"));

        HOSTS.load("xdb", "itbm/backend:v1.3.2", "itbm/worker:v1.3.2", "itbm/scheduler:v1.3.2",
                "itbm/frontend:v1.3.2", "itbm/postgres:v1.3.2", "itbm/redis:v1.3.2", "itbm/backend:v1.4.0",
                "itbm/worker:v1.4.0", "itbm/scheduler:v1.4.0", "itbm/frontend:v1.4.0", "itbm/postgres:v1.4.0",
                "itbm/redis:v1.4.0");
        waitFor(() -> HOSTS.docker("exec", pg, "pg_isready", "-h", "127.0.0.1", "-p", "5433"), "accepting");
        waitFor(() -> redisCli("PING"), "PONG");
    }

    /** The client file's database and cache sections; the database's CA is the SOPS file's key {@code dbCa}. */
    static String[] externalServices(String dbCa) {
        String ref = "sops:secrets/" + CLIENT + ".sops.yaml#";
        return new String[] {
            "database:", "  mode: external", "  host: " + PG_NAME, "  port: 5433", "  name: budget", "  user: itbm_ext",
            "  password: " + ref + "db_password", "  tls:", "    mode: verify-full", "    ca: " + ref + dbCa,
            "cache:", "  mode: external", "  host: " + REDIS_NAME, "  port: 6390", "  db: 3",
            "  password: " + ref + "redis_password", "  tls:", "    mode: verify-full", "    ca: " + ref + "ca"};
    }

    static String indent(String pem) {
        return pem.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    }

    interface Probe {
        String get() throws Exception;
    }

    static void waitFor(Probe probe, String expected) {
        poll("ready: an answer with '" + expected + "'", Duration.ofSeconds(90), Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(answer(probe)).as("the last answer (or its error)").contains(expected));
    }

    /** What {@code probe} answers, or the message of its IllegalStateException (not ready yet). */
    static String answer(Probe probe) throws Exception {
        try {
            return probe.get();
        } catch (IllegalStateException notReady) {
            return notReady.getMessage();
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (String c : containers) {
            HOSTS.docker("rm", "-f", "-v", c);
        }
        if (fx != null) {
            fx.close();
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static LifecycleFixture.Cli budgetctl(String... args) {
        LifecycleFixture.Cli c = fx.budgetctl(args);
        runs.add(c);
        return c;
    }

    static LifecycleFixture.Cli deploy(String version) {
        return budgetctl("deploy", "--client", CLIENT, "--version", version, "--health-timeout", HEALTH_TIMEOUT);
    }

    /** SQL on the external database, as its owner over the server's local socket. */
    static String sql(String statement) throws IOException, InterruptedException {
        return HOSTS.docker("exec", pg, "psql", "-h", "/var/run/postgresql", "-p", "5433", "-U", "itbm_ext",
                "-d", "budget", "-tAq", "-v", "ON_ERROR_STOP=1", "-c", statement).strip();
    }

    static String schema() throws IOException, InterruptedException {
        return sql("SELECT max(version::int) FROM flyway_schema_history WHERE success");
    }

    static String redisCli(String... cmd) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of("exec", "-e", "REDISCLI_AUTH=" + REDIS_PASSWORD, redis, "redis-cli",
                "--tls", "--cacert", "/certs/ca.crt", "-h", "127.0.0.1", "-p", "6390"));
        a.addAll(List.of(cmd));
        return HOSTS.docker(a.toArray(String[]::new)).strip();
    }

    static String onHost(String script) throws IOException, InterruptedException {
        return fx.onHostOf(CLIENT, script);
    }

    @Test
    @Order(1)
    void aFreshInstallUsesTheExternalDatabaseAndRedisOverVerifiedTls() throws Exception {
        // when
        LifecycleFixture.Cli deploy = deploy("v1.3.2");
        // then: it runs, without the bundled services
        assertThat(deploy.code()).as(deploy.all()).isZero();
        assertThat(fx.version(CLIENT)).contains("v1.3.2");
        assertThat(fx.container(CLIENT, "postgres")).isEmpty();
        assertThat(fx.container(CLIENT, "redis")).isEmpty();
        assertThat(onHost("grep -E '^(DATABASE_|REDIS_|COMPOSE_PROFILES)' /opt/itbm/" + CLIENT + "/current/.env"))
                .isEqualTo(String.join("\n",
                        "COMPOSE_PROFILES=",
                        "DATABASE_URL=jdbc:postgresql://" + PG_NAME + ":5433/budget?sslmode=verify-full&sslrootcert=/run/secrets/db_ca",
                        "DATABASE_USER=itbm_ext",
                        "REDIS_URL=rediss://" + REDIS_NAME + ":6390/3",
                        "REDIS_TLS_VERIFY=full",
                        "REDIS_CA_FILE=/run/secrets/redis_ca"));
        // data written through the API is in the external database (which accepts only TLS logins)
        assertThat(fx.api(CLIENT, "POST", "/cost-centres", "{\"code\":\"CC-EXT-1\",\"name\":\"Before upgrade\"}"))
                .contains("CC-EXT-1");
        assertThat(sql("SELECT code FROM cost_centres ORDER BY code")).isEqualTo("CC-EXT-1");
        assertThat(schema()).isEqualTo("2");
        assertThat(sql("SELECT count(*) > 0 FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)"
                + " WHERE a.usename = 'itbm_ext' AND NOT s.ssl AND a.client_addr IS NOT NULL")).isEqualTo("f");
        // the worker's heartbeat is in Redis database 3, none in database 0
        waitFor(() -> redisCli("-n", "3", "--scan", "--pattern", "itbm:heartbeat:worker:*"), "itbm:heartbeat:worker:");
        assertThat(redisCli("-n", "0", "DBSIZE")).isEqualTo("0");
    }

    @Test
    @Order(2)
    void anUpgradeMigratesTheExternalDatabaseAfterDumpingIt() throws Exception {
        // when
        LifecycleFixture.Cli deploy = deploy("v1.4.0");
        // then
        assertThat(deploy.code()).as(deploy.all()).isZero();
        assertThat(fx.version(CLIENT)).contains("v1.4.0");
        assertThat(schema()).isEqualTo("3");
        assertThat(sql("SELECT to_regclass('expense_categories') IS NOT NULL")).isEqualTo("t");
        assertThat(onHost("ls /opt/itbm/" + CLIENT + "/backups")).containsPattern("v1\\.3\\.2-to-v1\\.4\\.0-.*\\.dump\\.sha256");
        assertThat(onHost("cd /opt/itbm/" + CLIENT + "/backups && sha256sum -c v1.3.2-to-*.sha256")).endsWith("OK");
        assertThat(fx.api(CLIENT, "GET", "/cost-centres", null)).contains("CC-EXT-1");
        assertThat(fx.container(CLIENT, "postgres")).isEmpty();
        // written after the upgrade: a rollback with the database loses it
        assertThat(fx.api(CLIENT, "POST", "/cost-centres", "{\"code\":\"CC-EXT-2\",\"name\":\"After upgrade\"}"))
                .contains("CC-EXT-2");
    }

    @Test
    @Order(3)
    void aBackupOfTheExternalDatabaseRestores() throws Exception {
        // given
        LifecycleFixture.Cli backup = budgetctl("backup", "--client", CLIENT, "--id", "ext-1");
        assertThat(backup.code()).as(backup.all()).isZero();
        assertThat(onHost("cat /opt/itbm/" + CLIENT + "/backups/ext-1/manifest.json"))
                .containsPattern("\"database\" *: *\"external\"").contains("db.dump");
        assertThat(fx.api(CLIENT, "POST", "/cost-centres", "{\"code\":\"CC-EXT-3\",\"name\":\"After backup\"}"))
                .contains("CC-EXT-3");
        // when: a restore is a lead's action (inventory/access.yaml)
        LifecycleCommand.environment.put("BUDGETCTL_OPERATOR", "anna@itbm-vendor.example");
        LifecycleFixture.Cli restore;
        try {
            restore = budgetctl("restore", "--client", CLIENT, "--from", "ext-1");
        } finally {
            LifecycleCommand.environment.put("BUDGETCTL_OPERATOR", LifecycleFixture.OPERATOR);
        }
        // then
        assertThat(restore.code()).as(restore.all()).isZero();
        assertThat(sql("SELECT string_agg(code, ',' ORDER BY code) FROM cost_centres")).isEqualTo("CC-EXT-1,CC-EXT-2");
        assertThat(schema()).isEqualTo("3");
        assertThat(fx.api(CLIENT, "GET", "/cost-centres", null)).contains("CC-EXT-2").doesNotContain("CC-EXT-3");
    }

    @Test
    @Order(4)
    void rollbackWithTheDatabaseRestoresThePreUpgradeDump() throws Exception {
        // given: without --restore-db the schema of the external database is too new for v1.3.2
        LifecycleFixture.Cli refused = budgetctl("rollback", "--client", CLIENT, "--to", "v1.3.2");
        assertThat(refused.code()).as(refused.all()).isNotZero();
        assertThat(refused.all()).contains("the database schema is V3 but v1.3.2 expects V2").contains("--restore-db");
        // when
        LifecycleFixture.Cli rollback = budgetctl("rollback", "--client", CLIENT, "--to", "v1.3.2", "--restore-db",
                "-e", "itbm_health_timeout=" + HEALTH_TIMEOUT);
        // then
        assertThat(rollback.code()).as(rollback.all()).isZero();
        assertThat(fx.version(CLIENT)).contains("v1.3.2");
        assertThat(schema()).isEqualTo("2");
        assertThat(sql("SELECT to_regclass('expense_categories') IS NULL")).isEqualTo("t");
        assertThat(sql("SELECT string_agg(code, ',' ORDER BY code) FROM cost_centres")).isEqualTo("CC-EXT-1");
        assertThat(fx.hostAudit(CLIENT).lines().reduce((a, b) -> b).orElse(""))
                .containsPattern("\"action\": *\"rollback\"").containsPattern("\"database_restored\": *true");
        releaseBeforeWrongCa = onHost("readlink /opt/itbm/" + CLIENT + "/current");
    }

    @Test
    @Order(5)
    void aCaThatDoesNotSignTheDatabasesCertificateFailsTheDeployAndTheRunningReleaseStays() throws Exception {
        // given
        fx.reconfigure(CLIENT, externalServices("other_ca"));
        // when
        LifecycleFixture.Cli deploy = deploy("v1.3.2");
        // then
        assertThat(deploy.code()).as(deploy.all()).isEqualTo(2);
        assertThat(deploy.all()).contains("migrate").contains("TLS to the database jdbc:postgresql://" + PG_NAME
                + ":5433/budget").containsIgnoringCase("certificate");
        assertThat(onHost("readlink /opt/itbm/" + CLIENT + "/current")).isEqualTo(releaseBeforeWrongCa);
        assertThat(fx.version(CLIENT)).contains("v1.3.2");
        assertThat(fx.lockState(CLIENT)).isEqualTo("free");
        assertThat(fx.hostAudit(CLIENT).lines().reduce((a, b) -> b).orElse(""))
                .containsPattern("\"result\": *\"rolled_back\"");
        assertThat(sql("SELECT string_agg(code, ',' ORDER BY code) FROM cost_centres")).isEqualTo("CC-EXT-1");
        fx.reconfigure(CLIENT, externalServices("ca"));
    }

    @Test
    @Order(6)
    void noPasswordInOutputFilesAuditOrContainers() throws Exception {
        assertThat(runs).isNotEmpty();
        for (LifecycleFixture.Cli c : runs) {
            assertThat(c.all()).doesNotContain(DB_PASSWORD).doesNotContain(REDIS_PASSWORD);
        }
        String root = "/opt/itbm/" + CLIENT;
        String leaks = onHost("grep -l -r -e " + DB_PASSWORD + " -e " + REDIS_PASSWORD + " " + root + "/releases/*/.env "
                + root + "/releases/*/release.json " + root + "/audit.log; echo end");
        assertThat(leaks).isEqualTo("end");
        assertThat(onHost("ls " + root + "/releases/*/.env | wc -l").strip()).isNotEqualTo("0");
        String inspect = onHost("docker ps -aq --filter label=com.docker.compose.project=itbm-" + CLIENT
                + " | xargs docker inspect -f '{{.Config.Env}} {{.Args}} {{.Config.Cmd}}'");
        assertThat(inspect).contains("DATABASE_URL=").doesNotContain(DB_PASSWORD).doesNotContain(REDIS_PASSWORD);
        assertThat(Files.readString(fx.auditLog())).doesNotContain(DB_PASSWORD).doesNotContain(REDIS_PASSWORD);
        // the password files are the application's, 0400
        assertThat(onHost("stat -c '%u %a' " + root + "/current/secrets/db_password " + root + "/current/secrets/db_ca"))
                .isEqualTo("10001 400\n10001 400");
    }
}
