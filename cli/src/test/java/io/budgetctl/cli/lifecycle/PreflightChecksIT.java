package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static io.budgetctl.engine.testkit.Polling.poll;

import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.RunRequest;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The preflight checks that need the customer's configuration, against real things: an external PostgreSQL and Redis
 * (our itbm/postgres and itbm/redis images, started by this test on the customer host's network, checked from the
 * host with psql / redis-cli of the same images loaded into the host's own dockerd), a registry (Debian's
 * docker-registry with TLS from a test CA and htpasswd, listening on the gateway address of the customer host's
 * network, so the host's dockerd does the login as it would against the vendor's), certificates made here with
 * openssl (valid 10 / 90 days, expired, another name), and names in the host's /etc/hosts.
 */
class PreflightChecksIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension("pf");
    static final String DB_PASSWORD = "pg-right-7f3a9c";
    static final String REDIS_PASSWORD = "redis-right-51be0d";
    static final String PULL_PASSWORD = "pull-right-c0ffee";

    static Path dir;
    static String network;
    static String pgIp;
    static String redisIp;
    static String gateway;
    static int registryPort;
    static Process registry;
    static final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void realServices() throws Exception {
        dir = Files.createTempDirectory("budgetctl-preflight-");
        String c = HOSTS.host("pf").container();
        network = HOSTS.docker("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", c)
                .strip();
        gateway = HOSTS.docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", network)
                .strip();
        // the images whose psql / redis-cli the checks run, inside the host's own engine
        HOSTS.load("pf", "itbm/postgres:v1.4.0", "itbm/redis:v1.4.0");
        // the customer's "external" PostgreSQL and Redis, on the host's network
        String suffix = Long.toHexString(System.nanoTime());
        Files.writeString(dir.resolve("redis_password"), REDIS_PASSWORD);
        dir.resolve("redis_password").toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        containers.add("pf-pg-" + suffix);
        HOSTS.docker("run", "-d", "--name", "pf-pg-" + suffix, "--network", network, "-e", "POSTGRES_USER=itbm",
                "-e", "POSTGRES_DB=itbm", "-e", "POSTGRES_PASSWORD=" + DB_PASSWORD, "itbm/postgres:v1.4.0");
        containers.add("pf-redis-" + suffix);
        HOSTS.docker("run", "-d", "--name", "pf-redis-" + suffix, "--network", network,
                "-v", dir.resolve("redis_password") + ":/run/redis_password:ro",
                "-e", "REDIS_PASSWORD_FILE=/run/redis_password", "itbm/redis:v1.4.0");
        pgIp = ip("pf-pg-" + suffix);
        redisIp = ip("pf-redis-" + suffix);
        waitHealthy("pf-pg-" + suffix);
        waitHealthy("pf-redis-" + suffix);
        startRegistry();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (registry != null) {
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);
        }
        for (String c : containers) {
            HOSTS.docker("rm", "-f", "-v", c);
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- domain

    @Test
    void aDomainResolvingToTheServerPassesElsewhereWarnsNowhereFailsAndNoneIsSkipped() throws Exception {
        // given: the host's /etc/hosts knows two names, one for its own address and one for an address elsewhere
        String ip = HOSTS.host("pf").ip();
        HOSTS.docker("exec", HOSTS.host("pf").container(), "sh", "-c", "printf '%s\\n' '" + ip
                + " budget.pf.test' '192.0.2.44 proxied.pf.test' >> /etc/hosts");
        // when
        Map<String, Object> own = row(run(client("{\"domain\": \"budget.pf.test\"}")), "domain");
        Map<String, Object> proxied = row(run(client("{\"domain\": \"proxied.pf.test\"}")), "domain");
        Map<String, Object> nowhere = row(run(client("{\"domain\": \"nowhere.pf.invalid\"}")), "domain");
        Map<String, Object> none = row(run(client("{}")), "domain");
        // then
        assertThat(own).containsEntry("status", "pass").containsEntry("value", "budget.pf.test -> " + ip
                + " (this server)");
        assertThat(proxied).containsEntry("status", "warn")
                .containsEntry("value", "proxied.pf.test -> 192.0.2.44, not an address of this server");
        assertThat((String) proxied.get("hint")).contains("proxy");
        assertThat(nowhere).containsEntry("status", "fail").containsEntry("value", "nowhere.pf.invalid does not resolve");
        assertThat(none).containsEntry("status", "skip").containsEntry("value", "no domain configured");
    }

    // ---- external PostgreSQL and Redis

    @Test
    void anExternalDatabaseIsCheckedWithRightAndWrongPasswordAndWhenUnreachable() {
        // given
        String db = "{\"database\": {\"mode\": \"external\", \"host\": \"" + pgIp + "\", \"port\": %d, \"name\": \"itbm\","
                + " \"user\": \"itbm\", \"password\": \"sops:secrets/x.sops.yaml#db\"}}";
        // when
        Run right = run(client(db.formatted(5432)), "preflight_db_password=" + DB_PASSWORD);
        Run wrong = run(client(db.formatted(5432)), "preflight_db_password=not-" + DB_PASSWORD);
        Run closed = run(client(db.formatted(5439)), "preflight_db_password=" + DB_PASSWORD);
        Run bundled = run(client("{\"database\": {\"mode\": \"bundled\"}}"));
        // then
        assertThat(row(right, "database")).containsEntry("status", "pass")
                .containsEntry("value", "PostgreSQL " + serverVersion() + " at " + pgIp + ":5432, user itbm accepted");
        assertThat(row(wrong, "database")).containsEntry("status", "fail");
        assertThat((String) row(wrong, "database").get("value"))
                .startsWith("reachable, but " + pgIp + ":5432 refuses user itbm")
                .contains("password authentication failed");
        assertThat(row(closed, "database")).containsEntry("status", "fail");
        assertThat((String) row(closed, "database").get("value")).startsWith("unreachable: " + pgIp + ":5439")
                .contains("Connection refused");
        assertThat(row(bundled, "database")).containsEntry("status", "skip");
        // and the passwords reach no output
        assertThat(right.text() + wrong.text()).doesNotContain(DB_PASSWORD);
    }

    @Test
    void anExternalRedisIsCheckedWithRightWrongAndNoPassword() {
        // given
        String cache = "{\"cache\": {\"mode\": \"external\", \"host\": \"" + redisIp + "\", \"port\": 6379}}";
        // when
        Run right = run(client(cache), "preflight_cache_password=" + REDIS_PASSWORD);
        Run wrong = run(client(cache), "preflight_cache_password=not-" + REDIS_PASSWORD);
        Run none = run(client(cache));
        // then
        assertThat(row(right, "redis")).containsEntry("status", "pass")
                .containsEntry("value", "Redis at " + redisIp + ":6379 answers, password accepted");
        assertThat(row(wrong, "redis")).containsEntry("status", "fail")
                .containsEntry("value", "reachable, but " + redisIp + ":6379 refuses the password");
        assertThat(row(none, "redis")).containsEntry("status", "fail")
                .containsEntry("value", "reachable, but " + redisIp + ":6379 needs a password and none is configured");
        assertThat(right.text() + wrong.text()).doesNotContain(REDIS_PASSWORD);
    }

    // ---- registry

    @Test
    void theRegistryLoginTellsUnreachableFromUntrustedTlsFromWrongCredentials() throws Exception {
        // given: the registry's CA is not installed on the host yet
        String reg = gateway + ":" + registryPort;
        String ca = Files.readString(dir.resolve("ca.crt"));
        String c = HOSTS.host("pf").container();
        // when
        Run untrusted = run(registry(reg), "itbm_registry_password=" + PULL_PASSWORD);
        Run withCaConfigured = run(registry(reg), "itbm_registry_password=" + PULL_PASSWORD,
                json("itbm_registry_ca", ca));
        HOSTS.docker("exec", c, "mkdir", "-p", "/etc/docker/certs.d/" + reg);
        HOSTS.docker("cp", dir.resolve("ca.crt").toString(), c + ":/etc/docker/certs.d/" + reg + "/ca.crt");
        Run right = run(registry(reg), "itbm_registry_password=" + PULL_PASSWORD);
        Run wrong = run(registry(reg), "itbm_registry_password=not-" + PULL_PASSWORD);
        Run closed = run(registry(gateway + ":" + freePort()), "itbm_registry_password=" + PULL_PASSWORD);
        Run preloaded = run("client=pfc");
        // then
        assertThat(row(untrusted, "registry login")).containsEntry("status", "fail");
        assertThat((String) row(untrusted, "registry login").get("value")).startsWith("TLS: ");
        assertThat(row(withCaConfigured, "registry login")).containsEntry("status", "warn");
        assertThat((String) row(withCaConfigured, "registry login").get("value"))
                .startsWith("reachable, TLS verifies with the configured CA; login not tried");
        assertThat(row(right, "registry login")).containsEntry("status", "pass")
                .containsEntry("value", "reachable, login as pull-pfc works");
        assertThat(row(wrong, "registry login")).containsEntry("status", "fail")
                .containsEntry("value", "reachable, but login as pull-pfc is refused (wrong credentials)");
        assertThat(row(closed, "registry login")).containsEntry("status", "fail");
        assertThat((String) row(closed, "registry login").get("value")).startsWith("unreachable: no TCP connection");
        assertThat(row(preloaded, "registry login")).containsEntry("status", "skip");
        // and the login left nothing behind on the host, and the password reached no output
        assertThat(HOSTS.docker("exec", c, "sh", "-c", "ls -a /home/deploy/.docker 2>/dev/null || true"))
                .doesNotContain("config.json");
        assertThat(right.text() + wrong.text() + untrusted.text()).doesNotContain(PULL_PASSWORD);
    }

    // ---- certificate

    @Test
    void theCustomersCertificateWarnsUnderThirtyDaysAndFailsExpiredOrForAnotherName() throws Exception {
        // given
        Instant now = Instant.now();
        Path ten = cert("ten", "budget.pf.test", now.minus(1, ChronoUnit.DAYS), now.plus(10, ChronoUnit.DAYS));
        Path ninety = cert("ninety", "budget.pf.test", now.minus(1, ChronoUnit.DAYS), now.plus(90, ChronoUnit.DAYS));
        Path expired = cert("expired", "budget.pf.test", now.minus(60, ChronoUnit.DAYS),
                now.minus(2, ChronoUnit.DAYS));
        Path other = cert("other", "other.pf.test", now.minus(1, ChronoUnit.DAYS), now.plus(90, ChronoUnit.DAYS));
        // when
        Map<String, Object> r10 = certRow(ten, ten);
        Map<String, Object> r90 = certRow(ninety, ninety);
        Map<String, Object> rExpired = certRow(expired, expired);
        Map<String, Object> rOther = certRow(other, other);
        Map<String, Object> rMismatch = certRow(ninety, other);
        // then
        assertThat(r10).containsEntry("status", "warn");
        assertThat((String) r10.get("value")).matches("expires in (9|10) days \\(.*\\)");
        assertThat(r90).containsEntry("status", "pass");
        assertThat((String) r90.get("value")).matches("valid for (89|90) more days, covers budget.pf.test");
        assertThat(rExpired).containsEntry("status", "fail");
        assertThat((String) rExpired.get("value")).startsWith("expired on ");
        assertThat(rOther).containsEntry("status", "fail")
                .containsEntry("value", "not valid for budget.pf.test (names: DNS:other.pf.test)");
        assertThat(rMismatch).containsEntry("status", "fail")
                .containsEntry("value", "the key does not match the certificate");
    }

    @Test
    void theCertificateOnTheServerIsCheckedThereAndAMissingOneFails() throws Exception {
        // given: the current release of client pfc on the host has a 90-day certificate; client pfd has none
        Instant now = Instant.now();
        Path ninety = cert("host90", "budget.pf.test", now.minus(1, ChronoUnit.DAYS), now.plus(90, ChronoUnit.DAYS));
        String c = HOSTS.host("pf").container();
        HOSTS.docker("exec", c, "mkdir", "-p", "/opt/itbm/pfc/releases/r1/tls");
        HOSTS.docker("exec", c, "ln", "-sfn", "releases/r1", "/opt/itbm/pfc/current");
        HOSTS.docker("cp", ninety.resolveSibling("host90.crt").toString(), c + ":/opt/itbm/pfc/releases/r1/tls/cert.pem");
        HOSTS.docker("cp", ninety.resolveSibling("host90.key").toString(), c + ":/opt/itbm/pfc/releases/r1/tls/key.pem");
        HOSTS.docker("exec", c, "chown", "-R", "deploy", "/opt/itbm/pfc");
        // when
        Map<String, Object> there = row(run(client("{\"domain\": \"budget.pf.test\"}"), "itbm_ingress_tls=files"),
                "certificate");
        Map<String, Object> missing = row(run("client=pfd", "itbm_ingress_tls=files"), "certificate");
        Map<String, Object> internal = row(run(client("{}")), "certificate");
        // then
        assertThat(there).containsEntry("status", "pass");
        assertThat(missing).containsEntry("status", "fail")
                .containsEntry("value", "no certificate at /opt/itbm/pfd/current/tls/cert.pem");
        assertThat(internal).containsEntry("status", "skip");
    }

    // ---- through the CLI

    @Test
    void budgetctlPrepareResolvesTheClientsSecretsChecksTheCertificateFilesAndPrintsTheRowsAsJson() throws Exception {
        // given: a deployments repository whose client pfx has an external database and Redis, their passwords in a
        // SOPS file encrypted for a fresh age key; the packaged budgetctl in a process that has only that key
        Path repo = dir.resolve("repo");
        Path root = LifecycleRolesIT.repo();
        Files.createDirectories(repo.resolve("environments"));
        Files.createDirectories(repo.resolve("clients"));
        Files.createDirectories(repo.resolve("secrets"));
        Files.createDirectories(dir.resolve("home"));
        for (String f : List.of("access.yaml", "releases.yaml", "environments/demo.yaml", "environments/pilot.yaml",
                "environments/production.yaml")) {
            Files.copy(root.resolve("inventory").resolve(f), repo.resolve(f));
        }
        Path key = dir.resolve("age.txt");
        exec("age-keygen", "-o", key.toString());
        String recipient = exec("age-keygen", "-y", key.toString()).strip();
        Files.writeString(repo.resolve(".sops.yaml"), "creation_rules:\n  - path_regex: secrets/.*\\.sops\\.yaml$\n"
                + "    age: " + recipient + "\n");
        Files.writeString(repo.resolve("secrets/pfx.sops.yaml"), "db_password: " + DB_PASSWORD + "\nredis_password: "
                + REDIS_PASSWORD + "\n");
        Files.writeString(repo.resolve("clients/pfx.yaml"), String.join("\n", "id: pfx", "name: Preflight Test",
                "environment: demo", "licence: LIC-2025-0099", "domain: budget.pf.test", "target:", "  type: compose",
                "  servers:", "    - name: app", "      address: 127.0.0.1", "ssh:",
                "  port: " + HOSTS.host("pf").port(), "database:", "  mode: external", "  host: " + pgIp,
                "  name: itbm", "  user: itbm", "  password: sops:secrets/pfx.sops.yaml#db_password", "cache:",
                "  mode: external", "  host: " + redisIp, "  password: sops:secrets/pfx.sops.yaml#redis_password", ""));
        HOSTS.docker("exec", HOSTS.host("pf").container(), "sh", "-c", "grep -q budget.pf.test /etc/hosts || echo '"
                + HOSTS.host("pf").ip() + " budget.pf.test' >> /etc/hosts");
        Instant now = Instant.now();
        Path cert = cert("cli90", "budget.pf.test", now.minus(1, ChronoUnit.DAYS), now.plus(90, ChronoUnit.DAYS));
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.remove("SOPS_AGE_KEY");
        env.remove("XDG_CONFIG_HOME");
        env.put("SOPS_AGE_KEY_FILE", key.toString());
        env.put("HOME", dir.resolve("home").toString());
        env.put("BUDGETCTL_OPERATOR", "ivan@itbm-vendor.example");
        env.put("BUDGETCTL_AUDIT_LOG", dir.resolve("audit.log").toString());
        env.put("NO_COLOR", "1");
        budgetctl(env, "secrets", "encrypt", repo.resolve("secrets/pfx.sops.yaml").toString());
        assertThat(Files.readString(repo.resolve("secrets/pfx.sops.yaml"))).contains("ENC[AES256_GCM")
                .doesNotContain(DB_PASSWORD);
        String extra = "{\"ansible_ssh_private_key_file\": \"" + HOSTS.inventory().resolveSibling("id_ed25519")
                + "\", \"budgetctl_known_hosts\": \"" + HOSTS.inventory().resolveSibling("known_hosts") + "\"}";
        // when
        String[] json = budgetctl(env, "prepare", "--client", "pfx", "--repo", repo.toString(), "-o", "json",
                "--cert", cert + ".crt", "--key", cert + ".key", "-e", extra);
        String[] human = budgetctl(env, "prepare", "--client", "pfx", "--repo", repo.toString(), "--cert",
                cert + ".crt", "--key", cert + ".key", "-e", extra);
        Map<String, String> noKey = new java.util.HashMap<>(env);
        noKey.put("SOPS_AGE_KEY_FILE", dir.resolve("no-such-key.txt").toString());
        String[] withoutKey = budgetctl(noKey, "prepare", "--client", "pfx", "--repo", repo.toString(), "-o", "json",
                "-e", extra);
        System.err.println("=== budgetctl prepare --client pfx -> " + human[0] + "\n" + human[1] + human[2]);
        // then
        assertThat(json[1]).as("stdout of prepare -o json (exit %s); stderr:%n%s", json[0], json[2]).isNotBlank();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json[1],
                List.class);
        Map<String, Map<String, Object>> byCheck = new java.util.HashMap<>();
        rows.forEach(r -> byCheck.put((String) r.get("check"), r));
        assertThat(byCheck.get("database")).containsEntry("status", "pass");
        assertThat(byCheck.get("redis")).containsEntry("status", "pass");
        assertThat(byCheck.get("domain")).containsEntry("status", "pass");
        assertThat(byCheck.get("certificate")).containsEntry("status", "pass");
        assertThat(byCheck.get("registry login")).containsEntry("status", "skip");
        boolean failed = rows.stream().anyMatch(r -> "fail".equals(r.get("status")));
        boolean warned = rows.stream().anyMatch(r -> "warn".equals(r.get("status")));
        assertThat(Integer.parseInt(json[0])).isEqualTo(failed ? 3 : warned ? 4 : 0);
        // without the key: the rows say so, the run itself goes on
        assertThat(withoutKey[1]).as("stderr: %s", withoutKey[2]).isNotBlank();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> noKeyRows = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(withoutKey[1], List.class);
        Map<String, Object> dbNoKey = noKeyRows.stream().filter(r -> "database".equals(r.get("check"))).findFirst()
                .orElseThrow();
        assertThat(dbNoKey).containsEntry("status", "fail");
        assertThat((String) dbNoKey.get("value")).startsWith("cannot read sops:secrets/pfx.sops.yaml#db_password: ");
        assertThat(withoutKey[0]).isEqualTo("3");
        assertThat(human[1]).contains("PASS  database").contains("PASS  certificate");
        assertThat(String.join("\n", json) + String.join("\n", human)).doesNotContain(DB_PASSWORD)
                .doesNotContain(REDIS_PASSWORD);
    }

    /** The packaged budgetctl (target/budgetctl.jar) in its own process: {exit code, stdout, stderr}. */
    static String[] budgetctl(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target/budgetctl.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("cli.err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("cli.err"));
        return new String[] {String.valueOf(p.exitValue()), out, err};
    }

    // ---- helpers

    /** What a run reported, and all its events' text (to look for secrets in). */
    record Run(int exitCode, List<HostResultEvent> results) {
        String text() {
            StringBuilder b = new StringBuilder();
            for (HostResultEvent e : results) {
                b.append(e.msg()).append('\n').append(e.data()).append('\n');
            }
            return b.toString();
        }
    }

    static Run run(String... extraVars) {
        List<HostResultEvent> results = Collections.synchronizedList(new ArrayList<>());
        RunListener l = new RunListener() {
            @Override
            public void hostResult(HostResultEvent r) {
                results.add(r);
            }
        };
        RunRequest req = RunRequest.builder()
                .playbook(LifecycleRolesIT.repo().resolve("playbooks").resolve("prepare.yml"))
                .inventory(HOSTS.inventory()).limit("pf").extraVars(List.of(extraVars)).build();
        return new Run(Engine.run(req, List.of(l)), List.copyOf(results));
    }

    /** The extra vars of client pfc with this configuration. */
    static String client(String config) {
        return "{\"client\": \"pfc\", \"itbm_client\": " + config + "}";
    }

    static String registry(String address) {
        return "{\"client\": \"pfc\", \"itbm_image_source\": \"registry\", \"itbm_registry\": \"" + address + "\"}";
    }

    static String json(String key, String value) {
        return "{\"" + key + "\": \"" + value.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"")
                + "\"}";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> row(Run r, String check) {
        List<Map<String, Object>> rows = null;
        for (HostResultEvent e : r.results()) {
            if (e.data().get("ansible_facts") instanceof Map<?, ?> f && f.containsKey("preflight_results")) {
                rows = (List<Map<String, Object>>) f.get("preflight_results");
            }
        }
        assertThat(rows).as("preflight_results (run failed? %s)", r.results().stream()
                .filter(e -> e.status().name().equals("FAILED")).map(HostResultEvent::msg).toList()).isNotNull();
        List<Map<String, Object>> all = rows;
        return rows.stream().filter(m -> check.equals(m.get("check"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + check + "' in " + all));
    }

    static Map<String, Object> certRow(Path cert, Path key) {
        return row(run(client("{\"domain\": \"budget.pf.test\"}"), "preflight_tls_mode=files",
                "preflight_tls_cert_file=" + cert.resolveSibling(cert.getFileName() + ".crt"),
                "preflight_tls_key_file=" + key.resolveSibling(key.getFileName() + ".key")), "certificate");
    }

    static Path cert(String file, String name, Instant from, Instant until) throws Exception {
        return TestCerts.selfSigned(dir, file, name, from, until);
    }

    static void startRegistry() throws Exception {
        // a test CA, the registry's certificate for the gateway address, htpasswd with the pull account
        exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=preflight test CA",
                "-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.crt").toString());
        exec("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + gateway,
                "-keyout", dir.resolve("reg.key").toString(), "-out", dir.resolve("reg.csr").toString());
        Files.writeString(dir.resolve("ext"), "subjectAltName=IP:" + gateway + "\n");
        exec("openssl", "x509", "-req", "-in", dir.resolve("reg.csr").toString(), "-CA", dir.resolve("ca.crt").toString(),
                "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2", "-extfile",
                dir.resolve("ext").toString(), "-out", dir.resolve("reg.crt").toString());
        Files.writeString(dir.resolve("htpasswd"), exec("htpasswd", "-Bbn", "pull-pfc", PULL_PASSWORD).strip() + "\n");
        registryPort = freePort();
        Files.writeString(dir.resolve("registry.yml"), String.join("\n", "version: 0.1",
                "log:", "  level: warn",
                "storage:", "  filesystem:", "    rootdirectory: " + dir.resolve("registry-data"),
                "http:", "  addr: " + gateway + ":" + registryPort,
                "  tls:", "    certificate: " + dir.resolve("reg.crt"), "    key: " + dir.resolve("reg.key"),
                "auth:", "  htpasswd:", "    realm: preflight-test", "    path: " + dir.resolve("htpasswd"), ""));
        registry = new ProcessBuilder("docker-registry", "serve", dir.resolve("registry.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        poll("docker-registry listens on " + gateway + ":" + registryPort,
                Duration.ofSeconds(10), Duration.ofMillis(100))
                .failFast(() -> {
                    if (!registry.isAlive()) {
                        throw new IllegalStateException("docker-registry exited: "
                                + Files.readString(dir.resolve("registry.log")));
                    }
                })
                .until(() -> listens(gateway, registryPort));
    }

    static boolean listens(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String ip(String container) throws Exception {
        return HOSTS.docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container)
                .strip();
    }

    static void waitHealthy(String container) throws Exception {
        try {
            poll(container + " healthy", Duration.ofSeconds(120), Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(HOSTS.docker("inspect", "-f", "{{.State.Health.Status}}",
                            container).strip()).as("health of %s", container).isEqualTo("healthy"));
        } catch (ConditionTimeoutException notHealthy) {
            throw new IllegalStateException(container + " is not healthy after 120 s: "
                    + HOSTS.docker("logs", "--tail", "20", container), notHealthy);
        }
    }

    /** The version of the test's PostgreSQL as its own binary says it ("postgres (PostgreSQL) 15.x ..."). */
    static String serverVersion() {
        try {
            return HOSTS.docker("exec", containers.get(0), "postgres", "-V").strip().split(" ")[2];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String exec(String... cmd) throws Exception {
        return TestCerts.exec(cmd);
    }
}
