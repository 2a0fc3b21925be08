package io.budgetctl.engine.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The playbooks and roles budgetctl ships pass {@code budgetctl lint --strict} (issue 15). */
class ShippedPlaybooksLintTest {
    static Path checkout() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("playbooks")) && Files.isDirectory(d.resolve("roles"))) {
                return d;
            }
        }
        throw new IllegalStateException("playbooks/ not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theShippedPlaybooksAndRolesPassStrictLint() {
        // when
        List<Finding> findings = Lint.check(List.of(checkout().resolve("playbooks"), checkout().resolve("roles")),
                true);

        // then
        assertThat(findings).extracting(Finding::toString).isEmpty();
    }
}
