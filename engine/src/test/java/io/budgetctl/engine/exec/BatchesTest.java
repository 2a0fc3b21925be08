package io.budgetctl.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Batches}: how {@code serial:} cuts a play's hosts and what a batch counts. Pinned: a count, a percentage of
 * all the play's hosts (rounded down, at least one) and a list whose last entry repeats; zero means one batch of all; serial is
 * templated with the play's vars and the extra vars; a value that is not a number is the error users see today;
 * max_fail_percentage counts only the batch's new failures, over the whole batch, and must be exceeded, not reached.
 */
class BatchesTest {
    private static final SourceLocation AT = SourceLocation.of("site.yml");
    private static final List<String> FIVE = List.of("h1", "h2", "h3", "h4", "h5");

    @TempDir
    Path dir;

    @Test
    void aCountCutsBatchesOfThatSizeTheLastOneShorter() {
        assertThat(Batches.cut(2, FIVE, AT)).containsExactly(List.of("h1", "h2"), List.of("h3", "h4"), List.of("h5"));
    }

    @Test
    void aPercentageIsOfAllTheHostsRoundedDown() {
        // given ten hosts: 30% is 3
        List<String> ten = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

        // when
        List<List<String>> batches = Batches.cut("30%", ten, AT);

        // then
        assertThat(batches).extracting(List::size).containsExactly(3, 3, 3, 1);
        assertThat(Batches.size("45%", 10, AT)).isEqualTo(4);
    }

    @Test
    void aPercentageTooSmallForOneHostIsOneHostAndAnEmptyListIsOneBatch() {
        // as ansible-core 2.14: pct_to_int(..., min_value=1); serial: [] -> [-1]
        assertThat(Batches.cut("10%", List.of("a", "b", "c"), AT)).extracting(List::size).containsExactly(1, 1, 1);
        assertThat(Batches.cut(List.of(), FIVE, AT)).containsExactly(FIVE);
    }

    @Test
    void aMaxFailPercentageThatIsNoNumberIsAnErrorAtThePlay() {
        assertThatThrownBy(() -> Batches.maxFailExceeded("lots", FIVE, Set.of(), Set.of("h1"), AT))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.oneLine()).isEqualTo("site.yml: max_fail_percentage must be a number; got 'lots'");
                    assertThat(e.hint()).contains("max_fail_percentage: 30");
                });
    }

    @Test
    void theLastEntryOfAListRepeats() {
        // 1, then 50% of five hosts (2), again and again
        assertThat(Batches.cut(List.of(1, "50%"), FIVE, AT))
                .containsExactly(List.of("h1"), List.of("h2", "h3"), List.of("h4", "h5"));
    }

    @Test
    void zeroOrLessIsOneBatchOfAllAndSpacesAroundANumberDoNotMatter() {
        assertThat(Batches.cut(0, FIVE, AT)).containsExactly(FIVE);
        assertThat(Batches.size("-1", 5, AT)).isEqualTo(5);
        assertThat(Batches.size(" 2 ", 5, AT)).isEqualTo(2);
    }

    @Test
    void somethingElseIsAnErrorAtThePlayWithTheFormsSerialTakes() {
        assertThatThrownBy(() -> Batches.cut("two", FIVE, AT))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.oneLine())
                            .isEqualTo("site.yml: serial must be a number, a percentage or a list of those; got 'two'");
                    assertThat(e.hint()).isEqualTo("write serial: 2, serial: \"30%\" or serial: [1, 5, \"100%\"]");
                });
        // a later entry of a list is checked when the batches reach it, a percentage must be a number too
        assertThatThrownBy(() -> Batches.cut(List.of(1, "half"), FIVE, AT))
                .hasMessage("serial must be a number, a percentage or a list of those; got 'half'");
        assertThatThrownBy(() -> Batches.cut("x%", FIVE, AT))
                .hasMessage("serial must be a number, a percentage or a list of those; got 'x%'");
        assertThatThrownBy(() -> Batches.cut(1.5, FIVE, AT))
                .hasMessage("serial must be a number, a percentage or a list of those; got '1.5'");
    }

    @Test
    void withoutSerialThePlayIsOneBatch() throws IOException {
        Play play = ExecFixtures.play(dir, "- hosts: all\n  tasks: []\n");

        assertThat(Batches.of(play, FIVE, new JinjavaTemplater(), Map.of())).containsExactly(FIVE);
    }

    @Test
    void serialIsTemplatedWithThePlaysVarsAndExtraVarsOverThem() throws IOException {
        // given
        Play play = ExecFixtures.play(dir, """
                - hosts: all
                  vars: {size: 2, first: 1}
                  serial: ["{{ first }}", "{{ size }}"]
                  tasks: []
                """);

        // when / then
        assertThat(Batches.of(play, FIVE, new JinjavaTemplater(), Map.of()))
                .containsExactly(List.of("h1"), List.of("h2", "h3"), List.of("h4", "h5"));
        assertThat(Batches.of(play, FIVE, new JinjavaTemplater(), Map.of("size", 4)))
                .containsExactly(List.of("h1"), List.of("h2", "h3", "h4", "h5"));
    }

    @Test
    void countFailedCountsTheBatchsFailedAndUnreachableHostsOnly() {
        assertThat(Batches.countFailed(List.of("h1", "h2", "h3"), Set.of("h1", "h9"), Set.of("h3"))).isEqualTo(2);
    }

    @Test
    void maxFailPercentageMustBeExceededByTheBatchsNewFailuresOverTheWholeBatch() {
        List<String> batch = List.of("h1", "h2", "h3", "h4");

        // one of four is 25%: not more than 25
        assertThat(Batches.maxFailExceeded(25, batch, Set.of(), Set.of("h1"), AT)).isFalse();
        assertThat(Batches.maxFailExceeded("25", batch, Set.of(), Set.of("h1", "h2"), AT)).isTrue();
        // h1 failed before the batch started: only h2 is new, still one in four
        assertThat(Batches.maxFailExceeded(25, batch, Set.of("h1"), Set.of("h1", "h2"), AT)).isFalse();
        assertThat(Batches.maxFailExceeded(0, batch, Set.of(), Set.of("h4"), AT)).isTrue();
        assertThat(Batches.maxFailExceeded(null, batch, Set.of(), Set.copyOf(batch), AT)).isFalse();
    }
}
