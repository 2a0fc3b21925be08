package io.budgetctl.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What the portal does, without HTTP: licences (signed on every change, with their history), enrolment of
 * instances and their tokens, heartbeats, the fleet view. Every method takes already-authenticated callers; the
 * server decides who may call what. All times come from {@link #clock}.
 */
final class Portal {
    /** IT Budget Manager's licensable modules: schemas/client.schema.json $defs/knownModules (a test keeps them equal). */
    static final List<String> KNOWN_MODULES = List.of("forecasting", "reporting", "approvals", "audit",
            "integrations-1c", "sso", "multi-currency", "api");
    static final List<String> KNOWN_LIMITS = List.of("users", "cost_centres");
    static final List<String> HEALTH = List.of("ok", "degraded", "failing");
    static final Pattern CUSTOMER_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern LICENCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern SHORT_TEXT = Pattern.compile("[A-Za-z0-9._+:-]{1,64}");
    private static final Logger LOG = LogManager.getLogger(Portal.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final SigningKeys.Loaded key;
    private final Clock clock;
    private final Duration heartbeatInterval;

    Portal(Database db, SigningKeys.Loaded key, Clock clock, Duration heartbeatInterval) {
        this.db = db;
        this.key = key;
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        tx(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM signing_keys WHERE key_id = ?")) {
                s.setString(1, key.keyId());
                if (!s.executeQuery().next()) {
                    try (PreparedStatement i = c.prepareStatement(
                            "INSERT INTO signing_keys (key_id, public_key, first_used) VALUES (?, ?, ?)")) {
                        i.setString(1, key.keyId());
                        i.setString(2, key.publicBase64());
                        i.setTimestamp(3, now());
                        i.executeUpdate();
                    }
                    audit(c, "portal", "key_added", key.keyId(), JSON.createObjectNode().put("key_id", key.keyId()));
                    LOG.info("signing key {} added to the key list", key.keyId());
                }
            }
            return null;
        });
    }

    String currentKeyId() {
        return key.keyId();
    }

    Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    // ---- customers and licences -------------------------------------------------------------------------------

    ObjectNode putCustomer(String actor, String id, JsonNode body) {
        checkId(CUSTOMER_ID, "customer id", id);
        String name = customerName(body);
        return tx(c -> writeCustomer(c, actor, id, name));
    }

    private static String customerName(JsonNode body) {
        String name = text(body, "name", true);
        if (name.length() > 200) {
            throw ApiException.badRequest("'name' is longer than 200 characters", "shorten it");
        }
        return name;
    }

    private ObjectNode writeCustomer(Connection c, String actor, String id, String name)
            throws SQLException, JsonProcessingException {
        boolean exists;
        try (PreparedStatement s = c.prepareStatement("UPDATE customers SET name = ? WHERE id = ?")) {
            s.setString(1, name);
            s.setString(2, id);
            exists = s.executeUpdate() == 1;
        }
        if (!exists) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO customers (id, name, created_at) VALUES (?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, name);
                s.setTimestamp(3, now());
                s.executeUpdate();
            }
        }
        audit(c, actor, exists ? "customer_updated" : "customer_created", id,
                JSON.createObjectNode().put("name", name));
        return JSON.createObjectNode().put("id", id).put("name", name).put("created", !exists);
    }

    /**
     * A new customer and its first licence in one transaction: both are written or neither (a refused licence
     * leaves no customer behind). Refused when the customer or the licence id exists already.
     */
    ObjectNode enrol(String actor, String customer, JsonNode customerBody, String licenceId, JsonNode licenceBody) {
        checkId(CUSTOMER_ID, "customer id", customer);
        String name = customerName(customerBody);
        checkId(LICENCE_ID, "licence id", licenceId);
        LicenceTerms terms = LicenceTerms.of(licenceBody, LocalDate.now(clock));
        return tx(c -> {
            if (exists(c, "SELECT 1 FROM customers WHERE id = ?", customer)) {
                throw new ApiException(409, "customer '" + customer + "' is enrolled already",
                        "open its page to change its licence");
            }
            if (licenceRow(c, licenceId) != null) {
                throw new ApiException(409, "licence id " + licenceId + " is in use", "choose another licence id");
            }
            writeCustomer(c, actor, customer, name);
            return writeLicence(c, actor, licenceId, customer, terms);
        });
    }

    /** Modules, limits and validity of a licence request, checked. */
    private record LicenceTerms(List<String> modules, ObjectNode limits, LocalDate validFrom, LocalDate expires) {
        static LicenceTerms of(JsonNode body, LocalDate today) {
            List<String> modules = Portal.modules(body.get("modules"));
            ObjectNode limits = Portal.limits(body.get("limits"));
            LocalDate expires = date(body, "expires", null);
            LocalDate validFrom = date(body, "valid_from", today);
            if (expires.isBefore(validFrom)) {
                throw ApiException.badRequest("'expires' " + expires + " is before 'valid_from' " + validFrom,
                        "a licence is valid from its first to its last day, both included");
            }
            return new LicenceTerms(modules, limits, validFrom, expires);
        }
    }

    /** Creates or changes licence {@code id} and signs it with the current key; the change goes to its history. */
    ObjectNode putLicence(String actor, String id, JsonNode body) {
        checkId(LICENCE_ID, "licence id", id);
        String customer = text(body, "customer", true);
        checkId(CUSTOMER_ID, "customer", customer);
        LicenceTerms terms = LicenceTerms.of(body, LocalDate.now(clock));
        return tx(c -> {
            if (!exists(c, "SELECT 1 FROM customers WHERE id = ?", customer)) {
                throw ApiException.notFound("no customer '" + customer + "'",
                        "enrol it first: PUT /api/v1/customers/" + customer);
            }
            return writeLicence(c, actor, id, customer, terms);
        });
    }

    private ObjectNode writeLicence(Connection c, String actor, String id, String customer, LicenceTerms t)
            throws SQLException, JsonProcessingException {
        ObjectNode before = licenceRow(c, id);
        if (before != null && !before.get("customer").asText().equals(customer)) {
            throw new ApiException(409, "licence " + id + " belongs to customer '"
                    + before.get("customer").asText() + "'", "issue a new licence id for another customer");
        }
        int revision = before == null ? 1 : before.get("revision").asInt() + 1;
        String file = sign(id, customer, t.modules(), t.limits(), t.validFrom(), t.expires(), revision);
        String sql = before == null
                ? "INSERT INTO licences (customer_id, modules, limits, valid_from, expires, revision, key_id,"
                  + " signed_file, updated_at, updated_by, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE licences SET customer_id = ?, modules = ?, limits = ?, valid_from = ?, expires = ?,"
                  + " revision = ?, key_id = ?, signed_file = ?, updated_at = ?, updated_by = ? WHERE id = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, customer);
            s.setString(2, JSON.writeValueAsString(t.modules()));
            s.setString(3, JSON.writeValueAsString(t.limits()));
            s.setDate(4, Date.valueOf(t.validFrom()));
            s.setDate(5, Date.valueOf(t.expires()));
            s.setInt(6, revision);
            s.setString(7, key.keyId());
            s.setString(8, file);
            s.setTimestamp(9, now());
            s.setString(10, actor);
            s.setString(11, id);
            s.executeUpdate();
        }
        ObjectNode after = licenceRow(c, id);
        audit(c, actor, before == null ? "licence_created" : "licence_changed", id, change(before, after));
        return after;
    }

    /** Signs licence {@code id} again, unchanged, with the current key (after a rotation). */
    ObjectNode resign(String actor, String id) {
        return tx(c -> {
            ObjectNode before = licenceRow(c, id);
            if (before == null) {
                throw ApiException.notFound("no licence '" + id + "'", "list them with GET /api/v1/fleet");
            }
            JsonNode body = before.deepCopy();
            ObjectNode after = null;
            int revision = before.get("revision").asInt() + 1;
            String file = sign(id, before.get("customer").asText(), JSON.convertValue(body.get("modules"),
                            JSON.getTypeFactory().constructCollectionType(List.class, String.class)),
                    (ObjectNode) body.get("limits"), LocalDate.parse(body.get("valid_from").asText()),
                    LocalDate.parse(body.get("expires").asText()), revision);
            try (PreparedStatement s = c.prepareStatement("UPDATE licences SET revision = ?, key_id = ?,"
                    + " signed_file = ?, updated_at = ?, updated_by = ? WHERE id = ?")) {
                s.setInt(1, revision);
                s.setString(2, key.keyId());
                s.setString(3, file);
                s.setTimestamp(4, now());
                s.setString(5, actor);
                s.setString(6, id);
                s.executeUpdate();
            }
            after = licenceRow(c, id);
            audit(c, actor, "licence_resigned", id, change(before, after));
            return after;
        });
    }

    ObjectNode licence(String id) {
        ObjectNode l = tx(c -> licenceRow(c, id));
        if (l == null) {
            throw ApiException.notFound("no licence '" + id + "'", "check the id in the client file's 'licence'");
        }
        return l;
    }

    /** The signed licence file of {@code customer}'s most recently changed licence. */
    String customerLicenceFile(String customer) {
        checkId(CUSTOMER_ID, "customer id", customer);
        return tx(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT signed_file FROM licences WHERE customer_id = ?"
                    + " ORDER BY updated_at DESC, id")) {
                s.setString(1, customer);
                ResultSet r = s.executeQuery();
                if (!r.next()) {
                    throw ApiException.notFound("customer '" + customer + "' has no licence",
                            "issue one: PUT /api/v1/licences/{id} with \"customer\": \"" + customer + "\"");
                }
                return r.getString(1);
            }
        });
    }

    ArrayNode history(String id) {
        licence(id);
        return tx(c -> {
            ArrayNode out = JSON.createArrayNode();
            try (PreparedStatement s = c.prepareStatement("SELECT at, actor, action, detail FROM audit_events"
                    + " WHERE subject = ? ORDER BY id")) {
                s.setString(1, id);
                ResultSet r = s.executeQuery();
                while (r.next()) {
                    out.addObject().put("at", r.getTimestamp(1).toInstant().toString()).put("actor", r.getString(2))
                            .put("action", r.getString(3)).set("change", JSON.readTree(r.getString(4)));
                }
            }
            return out;
        });
    }

    ArrayNode keys() {
        return tx(c -> {
            ArrayNode out = JSON.createArrayNode();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT key_id, public_key, first_used FROM signing_keys ORDER BY first_used, key_id")) {
                ResultSet r = s.executeQuery();
                while (r.next()) {
                    out.addObject().put("key_id", r.getString(1)).put("public_key", r.getString(2))
                            .put("first_used", r.getTimestamp(3).toInstant().toString())
                            .put("current", r.getString(1).equals(key.keyId()));
                }
            }
            return out;
        });
    }

    // ---- instances and heartbeats -----------------------------------------------------------------------------

    /** Enrols an instance of {@code customer} on {@code licence}; the returned token is shown this once. */
    ObjectNode enrol(String actor, String customer, JsonNode body) {
        checkId(CUSTOMER_ID, "customer id", customer);
        String instance = text(body, "instance_id", true);
        checkId(CUSTOMER_ID, "instance_id", instance);
        String licence = text(body, "licence", true);
        checkId(LICENCE_ID, "licence", licence);
        String token = Tokens.generate();
        return tx(c -> {
            ObjectNode l = licenceRow(c, licence);
            if (l == null || !l.get("customer").asText().equals(customer)) {
                throw ApiException.notFound("customer '" + customer + "' has no licence '" + licence + "'",
                        "issue the licence first, or use the customer's own licence id");
            }
            if (exists(c, "SELECT 1 FROM instances WHERE id = ?", instance)) {
                throw new ApiException(409, "instance '" + instance + "' is already enrolled",
                        "revoke it first (DELETE /api/v1/instances/" + instance + ") to issue a new token");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO instances (id, customer_id, licence_id,"
                    + " token_hash, enrolled_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, instance);
                s.setString(2, customer);
                s.setString(3, licence);
                s.setString(4, Tokens.hash(token));
                s.setTimestamp(5, now());
                s.executeUpdate();
            }
            audit(c, actor, "instance_enrolled", instance,
                    JSON.createObjectNode().put("customer", customer).put("licence", licence));
            return JSON.createObjectNode().put("instance_id", instance).put("customer", customer)
                    .put("licence", licence).put("token", token);
        });
    }

    void revoke(String actor, String instance) {
        checkId(CUSTOMER_ID, "instance id", instance);
        tx(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE instances SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                s.setTimestamp(1, now());
                s.setString(2, instance);
                if (s.executeUpdate() == 0) {
                    throw ApiException.notFound("no enrolled instance '" + instance + "' (or already revoked)",
                            "GET /api/v1/fleet lists the customers and their instances");
                }
            }
            audit(c, actor, "instance_revoked", instance, JSON.createObjectNode());
            return null;
        });
    }

    /**
     * Records a heartbeat after checking {@code token} against the instance's; a wrong, revoked or missing token is
     * 401, a heartbeat naming another licence than the instance's is 403. Both are logged and audited (never the
     * token).
     */
    void heartbeat(String token, JsonNode body, String remote) {
        String instance = text(body, "instance_id", true);
        checkId(CUSTOMER_ID, "instance_id", instance);
        String licence = text(body, "licence", true);
        checkId(LICENCE_ID, "licence", licence);
        String version = shortText(body, "version");
        String gitSha = shortText(body, "git_sha");
        String schema = shortText(body, "schema");
        JsonNode up = body.get("uptime_seconds");
        if (up == null || !up.canConvertToLong() || up.asLong() < 0 || !up.isIntegralNumber()) {
            throw ApiException.badRequest("'uptime_seconds' must be a whole number >= 0", "seconds since start");
        }
        List<String> modules = modules(body.get("active_modules"));
        String health = text(body, "health", true);
        if (!HEALTH.contains(health)) {
            throw ApiException.badRequest("'health' must be one of " + HEALTH + ", got '" + health + "'", null);
        }
        tx(c -> {
            String customer;
            try (PreparedStatement s = c.prepareStatement("SELECT customer_id, licence_id, token_hash, revoked_at"
                    + " FROM instances WHERE id = ?")) {
                s.setString(1, instance);
                ResultSet r = s.executeQuery();
                if (!r.next()) {
                    LOG.warn("heartbeat refused: unknown instance '{}' from {}", instance, remote);
                    throw new ApiException(401, "unknown instance or wrong token", "enrol the instance first");
                }
                customer = r.getString(1);
                if (r.getTimestamp(4) != null || !Tokens.matches(token, r.getString(3))) {
                    String why = r.getTimestamp(4) != null ? "revoked token" : token == null ? "no token" : "wrong token";
                    LOG.warn("heartbeat refused: {} for instance '{}' from {}", why, instance, remote);
                    refused(instance, why, remote);
                    throw new ApiException(401, "unknown instance or wrong token",
                            "send the instance's own token as 'Authorization: Bearer ...'");
                }
                if (!r.getString(2).equals(licence)) {
                    LOG.warn("heartbeat refused: instance '{}' named licence '{}' (enrolled on '{}') from {}",
                            instance, licence, r.getString(2), remote);
                    refused(instance, "licence " + licence + " is not the instance's", remote);
                    throw new ApiException(403, "instance '" + instance + "' is not enrolled on licence " + licence,
                            "each instance reports for its own licence only");
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO heartbeats (instance_id, customer_id,"
                    + " licence_id, received_at, version, git_sha, schema_version, uptime_seconds, modules, health)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, instance);
                s.setString(2, customer);
                s.setString(3, licence);
                s.setTimestamp(4, now());
                s.setString(5, version);
                s.setString(6, gitSha);
                s.setString(7, schema);
                s.setLong(8, up.asLong());
                s.setString(9, JSON.writeValueAsString(modules));
                s.setString(10, health);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Recorded in its own transaction: the refused request's transaction is rolled back. */
    private void refused(String instance, String why, String remote) {
        tx(c -> {
            audit(c, "instance:" + instance, "heartbeat_refused", instance,
                    JSON.createObjectNode().put("reason", why).put("remote", remote));
            return null;
        });
    }

    /** Per customer: licence, licensed modules, the last heartbeat and whether it is stale (two intervals). */
    ObjectNode fleet() {
        Instant now = clock.instant();
        return tx(c -> {
            ObjectNode out = JSON.createObjectNode();
            out.put("generated_at", now.toString()).put("heartbeat_interval_seconds", heartbeatInterval.toSeconds());
            ArrayNode customers = out.putArray("customers");
            try (PreparedStatement s = c.prepareStatement("SELECT id, name FROM customers ORDER BY id")) {
                ResultSet r = s.executeQuery();
                while (r.next()) {
                    ObjectNode cu = customers.addObject().put("customer", r.getString(1)).put("name", r.getString(2));
                    fleetRow(c, cu, r.getString(1), now);
                }
            }
            return out;
        });
    }

    private void fleetRow(Connection c, ObjectNode cu, String id, Instant now) throws SQLException,
            JsonProcessingException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, modules, limits, expires FROM licences"
                + " WHERE customer_id = ? ORDER BY updated_at DESC, id")) {
            s.setString(1, id);
            ResultSet r = s.executeQuery();
            if (r.next()) {
                cu.put("licence", r.getString(1)).put("expires", r.getDate(4).toLocalDate().toString());
                cu.set("licensed_modules", JSON.readTree(r.getString(2)));
                cu.set("limits", JSON.readTree(r.getString(3)));
            } else {
                cu.putNull("licence");
            }
        }
        ArrayNode instances = cu.putArray("instances");
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, licence_id, revoked_at FROM instances WHERE customer_id = ? ORDER BY id")) {
            s.setString(1, id);
            ResultSet r = s.executeQuery();
            while (r.next()) {
                instances.addObject().put("instance_id", r.getString(1)).put("licence", r.getString(2))
                        .put("revoked", r.getTimestamp(3) != null);
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT instance_id, received_at, version, git_sha,"
                + " schema_version, uptime_seconds, modules, health FROM heartbeats WHERE customer_id = ?"
                + " ORDER BY id DESC")) {
            s.setString(1, id);
            s.setMaxRows(1);
            ResultSet r = s.executeQuery();
            ObjectNode hb = null;
            if (r.next()) {
                Instant at = r.getTimestamp(2).toInstant();
                hb = cu.putObject("last_heartbeat");
                hb.put("instance_id", r.getString(1)).put("received_at", at.toString()).put("version", r.getString(3))
                        .put("git_sha", r.getString(4)).put("schema", r.getString(5))
                        .put("uptime_seconds", r.getLong(6)).put("health", r.getString(8));
                hb.set("active_modules", JSON.readTree(r.getString(7)));
                long age = Duration.between(at, now).toSeconds();
                cu.put("age_seconds", age);
                cu.put("stale", Duration.between(at, now).compareTo(heartbeatInterval.multipliedBy(2)) > 0);
            } else {
                cu.putNull("last_heartbeat");
                cu.put("stale", true);
            }
            drift(c, cu, id, hb);
        }
    }

    /**
     * Compares the last heartbeat with the deployments repository's desired state: {@code drift} lists what differs
     * (empty when nothing does), null when the repository's state for the customer is unknown or nothing reported.
     */
    private static void drift(Connection c, ObjectNode cu, String id, ObjectNode hb) throws SQLException,
            JsonProcessingException {
        try (PreparedStatement s = c.prepareStatement("SELECT version, modules FROM desired_state"
                + " WHERE customer_id = ?")) {
            s.setString(1, id);
            ResultSet r = s.executeQuery();
            if (!r.next()) {
                cu.putNull("desired_version");
                cu.putNull("drift");
                return;
            }
            cu.put("desired_version", r.getString(1));
            JsonNode desiredModules = JSON.readTree(r.getString(2));
            cu.set("desired_modules", desiredModules);
            if (hb == null) {
                cu.putNull("drift");
                return;
            }
            ArrayNode why = cu.putArray("drift");
            if (!hb.get("version").asText().equals(r.getString(1))) {
                why.add("runs " + hb.get("version").asText() + ", the repository wants " + r.getString(1));
            }
            if (!hb.get("active_modules").equals(desiredModules)) {
                why.add("active modules " + hb.get("active_modules") + ", the repository wants " + desiredModules);
            }
        }
    }

    /**
     * Replaces the desired state with the repository's snapshot: {@code {"customers": [{"customer": "acme",
     * "version": "v1.4.0", "modules": [...]}]}}. Customers the portal does not know are kept too (they may be
     * enrolled later).
     */
    ObjectNode putDesiredState(String actor, JsonNode body) {
        JsonNode list = body.get("customers");
        if (list == null || !list.isArray()) {
            throw ApiException.badRequest("'customers' must be a list",
                    "{\"customers\": [{\"customer\": \"acme\", \"version\": \"v1.4.0\", \"modules\": [...]}]}");
        }
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        for (JsonNode e : list) {
            if (!e.isObject()) {
                throw ApiException.badRequest("every entry of 'customers' must be an object", null);
            }
            String customer = text(e, "customer", true);
            checkId(CUSTOMER_ID, "customer", customer);
            String version = shortText(e, "version");
            List<String> modules = modules(e.get("modules"));
            if (rows.put(customer, JSON.createObjectNode().put("version", version)
                    .set("modules", JSON.valueToTree(modules))) != null) {
                throw ApiException.badRequest("customer '" + customer + "' is listed twice", null);
            }
        }
        return tx(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM desired_state")) {
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO desired_state (customer_id, version, modules,"
                    + " updated_at, updated_by) VALUES (?, ?, ?, ?, ?)")) {
                for (Map.Entry<String, JsonNode> e : rows.entrySet()) {
                    s.setString(1, e.getKey());
                    s.setString(2, e.getValue().get("version").asText());
                    s.setString(3, JSON.writeValueAsString(e.getValue().get("modules")));
                    s.setTimestamp(4, now());
                    s.setString(5, actor);
                    s.addBatch();
                }
                s.executeBatch();
            }
            audit(c, actor, "desired_state_set", "desired-state",
                    JSON.createObjectNode().put("customers", rows.size()));
            return JSON.createObjectNode().put("customers", rows.size());
        });
    }

    /** One customer: its licences, instances and the last {@code limit} heartbeats, newest first. */
    ObjectNode customer(String id, int limit) {
        checkId(CUSTOMER_ID, "customer id", id);
        return tx(c -> {
            ObjectNode out = JSON.createObjectNode();
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM customers WHERE id = ?")) {
                s.setString(1, id);
                ResultSet r = s.executeQuery();
                if (!r.next()) {
                    throw ApiException.notFound("no customer '" + id + "'", "the fleet page lists them");
                }
                out.put("customer", id).put("name", r.getString(1));
                // the customer's fleet row, as fleet() has it, without computing every other customer's
                ObjectNode row = out.putObject("fleet_row").put("customer", id).put("name", r.getString(1));
                fleetRow(c, row, id, clock.instant());
            }
            ArrayNode licences = out.putArray("licences");
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM licences WHERE customer_id = ?"
                    + " ORDER BY updated_at DESC, id")) {
                s.setString(1, id);
                ResultSet r = s.executeQuery();
                while (r.next()) {
                    ObjectNode l = licenceRow(c, r.getString(1));
                    l.remove("file");
                    licences.add(l);
                }
            }
            ArrayNode beats = out.putArray("heartbeats");
            try (PreparedStatement s = c.prepareStatement("SELECT instance_id, received_at, version, git_sha,"
                    + " schema_version, uptime_seconds, modules, health FROM heartbeats WHERE customer_id = ?"
                    + " ORDER BY id DESC")) {
                s.setString(1, id);
                s.setMaxRows(limit);
                ResultSet r = s.executeQuery();
                while (r.next()) {
                    ObjectNode hb = beats.addObject();
                    hb.put("instance_id", r.getString(1)).put("received_at", r.getTimestamp(2).toInstant().toString())
                            .put("version", r.getString(3)).put("git_sha", r.getString(4))
                            .put("schema", r.getString(5)).put("uptime_seconds", r.getLong(6))
                            .put("health", r.getString(8));
                    hb.set("active_modules", JSON.readTree(r.getString(7)));
                }
            }
            return out;
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private String sign(String id, String customer, List<String> modules, ObjectNode limits, LocalDate validFrom,
                        LocalDate expires, int revision) throws JsonProcessingException {
        // the app (io.budgetctl.itbm.Licence) reads customer, expires and modules and ignores the rest
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customer", customer);
        body.put("expires", expires.toString());
        body.put("modules", modules);
        body.put("licence", id);
        body.put("valid_from", validFrom.toString());
        body.put("limits", limits);
        body.put("revision", revision);
        body.put("issued_at", clock.instant().toString());
        body.put("key_id", key.keyId());
        byte[] payload = JSON.writeValueAsBytes(body);
        Map<String, String> file = new LinkedHashMap<>();
        file.put("payload", Base64.getEncoder().encodeToString(payload));
        file.put("signature", Base64.getEncoder().encodeToString(key.sign(payload)));
        file.put("key_id", key.keyId());
        return new String(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(file), StandardCharsets.UTF_8) + "\n";
    }

    private ObjectNode licenceRow(Connection c, String id) throws SQLException, JsonProcessingException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, customer_id, modules, limits, valid_from, expires,"
                + " revision, key_id, signed_file, updated_at, updated_by FROM licences WHERE id = ?")) {
            s.setString(1, id);
            ResultSet r = s.executeQuery();
            if (!r.next()) {
                return null;
            }
            ObjectNode l = JSON.createObjectNode();
            l.put("id", r.getString(1)).put("customer", r.getString(2));
            l.set("modules", JSON.readTree(r.getString(3)));
            l.set("limits", JSON.readTree(r.getString(4)));
            l.put("valid_from", r.getDate(5).toLocalDate().toString())
                    .put("expires", r.getDate(6).toLocalDate().toString()).put("revision", r.getInt(7))
                    .put("key_id", r.getString(8)).put("updated_at", r.getTimestamp(10).toInstant().toString())
                    .put("updated_by", r.getString(11)).put("file", r.getString(9));
            return l;
        }
    }

    /** The fields that differ, as {@code {"field": {"from": x, "to": y}}} (from is null for a new licence). */
    private static ObjectNode change(ObjectNode before, ObjectNode after) {
        ObjectNode ch = JSON.createObjectNode();
        for (String f : List.of("customer", "modules", "limits", "valid_from", "expires", "key_id", "revision")) {
            JsonNode b = before == null ? null : before.get(f);
            JsonNode a = after.get(f);
            if (b == null || !b.equals(a)) {
                ObjectNode d = ch.putObject(f);
                d.set("from", b);
                d.set("to", a);
            }
        }
        return ch;
    }

    void audit(Connection c, String actor, String action, String subject, JsonNode detail)
            throws SQLException, JsonProcessingException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO audit_events (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)")) {
            s.setTimestamp(1, now());
            s.setString(2, actor);
            s.setString(3, action);
            s.setString(4, subject);
            s.setString(5, JSON.writeValueAsString(detail));
            s.executeUpdate();
        }
        LOG.info("audit: {} {} {} by {}", action, subject, detail, actor);
    }

    private static boolean exists(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            return s.executeQuery().next();
        }
    }

    Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    static void checkId(Pattern p, String what, String value) {
        if (value == null || !p.matcher(value).matches()) {
            throw ApiException.badRequest(what + " '" + value + "' is not valid", "allowed: " + p.pattern());
        }
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.badRequest("missing field '" + field + "'", null);
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string", null);
        }
        return n.asText();
    }

    private static String shortText(JsonNode body, String field) {
        String s = text(body, field, true);
        if (!SHORT_TEXT.matcher(s).matches()) {
            throw ApiException.badRequest("'" + field + "' is not valid", "1-64 of A-Z a-z 0-9 . _ + : -");
        }
        return s;
    }

    private static List<String> modules(JsonNode n) {
        if (n == null || !n.isArray()) {
            throw ApiException.badRequest("modules must be a list of module names", "known: " + KNOWN_MODULES);
        }
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode m : n) {
            if (!m.isTextual() || !KNOWN_MODULES.contains(m.asText())) {
                throw ApiException.badRequest("unknown module " + m, "known: " + KNOWN_MODULES);
            }
            out.add(m.asText());
        }
        return new ArrayList<>(out);
    }

    private static ObjectNode limits(JsonNode n) {
        if (n == null || n.isNull()) {
            return JSON.createObjectNode();
        }
        if (!n.isObject()) {
            throw ApiException.badRequest("'limits' must be an object", "e.g. {\"users\": 250}");
        }
        ObjectNode out = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KNOWN_LIMITS.contains(e.getKey())) {
                throw ApiException.badRequest("unknown limit '" + e.getKey() + "'", "known: " + KNOWN_LIMITS);
            }
            if (!e.getValue().isIntegralNumber() || e.getValue().asLong() < 1) {
                throw ApiException.badRequest("limit '" + e.getKey() + "' must be a whole number >= 1", null);
            }
            out.put(e.getKey(), e.getValue().asLong());
        }
        return out;
    }

    private static LocalDate date(JsonNode body, String field, LocalDate dflt) {
        String s = text(body, field, dflt == null);
        if (s == null) {
            return dflt;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + field + "' is not a date: '" + s + "'", "YYYY-MM-DD");
        }
    }

    /** One unit of work in a transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException, JsonProcessingException;
    }

    <T> T tx(Work<T> work) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (RuntimeException | SQLException | JsonProcessingException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON: " + e.getOriginalMessage(), e);
        }
    }
}
