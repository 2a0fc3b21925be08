package io.budgetctl.cli.runbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.RunRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbooks (backup, restore, cert-renew playbooks) run by the engine over SSH against one simulated customer
 * server (scripts/customerhost: sshd + its own dockerd) running the Compose bundle on v1.4.0 with the bundled
 * PostgreSQL, laid out as docs/customer-host.md says: /opt/itbm/acme/current -> releases/v1.4.0-.../.
 */
class RunbooksIT {
    static final String CLIENT = "acme";
    static final String DOMAIN = "budget.acme.example";
    static final String VERSION = "v1.4.0";
    static final List<String> IMAGES = List.of("backend", "worker", "scheduler", "frontend", "postgres", "redis");

    static Path state;
    static Path work;
    static String container;

    @TempDir
    Path tmp;

    /** What a run reported: exit code and the failure messages. */
    record Run(int exitCode, List<String> failures, List<HostResultEvent> results) {
        String failure() {
            return failures.isEmpty() ? null : failures.get(failures.size() - 1);
        }
    }

    @BeforeAll
    static void customerHostWithTheBundle() throws Exception {
        Path repo = repo();
        ok(repo, 1800, "scripts/build-images", "--if-stale", VERSION);  // missing, or built from another commit
        state = Files.createTempDirectory("budgetctl-runbooks-");
        work = Files.createTempDirectory("budgetctl-runbooks-work-");
        ok(repo, 900, "scripts/customerhost", "up", "cust");
        container = Files.readAllLines(state.resolve("hosts.tsv")).get(0).split("\t")[2];
        List<String> load = new ArrayList<>(List.of("scripts/customerhost", "load", "cust"));
        IMAGES.forEach(i -> load.add("itbm/" + i + ":" + VERSION));
        ok(repo, 900, load.toArray(String[]::new));

        // the release directory as the deploy roles lay it out: compose file, ingress, .env 0600, secrets, tls
        Path rel = Files.createDirectories(work.resolve("rel"));
        Files.copy(repo.resolve("deploy/compose/docker-compose.yml"), rel.resolve("docker-compose.yml"));
        Files.createDirectories(rel.resolve("ingress"));
        try (Stream<Path> s = Files.list(repo.resolve("deploy/compose/ingress"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, rel.resolve("ingress").resolve(p.getFileName()));
            }
        }
        String env = Files.readString(repo.resolve("deploy/compose/.env.example"))
                .replaceAll("(?m)^ITBM_(INGRESS_)?VERSION=.*$", "ITBM_$1VERSION=" + VERSION)
                .replaceAll("(?m)^COMPOSE_PROJECT_NAME=.*$", "COMPOSE_PROJECT_NAME=itbm-" + CLIENT)
                .replaceAll("(?m)^INGRESS_HOST=.*$", "INGRESS_HOST=" + DOMAIN);
        Files.writeString(rel.resolve(".env"), env);
        Files.createDirectories(rel.resolve("secrets"));
        // as the compose-up role lays them out (docs/deploy-guide.md, "Secrets on the host"); 0644 here, the owners
        // and modes the role gives them are checked by DeployLifecycleIT and RollbackAndCanaryIT
        String db = "db-" + System.nanoTime() + "\n";
        String redis = "redis-" + System.nanoTime() + "\n";
        Files.writeString(rel.resolve("secrets/db_password"), db);
        Files.writeString(rel.resolve("secrets/redis_password"), redis);
        Files.writeString(Files.createDirectories(rel.resolve("secrets/postgres")).resolve("db_password"), db);
        Files.writeString(Files.createDirectories(rel.resolve("secrets/redis")).resolve("redis_password"), redis);
        for (String unused : List.of("db_ca", "redis_ca", "portal_token", "smtp_password", "oidc_client_secret",
                "oidc_ca", "onec_credentials")) {
            Files.writeString(rel.resolve("secrets/" + unused), "");
        }
        Files.createDirectories(rel.resolve("licence"));
        Files.createDirectories(rel.resolve("tls"));
        cert(work, "first", 90);
        Files.copy(work.resolve("first.pem"), rel.resolve("tls/cert.pem"));
        Files.copy(work.resolve("first.key"), rel.resolve("tls/key.pem"));
        String release = "/opt/itbm/" + CLIENT + "/releases/" + VERSION + "-20250101T000000Z";
        ok(repo, 60, "docker", "exec", container, "mkdir", "-p", "/opt/itbm/" + CLIENT + "/releases");
        ok(repo, 60, "docker", "cp", rel.toString(), container + ":" + release);
        ok(repo, 60, "docker", "exec", container, "sh", "-c", "cd /opt/itbm/" + CLIENT + " && ln -sfn "
                + release + " current && chown -R deploy:deploy /opt/itbm && chmod 600 " + release + "/.env && "
                + "chmod 700 " + release + "/secrets && find " + release + "/secrets -type f -exec chmod 644 {} + && chmod 644 "
                + release + "/tls/*");
        ok(repo, 900, "docker", "exec", "-u", "deploy", "-w", release, container, "docker-compose", "up", "-d");
        waitHealthy("itbm-" + CLIENT + "_ingress_1");
    }

    @AfterAll
    static void down() throws Exception {
        if (state != null) {
            sh(repo(), 300, List.of("scripts/customerhost", "down"));
            delete(state);
        }
        if (work != null) {
            delete(work);
        }
    }

    @Test
    void backupThenChangeThenRestoreBringsTheDataBack() throws Exception {
        // given: data entered through the API, then a backup fetched to the operator's machine
        api("POST", "/api/cost-centres", "{\"code\":\"KEEP\",\"name\":\"kept\"}");
        Path fetched = tmp.resolve("fetched");
        Run backup = run("backup.yml", "client=" + CLIENT, "backup_fetch_dir=" + fetched);
        assertThat(backup.exitCode()).as("backup: %s", backup.failure()).isZero();
        String id = backupIds().get(backupIds().size() - 1);
        Path local = fetched.resolve(CLIENT).resolve(id);
        assertThat(Files.readString(local.resolve("manifest.json"))).contains("\"version\": \"" + VERSION + "\"")
                .contains("\"name\": \"db.dump\"").contains("\"sha256\": \"" + sha256(local.resolve("db.dump")) + "\"");
        // when: data changes after the backup, then the backup is restored
        api("POST", "/api/cost-centres", "{\"code\":\"LOSE\",\"name\":\"written after the backup\"}");
        assertThat(api("GET", "/api/cost-centres", null)).contains("LOSE");
        Run restore = run("restore.yml", "client=" + CLIENT, "restore_from=" + id);
        // then: what was there at the backup is back, what came later is gone, and the product answers again
        assertThat(restore.exitCode()).as("restore: %s", restore.failure()).isZero();
        String centres = api("GET", "/api/cost-centres", null);
        assertThat(centres).contains("KEEP").doesNotContain("LOSE");
        assertThat(api("GET", "/api/version", null)).contains("\"version\":\"" + VERSION + "\"");
    }

    @Test
    void aCorruptedBackupIsRefusedBeforeAnythingStops() throws Exception {
        // given: a backup whose dump lost its last byte
        assertThat(run("backup.yml", "client=" + CLIENT, "backup_id=corrupt1").exitCode()).isZero();
        inHost("deploy", "truncate", "-s", "-1", "/opt/itbm/" + CLIENT + "/backups/corrupt1/db.dump");
        String startedBefore = inspect("{{.State.StartedAt}}", "itbm-" + CLIENT + "_backend_1");
        // when
        Run restore = run("restore.yml", "client=" + CLIENT, "restore_from=corrupt1");
        // then
        assertThat(restore.exitCode()).isNotZero();
        assertThat(restore.failure()).startsWith("backup corrupt1 of acme is CORRUPTED and will not be restored:")
                .contains("db.dump: FAILED").contains("Nothing was changed on the host.");
        assertThat(inspect("{{.State.StartedAt}}", "itbm-" + CLIENT + "_backend_1")).isEqualTo(startedBefore);
        // and an unknown id is named with the ids there are
        Run missing = run("restore.yml", "client=" + CLIENT, "restore_from=nope");
        assertThat(missing.failure()).startsWith("there is no backup nope of acme").contains("corrupt1");
    }

    @Test
    void certRenewInstallsTheNewCertificateAndTheIngressServesIt() throws Exception {
        // given: a new certificate for the domain, and one that expires too soon
        cert(tmp, "new", 365);
        cert(tmp, "short", 10);
        String before = served();
        String expected = fingerprint(tmp.resolve("new.pem"));
        assertThat(before).isNotEqualTo(expected);
        // when: the short one is offered
        Run refused = run("cert-renew.yml", "client=" + CLIENT, "cert_renew_cert_file=" + tmp.resolve("short.pem"),
                "cert_renew_key_file=" + tmp.resolve("short.key"));
        // then: refused, nothing changed
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.failure()).startsWith("the new certificate for acme is refused: the certificate expires")
                .contains("less than 30 days from now");
        assertThat(served()).isEqualTo(before);
        // when: a key that belongs to another certificate is offered
        Run mismatch = run("cert-renew.yml", "client=" + CLIENT, "cert_renew_cert_file=" + tmp.resolve("new.pem"),
                "cert_renew_key_file=" + tmp.resolve("short.key"));
        assertThat(mismatch.failure()).contains("the key does not match the certificate");
        // when: the good one
        Run renew = run("cert-renew.yml", "client=" + CLIENT, "cert_renew_cert_file=" + tmp.resolve("new.pem"),
                "cert_renew_key_file=" + tmp.resolve("new.key"));
        // then: the ingress serves exactly the new certificate
        assertThat(renew.exitCode()).as("renew: %s", renew.failure()).isZero();
        assertThat(served()).isEqualTo(expected);
        assertThat(renew.results().stream().map(HostResultEvent::toString).toList().toString())
                .doesNotContain("PRIVATE KEY");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static Run run(String playbook, String... extraVars) {
        List<HostResultEvent> results = java.util.Collections.synchronizedList(new ArrayList<>());
        RunListener l = new RunListener() {
            @Override
            public void hostResult(HostResultEvent r) {
                results.add(r);
            }
        };
        RunRequest req = RunRequest.builder().playbook(repo().resolve("playbooks").resolve(playbook))
                .inventory(state.resolve("inventory.yml")).extraVars(List.of(extraVars)).build();
        int code = Engine.run(req, List.of(l));
        List<String> failures = results.stream().filter(e -> e.status().name().equals("FAILED"))
                .map(HostResultEvent::msg).toList();
        return new Run(code, failures, List.copyOf(results));
    }

    List<String> backupIds() throws Exception {
        String out = inHost("deploy", "ls", "-1", "/opt/itbm/" + CLIENT + "/backups");
        return out.lines().filter(s -> s.matches("\\d{8}T\\d{6}Z")).sorted().toList();
    }

    /** The API through the ingress, from inside the customer host (curl -k: the test certificate is self-signed). */
    static String api(String method, String path, String body) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", container, "curl", "-sS", "-k", "--fail-with-body",
                "-X", method, "--resolve", DOMAIN + ":443:127.0.0.1", "https://" + DOMAIN + path));
        if (body != null) {
            cmd.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        }
        return ok(repo(), 60, cmd.toArray(String[]::new));
    }

    /** The SHA-256 fingerprint the ingress serves for the domain, read with openssl on the host. */
    static String served() throws Exception {
        return ok(repo(), 60, "docker", "exec", container, "sh", "-c", "openssl s_client -connect 127.0.0.1:443 "
                + "-servername " + DOMAIN + " </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256")
                .strip().replaceFirst("^.*=", "");
    }

    static String fingerprint(Path pem) throws Exception {
        return ok(pem.getParent(), 60, "openssl", "x509", "-in", pem.toString(), "-noout", "-fingerprint", "-sha256")
                .strip().replaceFirst("^.*=", "");
    }

    static void cert(Path dir, String name, int days) throws Exception {
        ok(dir, 60, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".pem").toString(),
                "-days", String.valueOf(days), "-subj", "/CN=" + DOMAIN, "-addext", "subjectAltName=DNS:" + DOMAIN);
        Files.setPosixFilePermissions(dir.resolve(name + ".key"), PosixFilePermissions.fromString("rw-------"));
    }

    static String inHost(String user, String... argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", "-u", user, container));
        cmd.addAll(List.of(argv));
        return ok(repo(), 120, cmd.toArray(String[]::new));
    }

    static String inspect(String format, String name) throws Exception {
        return inHost("deploy", "docker", "inspect", "-f", format, name).strip();
    }

    static void waitHealthy(String name) {
        poll(name + " healthy", Duration.ofSeconds(300), Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(inspect("{{.State.Health.Status}}", name))
                        .as("health of %s", name).isEqualTo("healthy"));
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    record Out(int code, String text) {
    }

    static String ok(Path dir, int timeout, String... cmd) throws Exception {
        Out o = sh(dir, timeout, List.of(cmd));
        if (o.code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + o.code + "): " + o.text.strip());
        }
        return o.text;
    }

    static Out sh(Path dir, int timeout, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        if (state != null) {
            pb.environment().put("BUDGETCTL_CUSTOMERHOSTS_DIR", state.toString());
        }
        if (Files.isRegularFile(repo().resolve("app/itbm/target/itbm.jar"))) {
            pb.environment().put("ITBM_SKIP_MAVEN", "1");
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " timed out after " + timeout + " s");
        }
        return new Out(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Path repo() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("playbooks")) && Files.isDirectory(d.resolve("roles"))) {
                return d;
            }
        }
        throw new IllegalStateException("playbooks/ not found above " + Path.of("").toAbsolutePath());
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
