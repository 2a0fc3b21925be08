package io.budgetctl.engine.ssh;

import java.util.Locale;

/** OpenSSH's StrictHostKeyChecking, as budgetctl applies it. */
enum HostKeyPolicy {
    /** Unknown or changed keys stop the host (the default; OpenSSH's {@code yes} and {@code ask}). */
    STRICT,
    /** Unknown keys are recorded on first sight; changed keys still stop the host. */
    ACCEPT_NEW,
    /** Any key is accepted, with a warning. Only when explicitly configured. */
    OFF;

    static HostKeyPolicy parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "yes", "ask", "true" -> STRICT;
            case "accept-new" -> ACCEPT_NEW;
            case "no", "off", "false" -> OFF;
            default -> throw new IllegalArgumentException("StrictHostKeyChecking '" + value
                    + "' is not one of yes, accept-new, no");
        };
    }
}
