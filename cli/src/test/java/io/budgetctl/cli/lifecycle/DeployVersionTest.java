package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy without --version takes the client file's (or environment's) version; a customer with neither gets one
 * error line naming the client file and a hint, before any host is contacted (north-star is a pilot customer,
 * which the engineer Ivan may deploy; its file pins no version and the copy's pilot environment has none either).
 */
class DeployVersionTest {
    @TempDir
    Path tmp;

    @AfterEach
    void environmentBack() {
        LifecycleCommand.environment = null;
    }

    @Test
    void aCustomerWithoutAnyVersionIsAClearErrorNamingTheFile() throws IOException {
        // given
        Path repo = tmp.resolve("repo");
        try (Stream<Path> all = Files.walk(LifecycleAccessTest.inventory())) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = repo.resolve(LifecycleAccessTest.inventory().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        Path pilot = repo.resolve("environments/pilot.yaml");
        Files.writeString(pilot, Files.readString(pilot).replaceAll("(?m)^\\s*version:.*\\n", ""));
        LifecycleCommand.environment = Map.of("BUDGETCTL_OPERATOR", "ivan@itbm-vendor.example",
                "BUDGETCTL_AUDIT_LOG", tmp.resolve("audit.log").toString(), "HOME", tmp.toString(), "NO_COLOR", "1");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // when
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "deploy", "--client", "north-star",
                "--repo", repo.toString());
        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString())
                .contains(repo.resolve("clients/north-star.yaml").toString())
                .contains("no version to deploy for 'north-star'")
                .contains("hint: pin it in the client file (version: v1.4.0) or give budgetctl deploy --version")
                .doesNotContain("\tat ");
        assertThat(out.toString()).doesNotContain("TASK [");
    }
}
