package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.RunRequest;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy's image step with image source {@code registry} (roles/compose-up/tasks/images.yml), run by the engine
 * over SSH against a customer host: the registry's CA goes into the host's certs.d (become), the host's Docker logs
 * in to scripts/registry as the pull-only account and pulls the six images CI pushed. A wrong password fails the
 * step without showing it.
 */
class RegistryImagesIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension("regt");
    static final String VERSION = "v1.4.0";
    static final List<String> IMAGES = List.of("backend", "worker", "scheduler", "frontend", "postgres", "redis");

    @TempDir
    Path tmp;

    record Out(int code, String text) {}

    static Out sh(Path dir, Map<String, String> env, File stdin, long timeout, List<String> argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (stdin != null) {
            pb.redirectInput(stdin);
        }
        File log = File.createTempFile("regimg", ".log");
        try {
            pb.redirectOutput(log);
            Process p = pb.start();
            if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(argv + " timed out");
            }
            return new Out(p.exitValue(), Files.readString(log.toPath()));
        } finally {
            log.delete();
        }
    }

    static String ok(Path dir, Map<String, String> env, long timeout, String... argv) throws Exception {
        Out o = sh(dir, env, null, timeout, List.of(argv));
        assertThat(o.code()).as(String.join(" ", argv) + ":\n" + o.text()).isZero();
        return o.text();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Run(int code, List<HostResultEvent> results) {
        String all() {
            StringBuilder b = new StringBuilder();
            results.forEach(r -> b.append(r.task()).append(' ').append(r.status()).append(' ').append(r.msg())
                    .append(' ').append(r.data()).append('\n'));
            return b.toString();
        }
    }

    Run images(Path vars) throws Exception {
        // a playbook beside a roles link, so the role resolves as from playbooks/
        Path repo = LifecycleRolesIT.repo();
        Path dir = Files.createDirectories(tmp.resolve("pb"));
        if (!Files.exists(dir.resolve("roles"))) {
            Files.createSymbolicLink(dir.resolve("roles"), repo.resolve("roles"));
        }
        Path pb = Files.writeString(dir.resolve("images.yml"), String.join("\n",
                "- hosts: all",
                "  gather_facts: false",
                "  vars_files:",
                "    - " + repo.resolve("playbooks/vars/itbm.yml"),
                "  vars:",
                "    itbm_version: " + VERSION,
                "  tasks:",
                "    - include_role: {name: compose-up, tasks_from: images}",
                ""));
        List<HostResultEvent> results = Collections.synchronizedList(new ArrayList<>());
        RunListener l = new RunListener() {
            @Override
            public void hostResult(HostResultEvent r) {
                results.add(r);
            }
        };
        RunRequest req = RunRequest.builder().playbook(pb).inventory(HOSTS.inventory()).limit("regt")
                .extraVars(List.of("client=regt", "@" + vars)).build();
        return new Run(Engine.run(req, List.of(l)), List.copyOf(results));
    }

    @Test
    void theHostTrustsTheCaLogsInWithItsPullAccountAndPullsTheReleaseAndAWrongPasswordFails() throws Exception {
        // given: scripts/registry with a pull account for this client, the release pushed by ci
        Path repo = LifecycleRolesIT.repo();
        ok(repo, Map.of(), 1800, "scripts/build-images", "--if-stale", VERSION);  // missing, or built from another commit
        Path reg = tmp.resolve("registry");
        int port = freePort();
        int authPort;
        do {
            authPort = freePort();
        } while (authPort == port);
        Map<String, String> env = Map.of("ITBM_REGISTRY_DIR", reg.toString(), "ITBM_REGISTRY_PORT", "" + port,
                "ITBM_REGISTRY_AUTH_PORT", "" + authPort, "ITBM_REGISTRY_CUSTOMERS", "regt",
                "DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        String local = "127.0.0.1:" + port;
        String customer = "172.16.238.1:" + port;
        try {
            ok(repo, env, 600, "scripts/registry", "up");
            Out login = sh(repo, env, reg.resolve("ci.password").toFile(), 120,
                    List.of("docker", "login", "-u", "ci", "--password-stdin", local));
            assertThat(login.code()).as(login.text()).isZero();
            // the IDs of what is pushed, read from the pushed tags (build-images elsewhere may retag itbm/* meanwhile)
            Map<String, String> pushed = new java.util.HashMap<>();
            for (String i : IMAGES) {
                ok(repo, env, 60, "docker", "tag", "itbm/" + i + ":" + VERSION, local + "/itbm/" + i + ":" + VERSION);
                pushed.put(i, ok(repo, env, 60, "docker", "image", "inspect", "-f", "{{.Id}}",
                        local + "/itbm/" + i + ":" + VERSION).strip());
                ok(repo, env, 900, "docker", "push", local + "/itbm/" + i + ":" + VERSION);
                ok(repo, env, 60, "docker", "rmi", local + "/itbm/" + i + ":" + VERSION);
            }
            String password = Files.readString(reg.resolve("pull-regt.password")).strip();
            StringBuilder ca = new StringBuilder("itbm_registry_ca: |\n");
            Files.readAllLines(reg.resolve("ca.crt")).forEach(line -> ca.append("  ").append(line).append('\n'));
            Path vars = Files.writeString(tmp.resolve("registry.yml"), "itbm_image_source: registry\n"
                    + "itbm_registry: \"" + customer + "\"\nitbm_registry_password: \"" + password + "\"\n" + ca,
                    StandardCharsets.UTF_8);
            Path badVars = Files.writeString(tmp.resolve("bad.yml"), Files.readString(vars)
                    .replace(password, "wrong-password-of-regt"));

            // when
            Run run = images(vars);

            // then: the CA is in the host's certs.d, and the host's engine has the very images CI pushed
            assertThat(run.code()).as(run.all()).isZero();
            String c = HOSTS.host("regt").container();
            assertThat(HOSTS.docker("exec", c, "cat", "/etc/docker/certs.d/" + customer + "/ca.crt"))
                    .isEqualTo(Files.readString(reg.resolve("ca.crt")));
            for (String i : IMAGES) {
                assertThat(HOSTS.docker("exec", c, "docker", "image", "inspect", "-f", "{{.Id}}",
                        customer + "/itbm/" + i + ":" + VERSION).strip())
                        .isEqualTo(pushed.get(i));
            }
            assertThat(run.all()).doesNotContain(password);
            assertThat(Files.readString(reg.resolve("auth.log")))
                    .contains("account=pull-regt scope=[repository:itbm/backend:pull] granted=[repository:itbm/backend:pull]");

            // when: the same step with a wrong password (other credentials than the stored ones: a new login)
            Run bad = images(badVars);

            // then: the login task fails, the token server refused it, the password shows nowhere
            assertThat(bad.code()).isNotZero();
            assertThat(bad.results()).anySatisfy(r -> {
                assertThat(r.task().name()).contains("log in to the registry");
                assertThat(r.status().name()).isEqualTo("FAILED");
            });
            assertThat(bad.all()).doesNotContain("wrong-password-of-regt");
            assertThat(Files.readString(reg.resolve("auth.log"))).contains("account=pull-regt scope=[] status=401");
        } finally {
            sh(repo, env, null, 120, List.of("scripts/registry", "purge"));
        }
    }
}
