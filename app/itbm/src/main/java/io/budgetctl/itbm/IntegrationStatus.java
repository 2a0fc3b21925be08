package io.budgetctl.itbm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code GET /api/integrations} says about one integration: {@code name} (smtp, sso, onec), whether it is
 * configured, its {@code state} and why, when it was last checked, and non-secret details (host, issuer, schedule).
 * States: {@code ok}, {@code failing} (reason says why), {@code not_configured}, {@code pending} (configured, first
 * check not done yet), {@code unknown} (the service that runs it has not reported; configured is then null).
 */
record IntegrationStatus(String name, Boolean configured, String state, String reason, Instant lastChecked,
                         Map<String, Object> details) {
  static final String OK = "ok";
  static final String FAILING = "failing";
  static final String NOT_CONFIGURED = "not_configured";
  static final String PENDING = "pending";
  static final String UNKNOWN = "unknown";
  private static final ObjectMapper JSON = new ObjectMapper();

  IntegrationStatus {
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  static IntegrationStatus notConfigured(String name) {
    return new IntegrationStatus(name, false, NOT_CONFIGURED, "not set in the client file", null, Map.of());
  }

  static IntegrationStatus pending(String name, Map<String, Object> details) {
    return new IntegrationStatus(name, true, PENDING, "not checked yet", null, details);
  }

  static IntegrationStatus ok(String name, String reason, Instant at, Map<String, Object> details) {
    return new IntegrationStatus(name, true, OK, reason, at, details);
  }

  static IntegrationStatus failing(String name, String reason, Instant at, Map<String, Object> details) {
    return new IntegrationStatus(name, true, FAILING, reason, at, details);
  }

  static IntegrationStatus unknown(String name, String reason) {
    return new IntegrationStatus(name, null, UNKNOWN, reason, null, Map.of());
  }

  /** The same status with {@code key} set in the details. */
  IntegrationStatus with(String key, Object value) {
    Map<String, Object> d = new LinkedHashMap<>(details);
    d.put(key, value);
    return new IntegrationStatus(name, configured, state, reason, lastChecked, d);
  }

  /** The API's shape: name, configured, state, reason, last_checked, then the details. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("configured", configured);
    m.put("state", state);
    m.put("reason", reason);
    m.put("last_checked", lastChecked == null ? null : lastChecked.toString());
    new java.util.TreeMap<>(details).forEach(m::putIfAbsent);
    return m;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(toMap());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static IntegrationStatus fromJson(String json) throws IOException {
    JsonNode n = JSON.readTree(json);
    Map<String, Object> details = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> {
      if (!Map.of("name", 1, "configured", 1, "state", 1, "reason", 1, "last_checked", 1).containsKey(e.getKey())) {
        details.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
      }
    });
    return new IntegrationStatus(n.path("name").asText(), n.path("configured").isNull() ? null
        : n.path("configured").asBoolean(), n.path("state").asText(), n.path("reason").asText(null),
        n.path("last_checked").isTextual() ? Instant.parse(n.path("last_checked").asText()) : null, details);
  }

  /**
   * {@code text} with every one of {@code secrets} (and its user:password halves' password) replaced by ***: a reason
   * comes from a server's answer or an exception, which must never carry a secret out.
   */
  static String redact(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      if (s != null && s.length() >= 3) {
        out = out.replace(s, "***");
        int colon = s.indexOf(':');
        if (colon > 0 && s.length() - colon > 3) {
          out = out.replace(s.substring(colon + 1), "***");
        }
      }
    }
    return out;
  }
}
