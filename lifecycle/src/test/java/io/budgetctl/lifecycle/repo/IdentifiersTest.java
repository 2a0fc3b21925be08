package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.lifecycle.repo.Identifiers.Kind;
import org.junit.jupiter.api.Test;

class IdentifiersTest {
    @Test
    void theValuesBudgetctlItselfProducesAreAccepted() {
        // given / when / then: what the roles and the docs use
        assertThat(Kind.CLIENT.matches("acme")).isTrue();
        assertThat(Kind.CLIENT.matches("e2e-fail-1")).isTrue();
        assertThat(Kind.VERSION.matches("v1.4.0")).isTrue();
        assertThat(Kind.BACKUP_ID.matches("20250301T020000Z")).isTrue();
        assertThat(Kind.BACKUP_ID.matches("before-migration")).isTrue();
        assertThat(Kind.BACKUP_ID.matches("v1.3.2_pre.upgrade")).isTrue();
        assertThat(Kind.RELEASE.matches("v1.4.0-20250301T020000Z")).isTrue();
        assertThat(Kind.SERVICE.matches("backend")).isTrue();
        for (Kind k : Kind.values()) {
            assertThat(k.matches(k.example())).as(k.label()).isTrue();
        }
    }

    @Test
    void shellWordsPathsAndPatternsAreRefused() {
        // given / when / then: the attacks of issue 15
        assertThat(Kind.VERSION.matches("v1$(touch /tmp/x)")).isFalse();
        assertThat(Kind.VERSION.matches("v1.*")).isFalse();
        assertThat(Kind.VERSION.matches("v1.4.0\n")).isFalse();
        assertThat(Kind.VERSION.matches("v1.4.0 ")).isFalse();
        assertThat(Kind.BACKUP_ID.matches("../..")).isFalse();
        assertThat(Kind.BACKUP_ID.matches("..")).isFalse();
        assertThat(Kind.BACKUP_ID.matches(".partial")).isFalse();
        assertThat(Kind.BACKUP_ID.matches("a/b")).isFalse();
        assertThat(Kind.BACKUP_ID.matches("x;rm -rf /")).isFalse();
        assertThat(Kind.BACKUP_ID.matches("")).isFalse();
        assertThat(Kind.CLIENT.matches("acme/../beta")).isFalse();
        assertThat(Kind.CLIENT.matches("Acme")).isFalse();
        assertThat(Kind.RELEASE.matches("v1.4.0-*")).isFalse();
        assertThat(Kind.SERVICE.matches("backend`id`")).isFalse();
        assertThat(Kind.SERVICE.matches(null)).isFalse();
    }

    @Test
    void aRefusalNamesTheOptionTheValueAndThePatternOnOneLine() {
        // when / then
        assertThatThrownBy(() -> Identifiers.check("--to", Kind.VERSION, "v1$(touch /tmp/x)\nnext"))
                .isInstanceOf(Identifiers.Invalid.class)
                .hasMessage("--to 'v1$(touch /tmp/x)\\x0anext' is not a valid version: it must match"
                        + " ^v[0-9]+\\.[0-9]+\\.[0-9]+$ (e.g. v1.4.0)");
        assertThat(Identifiers.check("--id", Kind.BACKUP_ID, "before-migration")).isEqualTo("before-migration");
    }

    @Test
    void aVeryLongValueIsCutInTheMessage() {
        // when / then
        assertThatThrownBy(() -> Identifiers.check("--id", Kind.BACKUP_ID, "x".repeat(500)))
                .hasMessageContaining("'" + "x".repeat(80) + "...'")
                .hasMessageNotContaining("x".repeat(81));
    }
}
