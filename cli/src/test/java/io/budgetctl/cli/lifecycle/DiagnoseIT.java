package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import io.budgetctl.lifecycle.secrets.Sops;
import io.budgetctl.lifecycle.secrets.SecretsEnv;
import io.budgetctl.engine.ssh.CustomerHostsExtension;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code budgetctl diagnose} against a real customer host (sshd + its own dockerd): every secret of the example
 * repository (decrypted with its demo key) and its base64, URL-encoded and padded forms are planted in a container's
 * log and environment, in the release's .env and release.json, in the audit log, in dockerd-visible command output
 * (a container name label is not needed: its log is command output), and in the host's generated secrets; the
 * bundle is then scanned file by file: no form of any value, and the expected files are there.
 */
class DiagnoseIT {
    @RegisterExtension
    static final CustomerHostsExtension HOSTS = new CustomerHostsExtension("dg");

    @TempDir
    Path tmp;

    @Test
    void theBundleHoldsTheExpectedFilesAndNoFormOfAnySecret() throws Exception {
        // given a copy of the example repository with a customer on the customer host
        Path root = LifecycleRolesIT.repo();
        Path repo = tmp.resolve("repo");
        copy(root.resolve("inventory"), repo);
        Files.writeString(repo.resolve("clients/dgx.yaml"), String.join("\n", "id: dgx", "name: Diagnose IT",
                "environment: demo", "licence: LIC-2025-0042", "domain: dgx.example", "target:", "  type: compose",
                "  servers:", "    - name: app", "      address: 127.0.0.1", "      port: 8443", "ssh:",
                "  port: " + HOSTS.host("dg").port(), "integrations:", "  smtp:", "    host: smtp.dgx.example",
                "    port: 587", "    user: itbm", "    password: sops:secrets/acme.sops.yaml#smtp_password",
                "    sender: budget@dgx.example", ""));
        Path key = root.resolve("inventory/.demo-age-key.txt");
        Map<String, String> secrets = exampleSecrets(repo, key);
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(8);
        List<String> planted = new ArrayList<>();
        for (String v : secrets.values()) {
            String t = v.strip();
            planted.addAll(List.of(t, "  " + t + "\n", b64(t), b64(v), URLEncoder.encode(t, StandardCharsets.UTF_8)));
        }
        String hostSecret = "host-generated-" + Long.toHexString(System.nanoTime());
        planted.add(hostSecret);
        planted.add(b64(hostSecret));
        // ... planted on the host: config files, the audit log, the generated secrets, a container's log and env
        String c = HOSTS.host("dg").container();
        HOSTS.load("dg", "itbm/redis:v1.4.0");
        StringBuilder lines = new StringBuilder();
        for (String p : planted) {
            lines.append("token=").append(p.replace("\n", "\\n")).append('\n');
        }
        Path plant = tmp.resolve("plant.txt");
        Files.writeString(plant, lines);
        HOSTS.docker("cp", plant.toString(), c + ":/opt/plant.txt");
        String dir = "/opt/itbm/dgx";
        String setup = String.join("\n", "set -e", "mkdir -p " + dir + "/releases/v1.4.0-20261205T100000Z/secrets "
                        + dir + "/shared/secrets",
                "cd " + dir + "/releases/v1.4.0-20261205T100000Z",
                "{ echo INSTANCE_ID=dgx; echo SMTP_PASSWORD=typed-by-hand-value; sed 's/^token=/PLANTED=/' /opt/plant.txt; } > .env",
                "printf '{\"client\": \"dgx\", \"note\": \"%s\"}\\n' \"$(head -n1 /opt/plant.txt)\" > release.json",
                "printf 'services: {}\\n' > docker-compose.yml",
                "printf '%s' '" + hostSecret + "' > " + dir + "/shared/secrets/db_password",
                "ln -sfn " + dir + "/releases/v1.4.0-20261205T100000Z " + dir + "/current",
                "sed 's/^/{\"audit\": \"/; s/$/\"}/' /opt/plant.txt > " + dir + "/audit.log",
                "chown -R deploy " + dir,
                "docker run -d --name itbm-dgx-backend-1 --label com.docker.compose.project=itbm-dgx"
                        + " --label com.docker.compose.service=backend --label com.docker.compose.oneoff=False"
                        + " -e PLANTED_ENV=\"$(sed -n 3p /opt/plant.txt)\" -v /opt/plant.txt:/plant.txt:ro"
                        + " --entrypoint sh itbm/redis:v1.4.0 -c 'cat /plant.txt; echo \"$PLANTED_ENV\"; sleep 3600'");
        HOSTS.docker("exec", c, "bash", "-c", setup);
        Files.writeString(repo.resolve("known_hosts"), Files.readString(HOSTS.inventory().resolveSibling("known_hosts")));
        Path bundle = tmp.resolve("out/bundle.tar.gz");

        // when: the packaged command line in its own JVM, with the demo key
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "diagnose", "--client", "dgx",
                "--repo", repo.toString(), "--lines", "100", "--since", "1h", "--bundle", bundle.toString(),
                "-e", "{\"ansible_ssh_private_key_file\": \"" + HOSTS.inventory().resolveSibling("id_ed25519")
                        + "\", \"budgetctl_known_hosts\": \"" + repo.resolve("known_hosts") + "\"}"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.log").toFile());
        pb.environment().put("SOPS_AGE_KEY_FILE", key.toString());
        pb.environment().put("BUDGETCTL_OPERATOR", LifecycleFixture.OPERATOR);
        pb.environment().put("BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString());
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(tmp.resolve("out.log"));
        System.err.println(output);

        // then
        assertThat(p.exitValue()).as(output).isIn(0, 2);
        Map<String, String> files = read(bundle);
        assertThat(files.keySet()).contains("diagnose-dgx/manifest.json", "diagnose-dgx/dgx/status.json",
                "diagnose-dgx/dgx/preflight.json", "diagnose-dgx/dgx/compose-ps.txt",
                "diagnose-dgx/dgx/versions.txt", "diagnose-dgx/dgx/images.txt", "diagnose-dgx/dgx/resources.txt",
                "diagnose-dgx/dgx/audit.log", "diagnose-dgx/dgx/config/env", "diagnose-dgx/dgx/config/release.json",
                "diagnose-dgx/dgx/logs/itbm-dgx-backend-1.log", "diagnose-dgx/dgx/containers/itbm-dgx-backend-1.env");
        assertThat(files.get("diagnose-dgx/dgx/logs/itbm-dgx-backend-1.log")).contains("token=********");
        assertThat(files.get("diagnose-dgx/dgx/config/env")).contains("SMTP_PASSWORD=********")
                .contains("INSTANCE_ID=dgx");
        assertThat(files.get("diagnose-dgx/manifest.json")).contains("\"customer\" : \"dgx\"").contains("sha256");
        List<String> hits = new ArrayList<>();
        files.forEach((name, text) -> {
            for (String v : planted) {
                for (String needle : List.of(v.strip(), "typed-by-hand-value")) {
                    if (needle.length() >= 4 && text.contains(needle)) {
                        hits.add(name + ": " + needle.substring(0, Math.min(12, needle.length())) + "...");
                    }
                }
            }
            for (String v : secrets.values()) {
                for (String line : v.strip().split("\n")) {
                    if (line.length() >= 20 && !line.startsWith("-----") && text.contains(line.strip())) {
                        hits.add(name + ": a line of a secret");
                    }
                }
            }
        });
        assertThat(hits).isEmpty();
        assertThat(output).doesNotContain(hostSecret);
    }

    /** Every sops reference of every client file of the repository, decrypted with the demo key. */
    private Map<String, String> exampleSecrets(Path repo, Path key) throws Exception {
        SecretResolver resolver = new SecretResolver(repo, new Sops(new SecretsEnv(
                Map.of("SOPS_AGE_KEY_FILE", key.toString()), tmp)), () -> {
                    throw new IllegalStateException("no Vault here");
                });
        org.snakeyaml.engine.v2.api.Load load = new org.snakeyaml.engine.v2.api.Load(
                org.snakeyaml.engine.v2.api.LoadSettings.builder().build());
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(repo.resolve("clients"))) {
            for (Path f : files.sorted().toList()) {
                for (String ref : DiagnoseCommand.references(load.loadFromString(Files.readString(f)),
                        new ArrayList<>())) {
                    if (ref.startsWith("sops:")) {
                        out.put(ref, resolver.resolve(ref).reveal());
                    }
                }
            }
        }
        return out;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : walk.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    private static Map<String, String> read(Path tarGz) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tarGz));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
