package io.budgetctl.lifecycle.fleet;

import java.util.List;
import java.util.Map;

/**
 * How a fleet run ended, customer by customer.
 *
 * @param runId          the run
 * @param journal        the journal file
 * @param customers      every customer of the run, in wave order, with its final state
 * @param budgetExceeded the failure budget stopped the run
 * @param seconds        the run's wall time
 */
public record FleetResult(String runId, String journal, List<Entry> customers, boolean budgetExceeded,
                          double seconds) {
    /** Everything went through: every customer done. */
    public static final int EXIT_OK = 0;
    /** One or more customers failed, within the failure budget. Same code as "one or more hosts failed". */
    public static final int EXIT_FAILED = 2;
    /** The failure budget was exceeded: the rollout stopped; the summary lists who never started. */
    public static final int EXIT_BUDGET = 7;
    /** Nothing failed but not everyone is done: skipped (window, another controller) or died mid-deploy. */
    public static final int EXIT_INCOMPLETE = 8;

    /**
     * One customer's end state.
     *
     * @param neverStarted skipped because the budget stopped the run before it began
     */
    public record Entry(String customer, int wave, CustomerState state, String reason, String log, Double seconds,
                        boolean neverStarted) {
    }

    public FleetResult {
        customers = List.copyOf(customers);
    }

    public long count(CustomerState s) {
        return customers.stream().filter(e -> e.state() == s).count();
    }

    public List<Entry> in(CustomerState s) {
        return customers.stream().filter(e -> e.state() == s).toList();
    }

    /** The entry of one customer, or null when it is not in the run. */
    public Entry entry(String customer) {
        return customers.stream().filter(e -> e.customer().equals(customer)).findFirst().orElse(null);
    }

    public List<String> neverStarted() {
        return customers.stream().filter(Entry::neverStarted).map(Entry::customer).toList();
    }

    public Map<CustomerState, Long> counts() {
        Map<CustomerState, Long> m = new java.util.EnumMap<>(CustomerState.class);
        for (CustomerState s : CustomerState.values()) {
            m.put(s, count(s));
        }
        return m;
    }

    /** {@link #EXIT_BUDGET} over {@link #EXIT_FAILED} over {@link #EXIT_INCOMPLETE} over {@link #EXIT_OK}. */
    public int exitCode() {
        if (budgetExceeded) {
            return EXIT_BUDGET;
        }
        if (count(CustomerState.FAILED) > 0) {
            return EXIT_FAILED;
        }
        return count(CustomerState.DONE) == customers.size() ? EXIT_OK : EXIT_INCOMPLETE;
    }
}
