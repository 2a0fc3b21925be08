package io.budgetctl.cli.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.secrets.SecretsEnv;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The secrets subcommands with a real age key (age-keygen), a real .sops.yaml and a real editor process (sh). */
class SecretsCommandTest {
    @TempDir
    Path dir;
    Path key;
    Path file;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void repo() throws Exception {
        key = dir.resolve("keys.txt");
        assertThat(exec("age-keygen", "-o", key.toString())).isZero();
        Process p = new ProcessBuilder("age-keygen", "-y", key.toString()).start();
        String recipient = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(30, TimeUnit.SECONDS);
        Files.writeString(dir.resolve(".sops.yaml"), "creation_rules:\n  - path_regex: \\.sops\\.yaml$\n    age: "
                + recipient + "\n");
        file = dir.resolve("acme.sops.yaml");
        Files.writeString(file, "db_password: s3cr3t\n");
    }

    private static int exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private int run(Map<String, String> vars, String... args) {
        SecretsEnv env = new SecretsEnv(vars, dir);
        CommandLine cl = new CommandLine(new SecretsCommand(env));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, c, pr) -> {
            c.getErr().println("ERROR! " + (ex instanceof EngineException e ? e.oneLine() : ex.toString()));
            c.getErr().flush();
            return 1;
        });
        return cl.execute(args);
    }

    private Map<String, String> withKey(String... more) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("SOPS_AGE_KEY_FILE", key.toString(),
                "XDG_CONFIG_HOME", dir.resolve("xdg").toString()));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void encryptsThenViewsLikeSopsD() throws Exception {
        // when
        int enc = run(withKey(), "encrypt", file.toString());
        String encrypted = Files.readString(file);
        int view = run(withKey(), "view", file.toString());
        // then
        assertThat(enc).isZero();
        assertThat(view).isZero();
        assertThat(encrypted).doesNotContain("s3cr3t").contains("sops:");
        assertThat(out.toString()).isEqualTo("encrypted " + file + "\ndb_password: s3cr3t\n");
    }

    @Test
    void rotateChangesEveryCiphertextButNotTheData() throws Exception {
        // given
        run(withKey(), "encrypt", file.toString());
        String before = Files.readString(file);
        // when
        int code = run(withKey(), "rotate", file.toString());
        // then
        assertThat(code).isZero();
        String after = Files.readString(file);
        String line = after.lines().filter(l -> l.startsWith("db_password:")).findFirst().orElseThrow();
        assertThat(before).doesNotContain(line);
        out.getBuffer().setLength(0);
        run(withKey(), "view", file.toString());
        assertThat(out.toString()).isEqualTo("db_password: s3cr3t\n");
    }

    @Test
    void editRunsTheEditorOnAPrivateCopyAndReencrypts() throws Exception {
        // given: an "editor" that records the copy's permissions and changes the value
        run(withKey(), "encrypt", file.toString());
        Path log = dir.resolve("editor.log");
        Path editor = dir.resolve("ed.sh");
        Files.writeString(editor, "#!/bin/sh\nstat -c %a \"$1\" > " + log + "\necho \"$1\" >> " + log
                + "\nsed -i s/s3cr3t/n3w/ \"$1\"\n");
        editor.toFile().setExecutable(true);
        // when
        int code = run(withKey("EDITOR", editor.toString()), "edit", file.toString());
        // then
        assertThat(code).as(err.toString()).isZero();
        List<String> seen = Files.readAllLines(log);
        assertThat(seen.get(0)).isEqualTo("600");
        assertThat(Path.of(seen.get(1))).doesNotExist();
        // (the value as YAML would write it: three letters alone also turn up in the ciphertext's base64 now and then)
        assertThat(Files.readString(file)).doesNotContain("db_password: n3w").contains("sops:");
        out.getBuffer().setLength(0);
        run(withKey(), "view", file.toString());
        assertThat(out.toString()).isEqualTo("db_password: n3w\n");
    }

    @Test
    void editWithoutChangesLeavesTheFileAlone() throws Exception {
        // given
        run(withKey(), "encrypt", file.toString());
        String before = Files.readString(file);
        // when
        int code = run(withKey("EDITOR", "true"), "edit", file.toString());
        // then
        assertThat(code).isZero();
        assertThat(out.toString()).endsWith("no changes, " + file + " left as it was\n");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void failingEditorLeavesTheFileAlone() throws Exception {
        // given
        run(withKey(), "encrypt", file.toString());
        String before = Files.readString(file);
        // when
        int code = run(withKey("EDITOR", "false"), "edit", file.toString());
        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("the editor exited with status 1");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void viewOfAMissingFileFailsWithOneLineThroughTheRealMain() {
        // given
        StringWriter mainOut = new StringWriter();
        StringWriter mainErr = new StringWriter();
        // when
        int code = Main.run(new PrintWriter(mainOut), new PrintWriter(mainErr), "secrets", "view",
                dir.resolve("missing.sops.yaml").toString());
        // then
        assertThat(code).isEqualTo(1);
        List<String> lines = new ArrayList<>(mainErr.toString().lines().toList());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("ERROR! " + dir.resolve("missing.sops.yaml") + ": no such file");
        assertThat(lines.get(1)).startsWith("  hint: ");
        assertThat(mainOut.toString()).isEmpty();
    }
}
