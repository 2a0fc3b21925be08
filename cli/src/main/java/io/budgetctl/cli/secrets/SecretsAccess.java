package io.budgetctl.cli.secrets;

import io.budgetctl.cli.Errors;
import io.budgetctl.lifecycle.repo.AccessPolicy;
import io.budgetctl.lifecycle.repo.Audit;
import io.budgetctl.lifecycle.repo.Authorizer;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.RepositoryInventory;
import io.budgetctl.lifecycle.repo.SopsRecipients;
import io.budgetctl.lifecycle.secrets.SecretsEnv;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * access.yaml for {@code secrets view|edit|rotate} (actions {@code secrets-view}, {@code secrets-edit},
 * {@code secrets-rotate}): a file inside a deployments repository is checked for every customer whose configuration
 * (client file or environment defaults) refers to it; a file no customer refers to is checked for the customer its
 * name gives ({@code secrets/<id>.sops.yaml}), else for every customer of the repository. Each decision goes to the
 * audit log as for the lifecycle commands. A file outside any deployments repository is not governed by an
 * access.yaml and is not checked: only the age/PGP keys protect it (docs/access.md).
 */
final class SecretsAccess {
    private SecretsAccess() {
    }

    /**
     * Decides {@code action} on {@code file}; prints the denial and returns its exit code (6), or returns null when
     * the command may go ahead.
     */
    static Integer check(String action, Path file, SecretsEnv env, PrintWriter err) {
        Path root = repositoryOf(file);
        if (root == null) {
            return null;
        }
        DeploymentsRepository repo = DeploymentsRepository.open(root);
        List<String> customers = customersOf(repo, root.relativize(file.toAbsolutePath().normalize()));
        Map<String, String> vars = env.variables();
        try {
            new Authorizer(AccessPolicy.load(repo), Audit.fromEnv(vars, env.home()),
                    Authorizer.identify(vars, env.home(), null))
                    .checkAll(action, repo, customers, Map.of("file", root.relativize(file.toAbsolutePath()
                            .normalize()).toString()));
            return null;
        } catch (Authorizer.Denied denied) {
            Errors.report(denied, err);
            return denied.exitCode();
        }
    }

    /** The deployments repository (clients/, environments/ and access.yaml) that holds {@code file}, or null. */
    static Path repositoryOf(Path file) {
        for (Path d = file.toAbsolutePath().normalize().getParent(); d != null; d = d.getParent()) {
            if (RepositoryInventory.isRepository(d) && Files.isRegularFile(d.resolve("access.yaml"))) {
                return d;
            }
        }
        return null;
    }

    /** The customers the file belongs to ({@link SopsRecipients#customersOf}). */
    static List<String> customersOf(DeploymentsRepository repo, Path rel) {
        return SopsRecipients.customersOf(repo, rel);
    }
}
