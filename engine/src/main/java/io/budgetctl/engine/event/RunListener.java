package io.budgetctl.engine.event;

import java.util.Map;

/**
 * Receives what a run does, in order. Output formats (human console, JSON lines, JUnit XML, audit) are listeners,
 * never branches inside the executor. Calls come from the executor's coordinating thread, one at a time, so a
 * listener needs no locking. Data in events has already been masked (secrets, no_log).
 */
public interface RunListener {
    default void playbookStart(String file) {
    }

    default void playStart(PlayEvent play) {
    }

    default void taskStart(TaskEvent task) {
    }

    /** One result per host per task; for loops, one per item ({@code item != null}) then the aggregate. */
    default void hostResult(HostResultEvent result) {
    }

    /** A warning of the run itself (ansible-playbook's controller prints each text once per run). */
    default void warning(String message) {
    }

    /**
     * A warning a task raised while it ran on {@code host} (a condition written with {{ }}), before that host's
     * results. ansible-playbook prints these from its worker, one per task and host: a text again for the next task or
     * host, but not one the run has already printed as its own {@link #warning} (the worker starts with those).
     * Unless a listener tells them apart, it is a {@link #warning}.
     */
    default void hostWarning(String host, String message) {
        warning(message);
    }

    /** PLAY RECAP: host -> counts, in inventory order. */
    default void recap(Map<String, HostStats> stats) {
    }

    default void playbookEnd(int exitCode) {
    }

    /**
     * One line of --list-hosts / --list-tasks / --syntax-check output, already formatted like ansible-playbook's
     * (including its leading spaces). Only list modes call this.
     */
    default void listing(String line) {
    }
}
