package io.budgetctl.lifecycle.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectionAndWavesTest {
    private static final List<FleetCustomer> FLEET = List.of(
            FleetCustomer.of("acme", "h1:22").withTags(Map.of("ring", "1", "region", "eu")),
            FleetCustomer.of("beta", "h2:22").withTags(Map.of("ring", "2", "region", "ru")),
            FleetCustomer.of("delta", "h3:22").withTags(Map.of("region", "ru")).withEnvironment("pilot"),
            FleetCustomer.of("gamma", "h4:22").withTags(Map.of("ring", "0", "region", "eu")),
            FleetCustomer.of("omega", "h5:22").withTags(Map.of("ring", "10", "region", "eu")));

    @Test
    void givenEnvironmentAndATag_whenApplied_thenOnlyCustomersMatchingBothAreSelectedInRepositoryOrder() {
        // when
        List<FleetCustomer> got = Selection.parse(List.of(), "production", List.of("region=eu"), false)
                .apply(FLEET, "repo");

        // then
        assertThat(got).extracting(FleetCustomer::id).containsExactly("acme", "gamma", "omega");
    }

    @Test
    void givenClientsInAnyOrder_whenApplied_thenTheyComeBackInRepositoryOrder() {
        assertThat(Selection.parse(List.of("gamma,acme"), null, List.of(), false).apply(FLEET, "repo"))
                .extracting(FleetCustomer::id).containsExactly("acme", "gamma");
    }

    @Test
    void givenNoCriterion_whenApplied_thenItRefusesInsteadOfSelectingEveryone() {
        assertThatThrownBy(() -> Selection.parse(List.of(), null, List.of(), false).apply(FLEET, "repo"))
                .isInstanceOf(EngineException.class).hasMessageContaining("no customers selected")
                .extracting(e -> ((EngineException) e).hint()).asString().contains("--all");
        assertThat(Selection.parse(List.of(), null, List.of(), true).apply(FLEET, "repo")).hasSize(5);
    }

    @Test
    void givenAnUnknownClient_whenApplied_thenTheErrorNamesTheKnownOnes() {
        assertThatThrownBy(() -> Selection.parse(List.of("acme,zulu"), null, List.of(), false).apply(FLEET, "repo"))
                .isInstanceOf(EngineException.class).hasMessageContaining("no customer 'zulu'")
                .extracting(e -> ((EngineException) e).hint()).asString()
                .isEqualTo("known customers: acme, beta, delta, gamma, omega");
    }

    @Test
    void givenAWhereWithoutEquals_whenParsed_thenItSaysWhatItExpects() {
        assertThatThrownBy(() -> Selection.parse(List.of(), null, List.of("ring"), false))
                .isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).oneLine()).isEqualTo("--where: 'ring' is not TAG=VALUE"));
    }

    @Test
    void givenRingTags_whenWavesByRing_thenOneWavePerRingInNumericOrderAndUntaggedLast() {
        // when
        List<Wave> waves = Waves.byTag(FLEET, "ring");

        // then: 10 after 2 (numeric, not text order); delta has no ring
        assertThat(waves).extracting(Wave::name).containsExactly("ring=0", "ring=1", "ring=2", "ring=10",
                "ring=(unset)");
        assertThat(waves).extracting(Wave::ids).containsExactly(List.of("gamma"), List.of("acme"), List.of("beta"),
                List.of("omega"), List.of("delta"));
        assertThat(waves).extracting(Wave::number).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void givenSizesOneTenPercentRest_whenSplittingTwentyCustomers_thenOneTwoAndSeventeen() {
        // given
        List<FleetCustomer> twenty = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> FleetCustomer.of("c" + i)).toList();

        // when
        List<Wave> waves = Waves.bySizes(twenty, "1,10%,rest");

        // then
        assertThat(waves).extracting(w -> w.customers().size()).containsExactly(1, 2, 17);
        assertThat(waves.get(1).ids()).containsExactly("c1", "c2");
    }

    @Test
    void givenSizesWithoutRest_whenCustomersRemain_thenTheLastSizeRepeats() {
        assertThat(Waves.bySizes(FLEET, "1,2")).extracting(w -> w.customers().size()).containsExactly(1, 2, 2);
        assertThat(Waves.bySizes(FLEET.subList(0, 1), "50%")).extracting(w -> w.customers().size())
                .containsExactly(1);
    }

    @Test
    void givenBadSizes_whenSplitting_thenTheErrorNamesTheItem() {
        assertThatThrownBy(() -> Waves.bySizes(FLEET, "1,rest,2")).satisfies(e -> assertThat(((EngineException) e)
                .oneLine()).isEqualTo("--waves: bad wave size 'rest' in '1,rest,2'"));
        assertThatThrownBy(() -> Waves.bySizes(FLEET, "0")).hasMessageContaining("bad wave size '0'");
        assertThatThrownBy(() -> Waves.bySizes(FLEET, "150%")).hasMessageContaining("bad wave size '150%'");
        assertThatThrownBy(() -> Waves.bySizes(FLEET, "ten")).hasMessageContaining("bad wave size 'ten'");
    }

    @Test
    void givenCountsAndPercentages_whenParsedAsBudget_thenAllowedFailuresFollowTheSelectionSize() {
        assertThat(FailureBudget.parse("2").allowed(60)).isEqualTo(2);
        assertThat(FailureBudget.parse("10%").allowed(60)).isEqualTo(6);
        assertThat(FailureBudget.parse("10%").allowed(15)).isEqualTo(1);
        assertThat(FailureBudget.parse("10%").exceeded(1, 9)).isTrue();
        assertThat(FailureBudget.parse("0").exceeded(0, 9)).isFalse();
        assertThatThrownBy(() -> FailureBudget.parse("two")).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).oneLine())
                        .isEqualTo("--max-failures: 'two' is not a count or a percentage"));
        assertThatThrownBy(() -> FailureBudget.parse("101%")).isInstanceOf(EngineException.class);
    }
}
