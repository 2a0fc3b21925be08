package io.budgetctl.engine.ssh.agent;

import java.io.IOException;

/**
 * The ssh-agent could not be reached, did not answer in time, refused a request or sent a malformed reply. The
 * message names what happened, never key material.
 */
public final class AgentException extends IOException {
    AgentException(String message) {
        super(message);
    }

    AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
