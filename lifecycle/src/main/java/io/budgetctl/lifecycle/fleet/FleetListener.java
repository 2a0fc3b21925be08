package io.budgetctl.lifecycle.fleet;

/**
 * Receives each journal event after it is on disk, on the scheduler's coordinating thread (one at a time, in order):
 * output formats (plain lines, JSON events) are listeners.
 */
@FunctionalInterface
public interface FleetListener {
    void event(JournalEvent event);
}
