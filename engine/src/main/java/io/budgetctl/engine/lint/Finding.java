package io.budgetctl.engine.lint;

import io.budgetctl.engine.api.SourceLocation;

/** One lint result: which rule, where (file:line:column) and what to change. */
public record Finding(String ruleId, SourceLocation location, String message) {
    @Override
    public String toString() {
        return location + ": [" + ruleId + "] " + message;
    }
}
