package io.budgetctl.engine.inventory;

import java.nio.file.Path;

/**
 * A source given alone with {@code -i} that is not an Ansible inventory file, read by code outside the engine: like an
 * Ansible inventory plugin, it says whether it reads the source ({@link #accepts}, Ansible's {@code verify_file}) and
 * then builds the {@link Inventory}. Found through {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/io.budgetctl.engine.inventory.InventoryPlugin} line); the first that accepts wins, and a
 * source none accepts is read as an Ansible inventory. The product's deployments repository is one
 * ({@code io.budgetctl.lifecycle.repo.RepositoryInventoryPlugin}): the engine itself knows nothing of customers.
 */
public interface InventoryPlugin {
    /** Whether {@code source} is this plugin's kind (cheap: look at names, not contents). */
    boolean accepts(Path source);

    /** The inventory {@code source} describes; errors are {@link io.budgetctl.engine.api.EngineException}s. */
    Inventory load(Path source);
}
