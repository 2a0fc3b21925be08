package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProductModulesTest {
    @Test
    void theKnownModulesComeFromTheClientSchemaInItsOrder() {
        // then
        assertThat(ProductModules.KNOWN).containsExactly("forecasting", "reporting", "approvals", "audit",
                "integrations-1c", "sso", "multi-currency", "api");
    }

    @Test
    void aSchemaWithoutTheListIsABuildProblemNamedAsSuch() {
        // when / then
        assertThatThrownBy(() -> ProductModules.load("{\"$defs\": {}}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("client.schema.json has no $defs/knownModules/enum list");
        assertThat(ProductModules.load("{\"$defs\": {\"knownModules\": {\"enum\": [\"a\", \"b\"]}}}"))
                .containsExactly("a", "b");
    }
}
