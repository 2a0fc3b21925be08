package io.budgetctl.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The portal as a remote sink of the controllers' audit logs ({@code POST /api/v1/audit}, docs/access.md "The audit
 * leaves the controller"): each line is kept as the controller wrote it, so someone who can edit a controller's file
 * cannot edit the portal's copy, and checked on arrival against the line before it from the same controller: its
 * {@code seq} must count on by one and its {@code prev} be the SHA-256 of that line, as {@code budgetctl audit verify}
 * checks the file. A line that does not fit is still stored (the record matters more than its neatness) with what is
 * wrong, and the answer says so; the same seq sent again with the same bytes is a repeat (no new row), with other
 * bytes a conflict (409): the portal never replaces what it has.
 */
final class ControllerAudit {
    private static final Logger LOG = LogManager.getLogger(ControllerAudit.class);
    /** A controller's name as it sends it: a host name. */
    static final Pattern CONTROLLER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    static final int MAX_LINE = 16000;

    private final Portal portal;

    ControllerAudit(Portal portal) {
        this.portal = portal;
    }

    /** Stores one audit line of {@code controller}; returns {@code {"seq", "chain", "stored"}}. */
    ObjectNode receive(String who, String controller, String line) {
        if (controller == null || !CONTROLLER.matcher(controller).matches()) {
            throw ApiException.badRequest("X-Budgetctl-Controller must name the controller (a host name)",
                    "budgetctl sends its host name; allowed: " + CONTROLLER.pattern());
        }
        String text = line == null ? "" : line.strip();
        if (text.isEmpty() || text.length() > MAX_LINE || text.contains("\n")) {
            throw ApiException.badRequest("the body must be one audit line (one JSON object, at most " + MAX_LINE
                    + " characters)", "POST the line exactly as it is in the controller's audit.log");
        }
        JsonNode doc;
        try {
            doc = Portal.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            doc = null;
        }
        if (doc == null || !doc.isObject()) {
            throw ApiException.badRequest("the body is not a JSON object", "POST one line of the audit log");
        }
        Long seq = doc.path("seq").canConvertToLong() ? doc.path("seq").asLong() : null;
        String prev = doc.path("prev").asText("");
        String sha = Tokens.hash(text);
        return portal.tx(c -> {
            ObjectNode out = Portal.JSON.createObjectNode();
            if (seq != null) {
                String have = stored(c, controller, seq);
                if (have != null) {
                    if (!have.equals(sha)) {
                        LOG.warn("controller audit: {} sent seq {} again with other content", controller, seq);
                        throw new ApiException(409, "the portal already has line " + seq + " of " + controller
                                + " with other content", "a controller's audit log was changed after it was sent;"
                                + " budgetctl audit verify on that controller names the line");
                    }
                    out.put("seq", seq).put("chain", "repeat").put("stored", false);
                    return out;
                }
            }
            String chain = chain(c, controller, seq, prev);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO controller_audit (controller, seq, line,"
                    + " line_sha256, chain, received_at, received_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, controller);
                if (seq == null) {
                    s.setNull(2, java.sql.Types.BIGINT);
                } else {
                    s.setLong(2, seq);
                }
                s.setString(3, text);
                s.setString(4, sha);
                s.setString(5, chain);
                s.setTimestamp(6, portal.now());
                s.setString(7, who);
                s.executeUpdate();
            }
            if (!chain.equals("ok") && !chain.equals("start")) {
                LOG.warn("controller audit: line {} of {} does not follow the one before it: {}", seq, controller,
                        chain);
            }
            out.put("chain", chain).put("stored", true);
            if (seq != null) {
                out.put("seq", seq);
            }
            return out;
        });
    }

    /** What the portal has of {@code controller} (or of every controller when null), oldest first, at most limit. */
    ObjectNode list(String controller, int limit) {
        if (controller != null && !CONTROLLER.matcher(controller).matches()) {
            throw ApiException.badRequest("controller is not a host name", "allowed: " + CONTROLLER.pattern());
        }
        return portal.tx(c -> {
            ObjectNode out = Portal.JSON.createObjectNode();
            ArrayNode lines = out.putArray("lines");
            String sql = "SELECT controller, seq, line, chain, received_at, received_by FROM controller_audit"
                    + (controller == null ? "" : " WHERE controller = ?") + " ORDER BY id";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (controller != null) {
                    s.setString(1, controller);
                }
                s.setMaxRows(Math.max(1, Math.min(limit, 10000)));
                ResultSet r = s.executeQuery();
                while (r.next()) {
                    ObjectNode l = lines.addObject();
                    l.put("controller", r.getString(1));
                    long seq = r.getLong(2);
                    if (!r.wasNull()) {
                        l.put("seq", seq);
                    }
                    l.put("chain", r.getString(4));
                    l.put("received_at", r.getTimestamp(5).toInstant().toString());
                    l.put("received_by", r.getString(6));
                    l.put("line", r.getString(3));
                }
            }
            return out;
        });
    }

    /** The SHA-256 of the stored line {@code seq} of {@code controller}, or null. */
    private static String stored(Connection c, String controller, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT line_sha256 FROM controller_audit WHERE controller = ? AND seq = ?")) {
            s.setString(1, controller);
            s.setLong(2, seq);
            ResultSet r = s.executeQuery();
            return r.next() ? r.getString(1) : null;
        }
    }

    /**
     * How a new line fits the last one the portal has of its controller: ok; start (the first); or what is wrong:
     * unchained (no seq/prev), gap (seq does not count on: lines were lost or removed), fork (prev is not that line's
     * hash: it or this one was changed).
     */
    private static String chain(Connection c, String controller, Long seq, String prev) throws SQLException {
        if (seq == null || !HEX64.matcher(prev).matches()) {
            return "unchained: the line has no seq and prev";
        }
        try (PreparedStatement s = c.prepareStatement("SELECT seq, line_sha256 FROM controller_audit"
                + " WHERE controller = ? AND seq IS NOT NULL ORDER BY seq DESC")) {
            s.setString(1, controller);
            s.setMaxRows(1);
            ResultSet r = s.executeQuery();
            if (!r.next()) {
                return "start";
            }
            long last = r.getLong(1);
            if (seq != last + 1) {
                return "gap: the portal's last line of " + controller + " is " + last + ", this is " + seq;
            }
            return prev.equals(r.getString(2)) ? "ok"
                    : "fork: prev is not the SHA-256 of line " + last + " as the portal has it";
        }
    }
}
