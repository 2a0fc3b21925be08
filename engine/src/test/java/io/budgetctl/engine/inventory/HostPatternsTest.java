package io.budgetctl.engine.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPatternsTest {
    private final Inventory inv = Inventory.load(List.of(Path.of("src/test/resources/inventory/basic/hosts.yml")));

    @Test
    void splitsOnCommasOrColonsButKeepsRangesAndPortsWhole() {
        assertThat(HostPatterns.split("web:db")).containsExactly("web", "db");
        assertThat(HostPatterns.split("web, db ,x")).containsExactly("web", "db", "x");
        assertThat(HostPatterns.split("web[0:1]:db")).containsExactly("web[0:1]", "db");
        assertThat(HostPatterns.split("db1:2222")).containsExactly("db1:2222");
        assertThat(HostPatterns.split("fe80::1")).containsExactly("fe80::1");
        assertThat(HostPatterns.split("app:&web:!web02*")).containsExactly("app", "&web", "!web02*");
    }

    @Test
    void modifiersApplyAfterRegularPatternsAndAloneMeanAll() {
        assertThat(HostPatterns.order(List.of("!a", "&b", "c"))).containsExactly("c", "&b", "!a");
        assertThat(HostPatterns.order(List.of("!a"))).containsExactly("all", "!a");
    }

    @Test
    void unionIntersectionAndExclusionSelectLikeAnsible() {
        assertThat(inv.select("db:api")).containsExactly("db1", "db2", "api1");
        assertThat(inv.select("app:&web")).containsExactly("web01.example.com", "web02.example.com",
                "web03.example.com");
        assertThat(inv.select("app:!web")).containsExactly("api1");
        assertThat(inv.select("!db")).containsExactly("lonely", "web01.example.com", "web02.example.com",
                "web03.example.com", "api1");
    }

    @Test
    void wildcardsRegexAndSubscriptsSelectHosts() {
        assertThat(inv.select("web0[13]*")).containsExactly("web01.example.com", "web03.example.com");
        assertThat(inv.select("~db\\d")).containsExactly("db1", "db2");
        assertThat(inv.select("web[1:]")).containsExactly("web02.example.com", "web03.example.com");
        assertThat(inv.select("web[-1]")).containsExactly("web03.example.com");
    }

    @Test
    void unknownPatternSelectsNothingAndIsReported() {
        assertThat(inv.select("nosuch")).isEmpty();
        assertThat(inv.unmatchedPatterns("web:nosuch:db")).containsExactly("nosuch");
        assertThat(inv.unmatchedPatterns("web:db")).isEmpty();
    }

    @Test
    void invalidRegexIsAClearError() {
        assertThatThrownBy(() -> inv.select("~(web")).isInstanceOf(EngineException.class)
                .hasMessageContaining("invalid host pattern");
    }

    @Test
    void subscriptPastTheEndIsAClearError() {
        assertThatThrownBy(() -> inv.select("db[5]")).isInstanceOf(EngineException.class)
                .hasMessageContaining("no hosts matched the subscripted pattern 'db[5]'");
    }

    @Test
    void globTranslatesLikePythonFnmatch() {
        assertThat("web01").matches(HostPatterns.globToRegex("web*"));
        assertThat("web01").matches(HostPatterns.globToRegex("web0?"));
        assertThat("web01").doesNotMatch(HostPatterns.globToRegex("web0[!1]"));
        assertThat("a.b").doesNotMatch(HostPatterns.globToRegex("a?c"));
        assertThat("a+b").matches(HostPatterns.globToRegex("a+b"));
    }
}
