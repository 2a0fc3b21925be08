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

    /**
     * What a command really needs when the connection is logged in as {@code loginUser}: no escalation when that
     * already is the become user (ansible-core 2.14 {@code ActionBase._low_level_execute_command} with
     * {@code become_allow_same_user} false, its default: as root, becoming root runs no sudo/su at all). An unknown
     * login user (null) changes nothing.
     */
    public Become forLogin(String loginUser) {
        return enabled && loginUser != null && loginUser.equals(user) ? NONE : this;
    }

    public static Become sudo(String user) {
        return new Become(true, "sudo", user, null);
    }
}
