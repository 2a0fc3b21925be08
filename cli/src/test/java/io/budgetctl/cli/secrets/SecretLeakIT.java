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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret-leak scan: a copy of the example deployments repository whose secrets - every {@code sops:} reference of
 * every client file: SSH keys as PEM blocks (YAML {@code |}, so they end in a newline), a kubeconfig, passwords,
 * credentials - are replaced by random values, encrypted by {@code budgetctl secrets encrypt} for a fresh age key; real
 * playbooks that use those secrets every way a playbook can (copy content, template, command arguments, set_fact,
 * register, debug, loops, failing tasks, assert, task names, other hosts' secrets through hostvars) and transform
 * them (upper, lower, b64encode, hash sha1/sha256, slicing, reverse, list, join, replace, urlencode, format,
 * concatenation, string methods, printed by the host with stdout_lines) run through the packaged {@code budgetctl}
 * (Main.main -> Main.run) in a process whose HOME, TMPDIR and java.io.tmpdir are inside the test directory, with every
 * output option (-v to -vvvv, --diff, --check, --output json, --junit). Then every byte of stdout, stderr, the JSON
 * events, the JUnit file, a release record and an audit line the playbook writes, and every other file under the test
 * directory except the files the playbook is meant to write the secrets to is searched for every form of each value
 * ({@link #forms}).
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
        List<Ref> refs = exampleReferences();
        Map<String, StringBuilder> plainFiles = new LinkedHashMap<>();
        for (Ref ref : refs) {
            String name = ref.file() + "#" + ref.key();
            if (secrets.containsKey(name)) {
                continue;
            }
            String value = randomValue(ref.key(), random);
            secrets.put(name, value);
            StringBuilder plain = plainFiles.computeIfAbsent(ref.file(), f -> new StringBuilder());
            if (value.contains("\n")) {
                plain.append(ref.key()).append(": |\n");
                value.lines().forEach(l -> plain.append("  ").append(l).append('\n'));
            } else {
                plain.append(ref.key()).append(": ").append(value).append('\n');
            }
        }
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
        for (Map.Entry<String, StringBuilder> f : plainFiles.entrySet()) {
            Path sopsFile = repo.resolve(f.getKey());
            Files.writeString(sopsFile, f.getValue());
            run("encrypt " + f.getKey(), "secrets", "encrypt", sopsFile.toString());
            assertThat(Files.readString(sopsFile)).contains("sops:").contains("ENC[AES256_GCM");
        }
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(8);

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
                    - name: the key as a file (its checksum is the SHA-1 of the key)
                      copy:
                        content: "{{ client.ssh.key }}"
                        dest: "{{ target }}/key.pem"
                        mode: "0600"
                    - name: errors that quote transformed secrets
                      fail:
                        msg: "{{ client.integrations.smtp.password | upper }} {{ smtp | b64encode }}"
                      ignore_errors: true
                    - name: a failing command with a transformed secret
                      command: ls /nonexistent/{{ smtp | upper }}/{{ smtp | hash('sha1') }}
                      ignore_errors: true
                    - name: a release record, as compose-up writes release.json
                      copy:
                        content: "{{ {'client': client_id, 'version': client.version, 'result': 'ok'} | to_nice_json }}\n"
                        dest: "{{ target }}/release.json"
                    - name: an audit line, as compose-up appends to audit.log
                      shell: printf '%s\\n' "$LINE" >> {{ target }}/audit.log
                      environment:
                        LINE: "{{ {'client': client_id, 'action': 'deploy', 'key_set': client.ssh.key is defined} | to_json }}"
                """ + transformTasks(refs));
        String pb = playbook.toString();
        List<String> base = List.of("run", "-i", repo.toString(), "-e", "ansible_connection=local",
                "-e", "target=" + target);
        run("plain", concat(base, pb));
        // the file now holds the secret: a changed value makes --diff show before and after
        Files.writeString(target.resolve("copy.conf"), "password=old-" + acme("smtp_password") + "\n");
        run("-v --check --diff", concat(base, "-v", "--check", "--diff", pb));
        run("-vvv --diff", concat(base, "-vvv", "--diff", pb));
        Files.writeString(target.resolve("app.conf"), "stale " + acme("oidc_client_secret") + "\n");
        run("json junit", concat(base, "--output", "json", "--junit", root.resolve("reports/junit.xml").toString(),
                "--diff", pb));
        run("-vvvv json", concat(base, "-vvvv", "--output", "json", "--check", pb));
    }

    @Test
    void modulesReceivedThePlaintext() throws IOException {
        // then the intended files hold the real values: the secrets did reach the host
        assertThat(Files.readString(target.resolve("copy.conf")))
                .isEqualTo("password=" + acme("smtp_password") + "\n");
        assertThat(Files.readString(target.resolve("app.conf")))
                .contains("oidc_secret=" + acme("oidc_client_secret"))
                .contains("smtp_password=" + acme("smtp_password"));
        assertThat(Files.readString(target.resolve("key.pem"))).isEqualTo(acme("ssh_key"));
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
        // given every form a value can take, and the checksum copy reports of content around a secret
        Map<String, String> needles = new LinkedHashMap<>();
        secrets.forEach((k, v) -> needles.putAll(forms(k, v)));
        needles.put("sha1 of copy.conf", sha("SHA-1", "password=" + acme("smtp_password") + "\n"));
        // when everything is searched
        List<String> leaks = new ArrayList<>();
        for (Run r : runs) {
            leaks.addAll(find("stdout of " + r.what(), r.stdout(), needles));
            leaks.addAll(find("stderr of " + r.what(), r.stderr(), needles));
        }
        Set<Path> intended = Set.of(target.resolve("copy.conf"), target.resolve("app.conf"), target.resolve("key.pem"));
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
        assertThat(target.resolve("release.json")).exists();
        assertThat(target.resolve("audit.log")).exists();
        assertThat(scanned).isGreaterThan(10);
        assertThat(leaks).isEmpty();
    }

    @Test
    void theScanFindsAValueWhereItIs() throws IOException {
        // given the intended file, which must hold the value
        String text = Files.readString(target.resolve("copy.conf"));
        // when / then: the same search reports it, so an empty result above means something
        assertThat(find("copy.conf", text, Map.of("smtp_password", acme("smtp_password")))).hasSize(1);
        // and the forms of a value include what a host or a filter makes of it
        String key = acme("ssh_key");
        assertThat(forms("key", key).values()).contains(key.strip(), key.strip().toUpperCase(Locale.ROOT),
                sha("SHA-1", key), key.lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void theRunsUsedEverySecretOfTheExampleRepositoryTransformed() {
        // then each reference had its transformation tasks, and they ran (shown masked, not left out)
        Run vvv = runs.stream().filter(r -> r.what().equals("-vvv --diff")).findFirst().orElseThrow();
        for (String name : secrets.keySet()) {
            assertThat(vvv.stdout()).contains("TASK [transformed " + name + ": ********");
        }
    }

    /** A sops reference of an example client file and the expression a play on acme reads it with. */
    record Ref(String file, String key, String expr) {
    }

    private String acme(String key) {
        return secrets.get("secrets/acme.sops.yaml#" + key);
    }

    private static final List<String> TRANSFORMS = List.of(
            "X | upper", "X | lower", "X | b64encode", "X | hash('sha1')", "X | hash('sha256')", "X[2:]",
            "X | reverse", "X | list", "X | list | join(',')", "X | replace('a', 'A')", "X | urlencode",
            "'%s!' | format(X)", "'pre-' ~ X ~ '-post'", "X.upper()", "[X] | join(' ')", "X | trim", "X");

    /** Per reference: a task name, debug, set_fact + debug var, register and the host printing every transform. */
    private static String transformTasks(List<Ref> refs) {
        StringBuilder t = new StringBuilder();
        Set<String> seen = new java.util.HashSet<>();
        int n = 0;
        for (Ref ref : refs) {
            if (!seen.add(ref.file() + "#" + ref.key())) {
                continue;
            }
            List<String> exprs = TRANSFORMS.stream().map(x -> x.replace("X", "(" + ref.expr() + ")")).toList();
            t.append("    - name: \"transformed ").append(ref.file()).append('#').append(ref.key())
                    .append(": {{ ").append(exprs.get(0)).append(" }} {{ ").append(exprs.get(5)).append(" }}\"\n")
                    .append("      debug:\n        msg:\n");
            exprs.forEach(e -> t.append("          - \"{{ ").append(e).append(" }}\"\n"));
            t.append("    - set_fact:\n        derived_").append(n).append(":\n");
            exprs.forEach(e -> t.append("          - \"{{ ").append(e).append(" }}\"\n"));
            t.append("    - debug: var=derived_").append(n).append('\n');
            t.append("    - shell: |\n");
            exprs.forEach(e -> t.append("        printf '%s\\n' \"{{ ").append(e).append(" }}\"\n"));
            t.append("      register: printed_").append(n).append('\n');
            t.append("    - debug: var=printed_").append(n).append(".stdout_lines\n");
            n++;
        }
        return t.toString();
    }

    /** Every {@code sops:} reference in the example's client files, read as a play on acme would read it. */
    private static List<Ref> exampleReferences() throws IOException {
        List<Ref> out = new ArrayList<>();
        org.snakeyaml.engine.v2.api.Load load = new org.snakeyaml.engine.v2.api.Load(
                org.snakeyaml.engine.v2.api.LoadSettings.builder().build());
        try (Stream<Path> files = Files.list(EXAMPLE.resolve("clients"))) {
            for (Path f : files.sorted().toList()) {
                Map<?, ?> client = (Map<?, ?>) load.loadFromString(Files.readString(f));
                String id = String.valueOf(client.get("id"));
                List<?> servers = ((Map<?, ?>) client.get("target")).get("servers") instanceof List<?> l ? l
                        : List.of();
                String host = servers.size() > 1 ? id + "-" + ((Map<?, ?>) servers.get(0)).get("name") : id;
                String base = id.equals("acme") ? "client" : "hostvars['" + host + "'].client";
                references(client, base, out);
            }
        }
        return out;
    }

    private static void references(Object node, String path, List<Ref> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> references(v, path + "." + k, out));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                references(l.get(i), path + "[" + i + "]", out);
            }
        } else if (node instanceof String s && s.startsWith("sops:")) {
            String[] fileKey = s.substring(5).split("#", 2);
            out.add(new Ref(fileKey[0], fileKey[1], path));
        }
    }

    /** Random values shaped like the real ones: PEM keys and a kubeconfig are multi-line and end in a newline. */
    private static String randomValue(String key, SecureRandom random) {
        if (key.equals("ssh_key")) {
            StringBuilder pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
            for (int i = 0; i < 4; i++) {
                pem.append(Base64.getEncoder().encodeToString(bytes(random, 48))).append('\n');
            }
            return pem.append("-----END OPENSSH PRIVATE KEY-----\n").toString();
        }
        if (key.equals("kubeconfig")) {
            return "apiVersion: v1\nkind: Config\nusers:\n- name: itbm\n  user:\n    token: kc-"
                    + HexFormat.of().formatHex(bytes(random, 20)) + "\n";
        }
        return "leak-" + key.charAt(0) + "-" + HexFormat.of().formatHex(bytes(random, 12));
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * Every form the scan looks for: the value (trimmed), upper/lower case, reversed, base64 (of the raw and of the
     * trimmed value), SHA-1 (a copy's checksum) and SHA-256, URL-encoded, sliced, as a printed list and joined, and
     * each line that carries random text (not the PEM markers or kubeconfig structure lines).
     */
    static Map<String, String> forms(String name, String v) {
        Map<String, String> out = new LinkedHashMap<>();
        String t = v.strip();
        out.put(name, t);
        out.put(name + " upper", t.toUpperCase(Locale.ROOT));
        out.put(name + " lower", t.toLowerCase(Locale.ROOT));
        out.put(name + " reversed", new StringBuilder(t).reverse().toString());
        out.put(name + " base64", b64(t));
        out.put(name + " base64 of the raw value", b64(v));
        out.put(name + " sha1", sha("SHA-1", t));
        out.put(name + " sha1 of the raw value", sha("SHA-1", v));
        out.put(name + " sha256", sha("SHA-256", t));
        out.put(name + " urlencoded", java.net.URLEncoder.encode(t, StandardCharsets.UTF_8));
        out.put(name + " slice", t.substring(2));
        String head = t.lines().filter(SecretLeakIT::randomLine).findFirst().orElse(t);
        out.put(name + " as a list", head.chars().limit(8).mapToObj(c -> String.valueOf((char) c))
                .collect(java.util.stream.Collectors.joining("', '")));
        out.put(name + " as a JSON list", head.chars().limit(8).mapToObj(c -> String.valueOf((char) c))
                .collect(java.util.stream.Collectors.joining("\", \"")));
        out.put(name + " joined", head.chars().limit(8).mapToObj(c -> String.valueOf((char) c))
                .collect(java.util.stream.Collectors.joining(",")));
        int i = 0;
        for (String line : t.split("\n")) {
            if (randomLine(line)) {
                out.put(name + " line " + i++, line.strip());
            }
        }
        return out;
    }

    private static boolean randomLine(String line) {
        return !line.startsWith("-----") && (line.startsWith("leak-") || line.contains("kc-") || line.length() >= 64);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha(String alg, String s) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance(alg)
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
