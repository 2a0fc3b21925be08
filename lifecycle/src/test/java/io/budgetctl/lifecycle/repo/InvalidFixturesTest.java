package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under src/test/resources/repo/invalid/ is dropped into a copy of the valid base repository (clients/ and
 * environments/ cases under their own name, access/ and releases/ cases as access.yaml and releases.yaml) and the
 * repository is validated; the errors must equal the case's .golden file. Regenerate goldens with
 * {@code -Dgolden.update=true} and review the diff.
 */
class InvalidFixturesTest {
    static final Path INVALID = Fixtures.RESOURCES.resolve("invalid");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static Stream<String> cases() throws IOException {
        List<String> out = new ArrayList<>();
        for (String kind : List.of("clients", "environments", "access", "releases")) {
            try (Stream<Path> s = Files.list(INVALID.resolve(kind))) {
                s.map(p -> kind + "/" + p.getFileName()).filter(n -> n.endsWith(".yaml")).sorted().forEach(out::add);
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void invalidFixtureGivesTheGoldenErrors(String fixture, @TempDir Path tmp) throws IOException {
        // given
        Path repo = Fixtures.copyBase(tmp);
        String kind = fixture.substring(0, fixture.indexOf('/'));
        String target = switch (kind) {
            case "access" -> "access.yaml";
            case "releases" -> "releases.yaml";
            default -> fixture;
        };
        Files.copy(INVALID.resolve(fixture), repo.resolve(target), StandardCopyOption.REPLACE_EXISTING);

        // when
        ValidationReport report = new Validator(DeploymentsRepository.open(repo)).validateAll();

        // then
        StringBuilder actual = new StringBuilder();
        for (RepoError e : report.errors()) {
            actual.append(e.oneLine()).append('\n');
            if (e.hint() != null) {
                actual.append("  hint: ").append(e.hint()).append('\n');
            }
        }
        Path golden = INVALID.resolve(fixture.replaceAll("\\.yaml$", ".golden"));
        if (UPDATE) {
            Files.writeString(golden, actual.toString());
        }
        assertThat(report.valid()).as("an invalid fixture must give errors").isFalse();
        assertThat(actual.toString()).as("errors of " + fixture + " (update with -Dgolden.update=true)")
                .isEqualTo(Files.readString(golden));
        assertThat(actual.toString()).doesNotContain("hunter2");
    }
}
