package io.budgetctl.engine.connection;

import io.budgetctl.engine.api.Secret;

/**
 * Privilege escalation for one command: method {@code sudo} or {@code su}, the target user (default root) and an
 * optional password. {@link #NONE} runs as the login user.
 */
public record Become(boolean enabled, String method, String user, Secret password) {
    public static final Become NONE = new Become(false, "sudo", "root", null);

    public Become {
        method = method == null ? "sudo" : method;
        user = user == null ? "root" : user;
        if (!method.equals("sudo") && !method.equals("su")) {
            throw new IllegalArgumentException("unsupported become method: " + method + " (use sudo or su)");
        }
    }

    public static Become sudo(String user) {
        return new Become(true, "sudo", user, null);
    }
}
