package io.budgetctl.lifecycle.fleet;

import java.util.Locale;

/**
 * A customer's state in a fleet run, as the journal records it: {@code queued -> running -> done | failed}, or
 * {@code skipped} (outside its window, locked by another controller, never started because the failure budget was
 * exceeded), or {@code interrupted} (a {@code resume} found it {@code running} with no end: the controller died
 * mid-deploy).
 */
public enum CustomerState {
    QUEUED, RUNNING, DONE, FAILED, SKIPPED, INTERRUPTED;

    /** Done and failed are final: a resume never runs those customers again. */
    public boolean finished() {
        return this == DONE || this == FAILED;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CustomerState of(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
