package io.budgetctl.engine.run;

import io.budgetctl.engine.exec.HostInventory;
import io.budgetctl.engine.inventory.Inventory;
import java.util.List;
import java.util.Map;

/** The inventory package's {@link Inventory} as the executor's {@link HostInventory}. */
record InventoryAdapter(Inventory inventory) implements HostInventory {
    @Override
    public List<String> hostNames() {
        return inventory.hostNames();
    }

    @Override
    public List<String> select(String pattern) {
        return inventory.select(pattern);
    }

    @Override
    public Map<String, Object> hostVars(String host) {
        return inventory.hostVars(host);
    }

    @Override
    public Map<String, List<String>> groups() {
        return inventory.groups();
    }

    @Override
    public List<String> groupNamesOf(String host) {
        return inventory.groupNamesOf(host);
    }

    List<String> warnings() {
        return inventory.warnings();
    }

    List<String> unmatched(String pattern) {
        return inventory.unmatchedPatterns(pattern);
    }
}
