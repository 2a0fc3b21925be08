package io.budgetctl.cli.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret-leak scan: a copy of the example deployments repository whose acme secrets are replaced by random values,
 * encrypted by {@code budgetctl secrets encrypt} for a fresh age key; real playbooks that use those secrets every
 * way a playbook can (copy content, template, command arguments, set_fact, register, debug, loops, failing tasks,
 * assert) run through the packaged {@code budgetctl} (Main.main -> Main.run) in a process whose HOME, TMPDIR and
 * java.io.tmpdir are inside the test directory, with every output option. Then every byte of stdout, stderr, the JSON
 * events, the JUnit file and every file under the test directory except the two files the playbook is meant to write
 * is searched for each value, and for its base64 form.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretLeakIT {
    private static final Path JAR = Path.of("target/budgetctl.jar").toAbsolutePath();
    private static final Path EXAMPLE = Path.of("../inventory").toAbsolutePath().normalize();

    @TempDir
    static Path root;
    Path repo;
    Path target;
    Map<String, String> env;
    final Map<String, String> secrets = new LinkedHashMap<>();
    final List<Run> runs = new ArrayList<>();

    record Run(String what, int exit, String stdout, String stderr) {
    }

    @BeforeAll
    void encryptAndRunEverything() throws Exception {
        // given a copy of the example repository, a fresh age key, and random secret values for acme
        repo = root.resolve("repo");
        target = root.resolve("target");
        for (String d : List.of("home", "tmp", "keys", "reports")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.createDirectories(target);
        copyTree(EXAMPLE, repo);
        Path key = root.resolve("keys/age.txt");
        assertThat(exec(List.of("age-keygen", "-o", key.toString()))).isZero();
        Process p = new ProcessBuilder("age-keygen", "-y", key.toString()).start();
        String recipient = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.writeString(repo.resolve(".sops.yaml"), "creation_rules:\n  - path_regex: secrets/.*\\.sops\\.yaml$\n"
                + "    age: " + recipient + "\n");
        SecureRandom random = new SecureRandom();
        for (String k : List.of("ssh_key", "oidc_client_secret", "smtp_password")) {
            byte[] b = new byte[12];
            random.nextBytes(b);
            secrets.put(k, "leak-" + k.charAt(0) + "-" + HexFormat.of().formatHex(b));
        }
        Path sopsFile = repo.resolve("secrets/acme.sops.yaml");
        StringBuilder plain = new StringBuilder();
        secrets.forEach((k, v) -> plain.append(k).append(": ").append(v).append('\n'));
        Files.writeString(sopsFile, plain);
        env = new LinkedHashMap<>(System.getenv());
        env.remove("XDG_CONFIG_HOME");
        env.remove("SOPS_AGE_KEY");
        env.put("SOPS_AGE_KEY_FILE", key.toString());
        env.put("HOME", root.resolve("home").toString());
        env.put("TMPDIR", root.resolve("tmp").toString());
        env.put("NO_COLOR", "1");
        // run -i <deployments repository> is the access.yaml action 'run': a lead's (the audit log is searched too)
        env.put("BUDGETCTL_OPERATOR", "anna@itbm-vendor.example");
        env.put("BUDGETCTL_AUDIT_LOG", root.resolve("home/audit.log").toString());
        run("encrypt", "secrets", "encrypt", sopsFile.toString());
        assertThat(Files.readString(sopsFile)).contains("sops:").contains("ENC[AES256_GCM");

        Path playbook = root.resolve("playbooks/leak.yml");
        Files.createDirectories(playbook.getParent());
        Files.writeString(playbook.resolveSibling("app.conf.j2"), """
                # rendered for {{ client_id }}
                oidc_secret={{ client.integrations.sso.client_secret }}
                smtp_password={{ client.integrations.smtp.password }}
                """);
        Files.writeString(playbook, """
                - name: Secrets every way
                  hosts: acme
                  gather_facts: false
                  vars:
                    smtp: "{{ client.integrations.smtp.password }}"
                  tasks:
                    - name: copy content
                      copy:
                        content: "password={{ smtp }}\\n"
                        dest: "{{ target }}/copy.conf"
                        mode: "0600"
                    - name: template
                      template:
                        src: app.conf.j2
                        dest: "{{ target }}/app.conf"
                    - name: command args, registered
                      command: printf '%s' "{{ client.integrations.sso.client_secret }}"
                      register: printed
                    - name: debug the registered result
                      debug:
                        var: printed
                    - name: debug msg
                      debug:
                        msg: "the key is {{ client.ssh.key }} and {{ printed.stdout }}"
                    - name: set_fact
                      set_fact:
                        copied: "{{ client.integrations.smtp.password }}-suffix"
                    - name: debug the fact
                      debug:
                        var: copied
                    - name: loop over secrets
                      command: echo "{{ item }}"
                      loop:
                        - "{{ client.integrations.smtp.password }}"
                        - "{{ client.ssh.key }}"
                    - name: a failing command
                      command: ls /nonexistent/{{ client.integrations.smtp.password }}
                      ignore_errors: true
                    - name: fail with the secret
                      fail:
                        msg: "cannot use {{ client.integrations.sso.client_secret }}"
                      ignore_errors: true
                    - name: assert on the secret
                      assert:
                        that: copied == 'nope'
                      ignore_errors: true
                    - name: shell with the secret in its environment and on stderr
                      shell: echo "$SMTP"; echo "{{ client.ssh.key }}" >&2
                      environment:
                        SMTP: "{{ client.integrations.smtp.password }}"
                      register: shelled
                    - name: the secret base64-encoded
                      debug:
                        msg: "{{ client.integrations.smtp.password | b64encode }}"
                    - name: a template error that quotes the secret
                      debug:
                        msg: "{{ client.integrations.smtp.password ~ nosuchvar }}"
                      ignore_errors: true
                """);
        String pb = playbook.toString();
        List<String> base = List.of("run", "-i", repo.toString(), "-e", "ansible_connection=local",
                "-e", "target=" + target);
        run("plain", concat(base, pb));
        // the file now holds the secret: a changed value makes --diff show before and after
        Files.writeString(target.resolve("copy.conf"), "password=old-" + secrets.get("smtp_password") + "\n");
        run("-v --check --diff", concat(base, "-v", "--check", "--diff", pb));
        run("-vvv --diff", concat(base, "-vvv", "--diff", pb));
        Files.writeString(target.resolve("app.conf"), "stale " + secrets.get("oidc_client_secret") + "\n");
        run("json junit", concat(base, "--output", "json", "--junit", root.resolve("reports/junit.xml").toString(),
                "--diff", pb));
        run("-vvvv json", concat(base, "-vvvv", "--output", "json", "--check", pb));
    }

    @Test
    void modulesReceivedThePlaintext() throws IOException {
        // then the intended files hold the real values: the secrets did reach the host
        assertThat(Files.readString(target.resolve("copy.conf")))
                .isEqualTo("password=" + secrets.get("smtp_password") + "\n");
        assertThat(Files.readString(target.resolve("app.conf")))
                .contains("oidc_secret=" + secrets.get("oidc_client_secret"))
                .contains("smtp_password=" + secrets.get("smtp_password"));
        for (Run r : runs) {
            assertThat(r.exit()).as(r.what() + "\n" + r.stdout() + r.stderr()).isZero();
        }
    }

    @Test
    void theRunsShowedMasksWhereTheValuesWere() {
        // then the output did go through the tasks that use the secrets, showing the mask
        Run plain = runs.stream().filter(r -> r.what().equals("plain")).findFirst().orElseThrow();
        assertThat(plain.stdout()).contains("TASK [debug the fact]").contains("********-suffix")
                .contains("the key is ********");
        Run json = runs.stream().filter(r -> r.what().equals("json junit")).findFirst().orElseThrow();
        assertThat(json.stdout()).contains("\"task\"").contains("********");
    }

    @Test
    void noOutputAndNoWrittenFileHoldsASecret() throws IOException {
        // given every form a value can take
        Map<String, String> needles = new LinkedHashMap<>();
        secrets.forEach((k, v) -> {
            needles.put(k, v);
            needles.put(k + " (base64)", Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
        });
        // when everything is searched
        List<String> leaks = new ArrayList<>();
        for (Run r : runs) {
            leaks.addAll(find("stdout of " + r.what(), r.stdout(), needles));
            leaks.addAll(find("stderr of " + r.what(), r.stderr(), needles));
        }
        Set<Path> intended = Set.of(target.resolve("copy.conf"), target.resolve("app.conf"));
        int scanned = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (!intended.contains(f)) {
                    scanned++;
                    leaks.addAll(find(root.relativize(f).toString(), new String(Files.readAllBytes(f),
                            StandardCharsets.ISO_8859_1), needles));
                }
            }
        }
        // then nothing leaked, and the search did look at the reports and the repository
        assertThat(Files.exists(root.resolve("reports/junit.xml"))).isTrue();
        assertThat(scanned).isGreaterThan(10);
        assertThat(leaks).isEmpty();
    }

    @Test
    void theScanFindsAValueWhereItIs() throws IOException {
        // given the intended file, which must hold the value
        String text = Files.readString(target.resolve("copy.conf"));
        // when / then: the same search reports it, so an empty result above means something
        assertThat(find("copy.conf", text, Map.of("smtp_password", secrets.get("smtp_password")))).hasSize(1);
    }

    private static List<String> find(String where, String text, Map<String, String> needles) {
        List<String> out = new ArrayList<>();
        needles.forEach((name, value) -> {
            int at = text.indexOf(value);
            if (at >= 0) {
                int from = Math.max(0, at - 80);
                out.add(name + " in " + where + ": ..." + text.substring(from, Math.min(text.length(),
                        at + value.length() + 40)).replace("\n", "\\n") + "...");
            }
        });
        return out;
    }

    private void run(String what, String... args) throws Exception {
        run(what, List.of(args));
    }

    private void run(String what, List<String> args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(javaBinary(), "-Djava.io.tmpdir=" + root.resolve("tmp"),
                "-Duser.home=" + root.resolve("home"), "-jar", JAR.toString()));
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(root.resolve("home").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Files.createDirectories(root.resolve("out"));
        Path out = root.resolve("out/stdout-" + runs.size());
        Path err = root.resolve("out/stderr-" + runs.size());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(what).isTrue();
        runs.add(new Run(what, p.exitValue(), Files.readString(out), Files.readString(err)));
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }

    private static int exec(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Path dest = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest);
                }
            }
        }
    }
}
