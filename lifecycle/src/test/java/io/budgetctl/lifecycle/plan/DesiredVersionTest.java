package io.budgetctl.lifecycle.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The version deploy installs without --version: the client file's, else its environment's. */
class DesiredVersionTest {
    static final Path EXAMPLE = Path.of("../inventory").toAbsolutePath().normalize();

    @Test
    void theClientFilesVersionIsTheDesiredOne() {
        DeploymentsRepository r = DeploymentsRepository.open(EXAMPLE);
        assertThat(DesiredState.of(r, "beta", null, "p").version()).isEqualTo("v1.3.2");
    }

    @Test
    void theEnvironmentsDefaultServesAClientWithoutOne() {
        // delta.yaml pins no version; its environment (pilot) has defaults.version
        DeploymentsRepository r = DeploymentsRepository.open(EXAMPLE);
        assertThat(DesiredState.of(r, "delta", null, "p").version()).isEqualTo("v1.4.0");
    }

    @Test
    void theOptionWins() {
        DeploymentsRepository r = DeploymentsRepository.open(EXAMPLE);
        assertThat(DesiredState.of(r, "beta", "v1.4.0", "p").version()).isEqualTo("v1.4.0");
    }

    @Test
    void noVersionAnywhereIsAClearErrorNamingTheClientFile(@TempDir Path tmp) throws IOException {
        // given: the example repository with the pilot environment's default version removed
        copy(EXAMPLE, tmp);
        Path pilot = tmp.resolve("environments/pilot.yaml");
        Files.writeString(pilot, Files.readString(pilot).replaceAll("(?m)^\\s*version:.*\\n", ""));
        DeploymentsRepository r = DeploymentsRepository.open(tmp);
        // when / then
        assertThatThrownBy(() -> DesiredState.of(r, "delta", null, "p"))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("no version to deploy for 'delta'")
                .satisfies(e -> {
                    EngineException ee = (EngineException) e;
                    assertThat(ee.oneLine()).contains(tmp.resolve("clients/delta.yaml").toString());
                    assertThat(ee.hint()).contains("version: v1.4.0").contains("--version");
                });
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
