package io.budgetctl.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web UI's sign-in sessions, in memory (a restart signs everyone out). The browser holds a random token in an
 * HttpOnly, SameSite=Strict cookie; the portal keeps only its SHA-256. A session ends after 30 idle minutes, after
 * 12 hours in any case, and on sign-out. Each session has its own CSRF token for the forms.
 */
final class UiSessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 10_000;

    /** A live session: who, and the token every form of this session must send back. */
    record Session(String username, String csrf, Instant created, Instant lastSeen) {
    }

    private final Clock clock;
    private final Map<String, Session> byHash = new ConcurrentHashMap<>();

    UiSessions(Clock clock) {
        this.clock = clock;
    }

    /** Opens a session for {@code username}; returns the cookie value (shown to the browser only). */
    String open(String username) {
        purge();
        if (byHash.size() >= MAX_SESSIONS) {
            // the oldest sign-ins make room: a flood of sign-ins cannot grow memory without bound
            byHash.entrySet().stream().min((a, b) -> a.getValue().created().compareTo(b.getValue().created()))
                    .ifPresent(e -> byHash.remove(e.getKey()));
        }
        String token = Tokens.generate();
        Instant now = clock.instant();
        byHash.put(Tokens.hash(token), new Session(username, Tokens.generate(), now, now));
        return token;
    }

    /** The live session of cookie value {@code token}, refreshed; null when there is none or it has expired. */
    Session get(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return null;
        }
        String key = Tokens.hash(token);
        Session s = byHash.get(key);
        if (s == null) {
            return null;
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            byHash.remove(key);
            return null;
        }
        Session fresh = new Session(s.username(), s.csrf(), s.created(), now);
        byHash.put(key, fresh);
        return fresh;
    }

    void close(String token) {
        if (token != null && token.length() <= 200) {
            byHash.remove(Tokens.hash(token));
        }
    }

    private boolean expired(Session s, Instant now) {
        return now.isAfter(s.lastSeen().plus(IDLE)) || now.isAfter(s.created().plus(LIFETIME));
    }

    private void purge() {
        Instant now = clock.instant();
        for (Iterator<Session> it = byHash.values().iterator(); it.hasNext(); ) {
            if (expired(it.next(), now)) {
                it.remove();
            }
        }
    }
}
