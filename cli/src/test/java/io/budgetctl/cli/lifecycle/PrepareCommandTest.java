package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrepareCommandTest {
    private static Map<String, Object> row(String status) {
        return Map.of("check", "x", "status", status);
    }

    @Test
    void anyFailedCheckOnAnyHostIsThreeWarningsOnlyAreFourAllPassIsZero() {
        // given
        Map<String, Object> allPass = Map.of("a", List.of(row("pass"), row("pass")));
        Map<String, Object> warned = Map.of("a", List.of(row("pass"), row("warn")), "b", List.of(row("pass")));
        Map<String, Object> failed = Map.of("a", List.of(row("warn")), "b", List.of(row("pass"), row("fail")));
        // when / then
        assertThat(PrepareCommand.exit(allPass)).isZero();
        assertThat(PrepareCommand.exit(warned)).isEqualTo(4);
        assertThat(PrepareCommand.exit(failed)).isEqualTo(3);
    }
}
