package io.budgetctl.cli;

import io.budgetctl.cli.lifecycle.LifecycleCommand;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.lifecycle.repo.AccessPolicy;
import io.budgetctl.lifecycle.repo.Audit;
import io.budgetctl.lifecycle.repo.Authorizer;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.RepositoryInventory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * access.yaml for {@code budgetctl run -i <deployments repository>}: any playbook against customers is the action
 * {@code run}, decided and audited for every customer the run could reach (the hosts {@code --limit} selects, or
 * all), before the playbook is loaded or a host contacted. A run against an Ansible inventory is not governed by an
 * access.yaml and is not checked.
 */
final class RunAccess {
    private RunAccess() {
    }

    /** Prints the denial and returns its exit code (6), or returns null when the run may go ahead. */
    static Integer check(RunOptions options, PrintWriter err) {
        if (options.inventories.size() != 1 || !RepositoryInventory.isRepository(options.inventories.get(0))) {
            return null;
        }
        Map<String, String> env = LifecycleCommand.env();
        Path home = Path.of(System.getProperty("user.home"));
        DeploymentsRepository repo = DeploymentsRepository.open(options.inventories.get(0));
        Inventory inventory = RepositoryInventory.of(repo);
        List<String> hosts = options.limit == null ? inventory.hostNames() : inventory.select(options.limit);
        Set<String> customers = new LinkedHashSet<>();
        for (String h : hosts) {
            Object id = inventory.hostVars(h).get("client_id");
            if (id != null) {
                customers.add(String.valueOf(id));
            }
        }
        try {
            new Authorizer(AccessPolicy.load(repo), Audit.fromEnv(env, home), Authorizer.identify(env, home, null))
                    .checkAll("run", repo, new ArrayList<>(customers), Map.of("playbooks", options.playbooks.stream()
                            .map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.joining(" "))));
            return null;
        } catch (Authorizer.Denied denied) {
            Errors.report(denied, err);
            return denied.exitCode();
        }
    }
}
