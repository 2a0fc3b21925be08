package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExampleRepositoryTest {
    static final Path EXAMPLE = Path.of("..", "inventory");

    @Test
    void theExampleRepositoryValidatesClean() {
        // given
        DeploymentsRepository repo = DeploymentsRepository.open(EXAMPLE);

        // when
        ValidationReport report = new Validator(repo).validateAll();

        // then
        assertThat(report.errors()).extracting(RepoError::oneLine).isEmpty();
        assertThat(report.clients()).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void everyExampleFileNamesItsSchemaWithTheRightRelativePath() throws Exception {
        // given / when / then
        for (String f : DeploymentsRepository.open(EXAMPLE).clientFiles()) {
            String first = java.nio.file.Files.readAllLines(EXAMPLE.resolve(f)).get(0);
            assertThat(first).isEqualTo("# yaml-language-server: $schema=../../schemas/client.schema.json");
            assertThat(EXAMPLE.resolve(f).getParent().resolve("../../schemas/client.schema.json")).exists();
        }
        for (String f : DeploymentsRepository.open(EXAMPLE).environmentFiles()) {
            String first = java.nio.file.Files.readAllLines(EXAMPLE.resolve(f)).get(0);
            assertThat(first).isEqualTo("# yaml-language-server: $schema=../../schemas/environment.schema.json");
        }
        assertThat(java.nio.file.Files.readAllLines(EXAMPLE.resolve("access.yaml")).get(0))
                .isEqualTo("# yaml-language-server: $schema=../schemas/access.schema.json");
    }
}
