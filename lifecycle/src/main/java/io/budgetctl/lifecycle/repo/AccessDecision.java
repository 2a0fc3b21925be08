package io.budgetctl.lifecycle.repo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One access decision, allowed or denied, with everything an audit line needs: who (identity and the operator's name
 * from access.yaml, null when unknown), what, on which customer and environment, the role that allowed it and why.
 */
public record AccessDecision(OperatorIdentity identity, String operator, String action, String client,
                             String environment, boolean allowed, String role, String reason) {
    /** The record as a flat map for the audit log and --output json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identity", identity.toString());
        m.put("operator", operator);
        m.put("action", action);
        m.put("client", client);
        m.put("environment", environment);
        m.put("decision", allowed ? "allow" : "deny");
        m.put("role", role);
        m.put("reason", reason);
        return m;
    }
}
