package io.budgetctl.portal;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.budgetctl.security.LoginThrottle;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The web UI's accounts: the vendor's team signs in with a user name and password (bcrypt hashes in
 * {@code ui_users}); each account is a {@code viewer} or a {@code licence-admin}. Accounts are set through the API
 * ({@code PUT /api/v1/users/{name}}), never by the UI itself. Ten wrong passwords for one account within a minute
 * lock that account's sign-in for the rest of the minute (in memory, budgetctl-security's {@link LoginThrottle}, the
 * registry token server's too), so a password cannot be guessed at bcrypt's speed; a right password resets the count.
 */
final class UiAccounts {
    static final List<String> ROLES = List.of("viewer", "licence-admin");
    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    static final int MIN_PASSWORD = 12;
    static final int MAX_FAILURES = 10;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);
    private static final int COST = 10;

    /** A signed-in user. */
    record Account(String username, String role) {
        boolean canEditLicences() {
            return "licence-admin".equals(role);
        }
    }

    /** Why a sign-in failed: wrong name or password (one message for both), or too many failures. */
    static final class LoginRefused extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean throttled;

        LoginRefused(String message, boolean throttled) {
            super(message);
            this.throttled = throttled;
        }
    }

    private final Portal portal;
    /** Wrong passwords per user name. */
    private final LoginThrottle throttle;
    /** Checked when the user does not exist, so an unknown name costs as much time as a wrong password. */
    private final String dummyHash;

    UiAccounts(Portal portal, Clock clock) {
        this.portal = portal;
        this.throttle = new LoginThrottle(MAX_FAILURES, FAILURE_WINDOW, clock);
        this.dummyHash = new String(BCrypt.withDefaults().hash(COST, Tokens.generate().getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    /** Creates or changes account {@code name}: {@code {"role": "viewer", "password": "..."}}; audited without it. */
    ObjectNode put(String actor, String name, JsonNode body) {
        Portal.checkId(USERNAME, "user name", name);
        JsonNode role = body.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
            throw ApiException.badRequest("'role' must be one of " + ROLES, "viewer reads; licence-admin also edits licences");
        }
        JsonNode pw = body.get("password");
        if (pw == null || !pw.isTextual() || pw.asText().length() < MIN_PASSWORD || pw.asText().length() > 72) {
            throw ApiException.badRequest("'password' must be a string of " + MIN_PASSWORD + " to 72 characters",
                    "e.g. head -c 18 /dev/urandom | base64");
        }
        String hash = BCrypt.withDefaults().hashToString(COST, pw.asText().toCharArray());
        return portal.tx(c -> {
            boolean exists;
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE ui_users SET password_hash = ?, role = ?, disabled_at = NULL WHERE username = ?")) {
                s.setString(1, hash);
                s.setString(2, role.asText());
                s.setString(3, name);
                exists = s.executeUpdate() == 1;
            }
            if (!exists) {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO ui_users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
                    s.setString(1, name);
                    s.setString(2, hash);
                    s.setString(3, role.asText());
                    s.setTimestamp(4, portal.now());
                    s.executeUpdate();
                }
            }
            portal.audit(c, actor, exists ? "user_changed" : "user_created", name,
                    Portal.JSON.createObjectNode().put("role", role.asText()));
            return Portal.JSON.createObjectNode().put("username", name).put("role", role.asText())
                    .put("created", !exists);
        });
    }

    /** Disables account {@code name}: it can no longer sign in (its open sessions end with the server's check). */
    void disable(String actor, String name) {
        Portal.checkId(USERNAME, "user name", name);
        portal.tx(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE ui_users SET disabled_at = ? WHERE username = ? AND disabled_at IS NULL")) {
                s.setTimestamp(1, portal.now());
                s.setString(2, name);
                if (s.executeUpdate() == 0) {
                    throw ApiException.notFound("no active user '" + name + "'", "PUT /api/v1/users/" + name
                            + " creates it");
                }
            }
            portal.audit(c, actor, "user_disabled", name, Portal.JSON.createObjectNode());
            return null;
        });
    }

    /** The account if it exists and is not disabled, else null. */
    Account find(String name) {
        if (name == null || !USERNAME.matcher(name).matches()) {
            return null;
        }
        String[] row = row(name);
        return row == null ? null : new Account(name, row[1]);
    }

    /** Checks a sign-in; every refusal is audited with the caller's address (never the password). */
    Account login(String name, String password, String remote) throws LoginRefused {
        String typed = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        // whatever was typed that cannot be a user name is counted under one key, so memory stays bounded
        String user = USERNAME.matcher(typed).matches() ? typed : "?";
        if (throttle.retryAfterSeconds(user) > 0) {
            refusal(user, "too many wrong passwords", remote);
            throw new LoginRefused("too many failed sign-ins for this account; wait a minute", true);
        }
        String[] row = user.equals("?") ? null : row(user);
        char[] pw = password == null ? new char[0] : password.toCharArray();
        boolean ok = BCrypt.verifyer().verify(pw, (row == null ? dummyHash : row[0]).toCharArray()).verified;
        if (!ok || row == null) {
            throttle.failed(user);
            refusal(user, row == null ? "unknown or disabled user" : "wrong password", remote);
            throw new LoginRefused("wrong user name or password", false);
        }
        throttle.succeeded(user);
        portal.tx(c -> {
            portal.audit(c, "ui:" + user, "ui_login", user, Portal.JSON.createObjectNode().put("remote", remote));
            return null;
        });
        return new Account(user, row[1]);
    }

    private void refusal(String user, String why, String remote) {
        portal.tx(c -> {
            portal.audit(c, "ui:" + user, "ui_login_refused", user,
                    Portal.JSON.createObjectNode().put("reason", why).put("remote", remote));
            return null;
        });
    }

    /** {password hash, role} of an active account, or null. */
    private String[] row(String name) {
        return portal.tx(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT password_hash, role FROM ui_users WHERE username = ? AND disabled_at IS NULL")) {
                s.setString(1, name);
                ResultSet r = s.executeQuery();
                return r.next() ? new String[] {r.getString(1), r.getString(2)} : null;
            }
        });
    }
}
