package io.budgetctl.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Re-runs capture-ansible.sh with the installed ansible-playbook and compares with the committed console goldens,
 * so they cannot silently drift from what Ansible really prints (ConsoleListenerTest then pins our output to them).
 * Only timing values are normalised.
 */
class ConsoleFormatAnsibleIT {
    private static final Pattern TIMING = Pattern.compile(
            "\"(delta|start|end)\": \"[^\"]*\"|\\d+\\.\\d+s\\b");

    @Test
    void goldenFilesAreWhatTheInstalledAnsiblePlaybookPrints() throws Exception {
        // given
        Path out = Path.of("target/ansible-capture");
        Files.createDirectories(out);
        // when
        Process p = new ProcessBuilder("bash", Golden.DIR.resolve("capture-ansible.sh").toString(),
                out.toAbsolutePath().toString()).inheritIO().start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("capture finished").isTrue();
        // then
        assertThat(p.exitValue()).isZero();
        for (String name : List.of("console-basic.txt", "console-basic-color.txt", "console-verbose.txt",
                "console-diff.txt", "console-diff-color.txt", "console-warnings.txt", "console-assert.txt")) {
            String captured = Files.readString(out.resolve(name), StandardCharsets.UTF_8);
            assertThat(normalise(captured)).as("%s from the installed ansible-playbook", name)
                    .isEqualTo(normalise(Golden.read(name)));
        }
        assertThat(Files.readString(out.resolve("ansible-version.txt")))
                .as("Ansible version the goldens were captured with").isEqualTo(Golden.read("ansible-version.txt"));
    }

    private static String normalise(String s) {
        return TIMING.matcher(s).replaceAll("<timing>");
    }
}
