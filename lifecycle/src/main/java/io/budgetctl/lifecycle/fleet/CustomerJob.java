package io.budgetctl.lifecycle.fleet;

/**
 * What a fleet run does to one customer: in {@code budgetctl fleet apply} the single-customer deploy. Called on a
 * worker thread, at most once at a time per customer and per server. It reports the customer's failure as a failed
 * {@link Outcome} with a one-line reason; an exception is treated the same way, with the exception's message.
 */
@FunctionalInterface
public interface CustomerJob {
    Outcome run(FleetCustomer customer) throws Exception;

    /**
     * How one customer's job ended.
     *
     * @param ok     the customer reached the desired state
     * @param reason one line: why it failed (or a short note when it did not)
     * @param log    where the job's full output is, or null
     */
    record Outcome(boolean ok, String reason, String log) {
        public static Outcome ok(String log) {
            return new Outcome(true, null, log);
        }

        public static Outcome failed(String reason, String log) {
            return new Outcome(false, reason, log);
        }
    }
}
