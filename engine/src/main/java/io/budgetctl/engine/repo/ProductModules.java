package io.budgetctl.engine.repo;

import java.util.List;

/** The product modules a customer can enable (IT Budget Manager's licensable features). */
public final class ProductModules {
    /** Every known module, in the order the documentation lists them. */
    public static final List<String> KNOWN = List.of("forecasting", "reporting", "approvals", "audit",
            "integrations-1c", "sso", "multi-currency", "api");

    private ProductModules() {
    }
}
