package io.budgetctl.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class ModuleOutputTest {
    @Test
    void timesArePrintedLikePythonsDatetime() {
        assertThat(ModuleOutput.pyDateTime(LocalDateTime.of(2024, 3, 5, 7, 8, 9, 3_130_000)))
                .isEqualTo("2024-03-05 07:08:09.003130");
    }

    @Test
    void linesAndStripFollowPython() {
        assertThat(ModuleOutput.lines("a\r\nb\n\nc\n")).containsExactly("a", "b", "", "c");
        assertThat(ModuleOutput.lines("")).isEmpty();
        assertThat(ModuleOutput.stripEnds("a\n\n\r\n")).isEqualTo("a");
        assertThat(ModuleOutput.stripEnds("\n a \n")).isEqualTo("\n a ");
    }
}
