package io.budgetctl.lifecycle.licence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client file is edited where modules and limits stand; everything else stays byte for byte. */
class ClientFileEditTest {
    static final String ACME = """
            # yaml-language-server: $schema=../../schemas/client.schema.json
            # One server, everything bundled.
            id: acme
            licence: LIC-2024-0001   # from the portal
            version: v1.4.0
            modules: [forecasting, reporting, audit, sso]   # what the customer bought
            limits:
              # named users, per contract annex 2
              users: 250  # raised in 2025
              cost_centres: 120

            tags:
              region: eu
            """;

    private static Map<String, Long> limits(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        }
        return m;
    }

    @Test
    void aFlowListAndChangedLimitsAreRewrittenInPlaceAndEveryCommentSurvives() {
        // when
        String out = ClientFileEdit.apply("acme.yaml", ACME, List.of("audit", "forecasting", "multi-currency", "sso"),
                limits("users", 300, "cost_centres", 120));

        // then: modules that stay keep their order, the new one comes last, comments and blank line untouched
        assertThat(out).isEqualTo(ACME
                .replace("[forecasting, reporting, audit, sso]", "[forecasting, audit, sso, multi-currency]")
                .replace("users: 250  # raised", "users: 300  # raised"));
    }

    @Test
    void aBlockListKeepsItsIndentationAndTheLinesAroundIt() {
        // given
        String yaml = """
                id: acme
                modules:
                    - forecasting   # first
                    - reporting
                # the end of the modules
                limits: {users: 10}
                """;

        // when
        String out = ClientFileEdit.apply("acme.yaml", yaml, List.of("forecasting", "sso"), limits("users", 10));

        // then
        assertThat(out).isEqualTo("""
                id: acme
                modules:
                    - forecasting   # first
                    - sso
                # the end of the modules
                limits: {users: 10}
                """);
    }

    @Test
    void limitsTheLicenceAddsOrDropsGetOrLoseTheirLine() {
        // when
        String out = ClientFileEdit.apply("acme.yaml", ACME, List.of("forecasting", "reporting", "audit", "sso"),
                limits("users", 250));
        String none = ClientFileEdit.apply("acme.yaml", ACME, List.of("forecasting", "reporting", "audit", "sso"),
                limits("cost_centres", 7));

        // then
        assertThat(out).isEqualTo(ACME.replace("  cost_centres: 120\n", ""));
        assertThat(none).isEqualTo(ACME.replace("  users: 250  # raised in 2025\n", "")
                .replace("cost_centres: 120", "cost_centres: 7"));
        String added = ClientFileEdit.apply("acme.yaml", out, List.of("forecasting", "reporting", "audit", "sso"),
                limits("users", 250, "cost_centres", 60));
        assertThat(added).isEqualTo(ACME.replace("cost_centres: 120", "cost_centres: 60"));
        String replaced = ClientFileEdit.apply("acme.yaml", out, List.of("forecasting", "reporting", "audit", "sso"),
                limits("cost_centres", 60));
        assertThat(replaced).isEqualTo(ACME.replace("  users: 250  # raised in 2025\n", "")
                .replace("cost_centres: 120", "cost_centres: 60"));
    }

    @Test
    void keysTheFileDoesNotHaveAreAddedAtTheEnd() {
        // given: modules and limits come from the environment's defaults
        String yaml = "id: beta\nenvironment: pilot  # no modules here\n";

        // when
        String out = ClientFileEdit.apply("beta.yaml", yaml, List.of("api", "sso"), limits("users", 5));

        // then
        assertThat(out).isEqualTo(yaml + "modules: [api, sso]\nlimits:\n  users: 5\n");
    }

    @Test
    void nothingToChangeGivesTheSameText() {
        assertThat(ClientFileEdit.apply("acme.yaml", ACME, List.of("sso", "audit", "reporting", "forecasting"),
                limits("users", 250, "cost_centres", 120))).isEqualTo(ACME);
    }

    @Test
    void aFileThatIsNotAMappingOrHasModulesOfAnotherShapeIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> ClientFileEdit.apply("x.yaml", "- a\n- b\n", List.of(), Map.of()))
                .isInstanceOf(EngineException.class).hasMessageContaining("a client file is a YAML mapping");
        assertThatThrownBy(() -> ClientFileEdit.apply("x.yaml", "id: x\nmodules: sso\n", List.of("api"), Map.of()))
                .isInstanceOf(EngineException.class).hasMessage("'modules' is not a list")
                .extracting(e -> ((EngineException) e).location().toString()).isEqualTo("x.yaml:2:10");
    }
}
