package io.budgetctl.lifecycle.fleet;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;

/**
 * How many customers may fail before a rollout stops: {@code --max-failures N} (a count) or {@code N%} (of the
 * customers in the run, rounded down: 10% of 15 allows one failure). The budget is exceeded when the failures are
 * more than allowed; from then on no new customer starts, those running finish, and no later wave starts.
 * The default, 0, stops at the first failure.
 */
public record FailureBudget(int count, int percent) {
    public FailureBudget {
        if (count < 0 || percent < 0 || percent > 100 || count > 0 && percent > 0) {
            throw new IllegalArgumentException("a failure budget is either a count or a percentage");
        }
    }

    public static FailureBudget none() {
        return new FailureBudget(0, 0);
    }

    /** @throws EngineException when the text is not {@code N} or {@code N%} */
    public static FailureBudget parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.matches("[0-9]{1,6}")) {
            return new FailureBudget(Integer.parseInt(t), 0);
        }
        if (t.matches("[0-9]{1,3}%") && Integer.parseInt(t.substring(0, t.length() - 1)) <= 100) {
            return new FailureBudget(0, Integer.parseInt(t.substring(0, t.length() - 1)));
        }
        throw new EngineException(SourceLocation.of("--max-failures"), "'" + text + "' is not a count or a percentage",
                "e.g. --max-failures 2 (two customers may fail) or --max-failures 10%");
    }

    /** How many of {@code total} customers may fail. */
    public int allowed(int total) {
        return percent > 0 ? percent * total / 100 : count;
    }

    public boolean exceeded(int failures, int total) {
        return failures > allowed(total);
    }

    @Override
    public String toString() {
        return percent > 0 ? percent + "%" : String.valueOf(count);
    }
}
