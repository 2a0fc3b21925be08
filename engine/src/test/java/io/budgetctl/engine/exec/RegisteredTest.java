package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Unsafe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegisteredTest {

    @Test
    void givenAResultWithConsoleOnlyKeys_whenRegistered_thenTheyAreGoneAtTheTopAndInLoopItems() {
        // given: assert's result in a loop, as the runner aggregates it
        Map<String, Object> item = new LinkedHashMap<>(Map.of("msg", "fine", "_ansible_verbose_always", true));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("changed", false);
        result.put("_ansible_verbose_always", true);
        result.put("results", List.of(item, "not a dict"));

        // when
        Object registered = Unsafe.unwrap(Registered.of(result));

        // then
        assertThat(registered).isEqualTo(Map.of("changed", false, "results", List.of(Map.of("msg", "fine"),
                "not a dict")));
        assertThat(result).containsKey("_ansible_verbose_always"); // the console still sees it
    }

    @Test
    void givenAResultWithoutThem_whenRegistered_thenNothingIsCopied() {
        Map<String, Object> result = Map.of("rc", 0, "results", List.of(Map.of("rc", 1)));
        assertThat(Registered.withoutInternalKeys(result)).isSameAs(result);
    }
}
