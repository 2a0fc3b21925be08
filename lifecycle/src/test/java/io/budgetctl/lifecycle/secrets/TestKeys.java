package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test helpers: a private GNUPGHOME with sops' test key, real processes (gpg, age), resources copied out. */
final class TestKeys {
    static final String SOPS_TEST_FP = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";

    private TestKeys() {
    }

    /** A fresh GNUPGHOME (0700) under {@code dir} with sops' functional-test key imported. */
    static Path gnupgHomeWithTestKey(Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path key = resource("sops_functional_tests_key.asc", dir);
        Result r = run(Map.of("GNUPGHOME", home.toString()), null, "gpg", "--batch", "--quiet", "--import",
                key.toString());
        assertThat(r.exit()).as("gpg --import: " + r.err()).isZero();
        return home;
    }

    static SecretsEnv env(Path home, Map<String, String> vars) {
        Map<String, String> m = new HashMap<>(vars);
        m.putIfAbsent("XDG_CONFIG_HOME", home.resolve("xdg").toString());
        return new SecretsEnv(m, home);
    }

    /** Copies a resource of src/test/resources/secrets to {@code dir}. */
    static Path resource(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = TestKeys.class.getResourceAsStream("/secrets/" + name)) {
            assertThat(in).as("resource " + name).isNotNull();
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    record Result(int exit, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    static Result run(Map<String, String> env, byte[] stdin, String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(argv)));
        pb.environment().putAll(env);
        Path err = Files.createTempFile("stderr", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String e = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, e);
    }
}
