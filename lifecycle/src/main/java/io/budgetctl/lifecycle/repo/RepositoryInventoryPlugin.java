package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.engine.inventory.InventoryPlugin;
import java.nio.file.Path;

/**
 * {@code budgetctl run -i <deployments repository>}: a directory with clients/ and environments/ is read as
 * {@link RepositoryInventory} (customers as hosts, secret references resolved on use) instead of an Ansible inventory.
 */
public final class RepositoryInventoryPlugin implements InventoryPlugin {
    @Override
    public boolean accepts(Path source) {
        return RepositoryInventory.isRepository(source);
    }

    @Override
    public Inventory load(Path source) {
        return RepositoryInventory.load(source);
    }
}
