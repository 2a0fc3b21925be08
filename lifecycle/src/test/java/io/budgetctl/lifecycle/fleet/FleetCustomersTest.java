package io.budgetctl.lifecycle.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetCustomersTest {
    /** The example deployments repository at the project root. */
    private static final Path EXAMPLE = Path.of("..", "inventory");

    @Test
    void givenTheExampleRepository_whenLoaded_thenEachCustomerHasItsTagsWindowAndSshEndpoints() {
        // when
        Map<String, FleetCustomer> fleet = FleetCustomers.load(DeploymentsRepository.open(EXAMPLE)).stream()
                .collect(Collectors.toMap(FleetCustomer::id, Function.identity()));

        // then
        assertThat(fleet).containsOnlyKeys("acme", "beta", "delta", "epsilon", "gamma", "north-star", "zeta");
        FleetCustomer acme = fleet.get("acme");
        assertThat(acme.tags()).containsEntry("ring", "1").containsEntry("region", "eu");
        assertThat(acme.servers()).containsExactly("203.0.113.10:22");
        // the production environment's window, as the client file does not set its own
        assertThat(acme.window()).hasToString("sat,sun 01:00-05:00 UTC");
        assertThat(acme.version()).isEqualTo("v1.4.0");
        // beta's own window overrides the environment's
        assertThat(fleet.get("beta").window()).hasToString("sun 22:00-04:00 Europe/Moscow");
        // the two demo customers share one server: the scheduler must not run them together
        assertThat(fleet.get("epsilon").servers()).isEqualTo(fleet.get("zeta").servers());
        assertThat(fleet.get("gamma").servers()).singleElement().asString().startsWith("helm:");
    }

    @Test
    void givenTheExampleRepository_whenSelectingProductionByRing_thenWavesFollowTheRings() {
        // given
        List<FleetCustomer> all = FleetCustomers.load(DeploymentsRepository.open(EXAMPLE));

        // when
        List<Wave> waves = Waves.byTag(Selection.parse(List.of(), "production", List.of(), false)
                .apply(all, EXAMPLE.toString()), "ring");

        // then
        assertThat(waves).extracting(Wave::name).containsExactly("ring=1", "ring=2");
        assertThat(waves.get(0).ids()).containsExactly("acme", "gamma");
    }

    @Test
    void givenEnvironmentFleetDefaults_whenSelected_thenTheSmallestParallelOfTheSelectedEnvironmentsApplies() {
        // given: production says parallel 4, pilot 2, demo nothing (the example repository)
        DeploymentsRepository repo = DeploymentsRepository.open(EXAMPLE);
        List<FleetCustomer> all = FleetCustomers.load(repo);
        Function<String, List<FleetCustomer>> in = env -> all.stream().filter(c -> env.contains(c.environment()))
                .toList();

        // then
        assertThat(FleetCustomers.parallel(repo, in.apply("production"))).hasValue(4);
        assertThat(FleetCustomers.parallel(repo, in.apply("production,pilot"))).hasValue(2);
        assertThat(FleetCustomers.parallel(repo, in.apply("demo"))).isEmpty();
        assertThat(FleetCustomers.parallel(repo, List.of())).isEmpty();
    }
}
