package io.budgetctl.lifecycle.repo;

import java.io.IOException;
import java.time.Instant;

/**
 * Somewhere a copy of every controller audit line goes once it is in the file (a syslog collector, the licence
 * portal), so that the record leaves the machine where it was written. A copy that cannot be delivered stops the
 * command ({@link Audit}): budgetctl does not act with a record that was meant to leave and did not.
 */
interface AuditCopy {
    /** Delivers one line (its JSON text, no newline); throws when it was not accepted. */
    void send(String line, Instant time) throws IOException;

    /** What it is, for messages: "the syslog collector at tls://h:6514". Never a credential. */
    String describe();

    /** The environment variable that configures it, for messages. */
    String setting();
}
