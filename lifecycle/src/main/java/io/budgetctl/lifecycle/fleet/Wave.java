package io.budgetctl.lifecycle.fleet;

import java.util.List;

/**
 * One wave of a rollout: its customers start only after the previous wave has finished within the failure budget.
 *
 * @param number 1-based
 * @param name   how it was formed: {@code ring=0}, {@code 10%}, {@code rest}, {@code all}
 */
public record Wave(int number, String name, List<FleetCustomer> customers) {
    public Wave {
        customers = List.copyOf(customers);
    }

    public List<String> ids() {
        return customers.stream().map(FleetCustomer::id).toList();
    }
}
