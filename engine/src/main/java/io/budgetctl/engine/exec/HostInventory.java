package io.budgetctl.engine.exec;

import java.util.List;
import java.util.Map;

/**
 * What the executor needs from an inventory. The same shape as {@code io.budgetctl.engine.inventory.Inventory}
 * (which adapts to it); {@link ImplicitLocalhost} is used when no inventory is given.
 */
public interface HostInventory {
    /** All hosts, in inventory order. */
    List<String> hostNames();

    /** Hosts matching an Ansible host pattern (group, all, a:b, a:&b, a:!b, wildcards), in inventory order. */
    List<String> select(String pattern);

    /** Inventory variables of a host: group vars merged by Ansible's precedence, then host vars. */
    Map<String, Object> hostVars(String host);

    /** Group name -> member hosts, including all and ungrouped. */
    Map<String, List<String>> groups();

    /** Groups the host belongs to. */
    List<String> groupNamesOf(String host);
}
