package io.budgetctl.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under src/test/resources/report. {@link #assertMatches} is for our own formats (JSON lines, JUnit):
 * {@code -Dgolden.update=true} rewrites the file (then review the git diff). {@link #assertMatchesAnsible} is for
 * console goldens, which only capture-ansible.sh may write: they are what the real ansible-playbook printed.
 */
final class Golden {
    static final Path DIR = Path.of("src/test/resources/report");

    private Golden() {
    }

    static String read(String name) {
        try {
            return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertMatches(String name, String actual) {
        if (Boolean.getBoolean("golden.update")) {
            try {
                Files.writeString(DIR.resolve(name), actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(actual).as("golden file %s (regenerate with -Dgolden.update=true and review)", name)
                .isEqualTo(read(name));
    }

    static void assertMatchesAnsible(String name, String actual) {
        assertThat(actual).as("%s was captured from ansible-playbook by capture-ansible.sh; our output must match it",
                name).isEqualTo(read(name));
    }
}
