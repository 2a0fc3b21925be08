package io.budgetctl.cli.secrets;

import io.budgetctl.cli.Errors;
import io.budgetctl.engine.repo.AccessPolicy;
import io.budgetctl.engine.repo.Audit;
import io.budgetctl.engine.repo.Authorizer;
import io.budgetctl.engine.repo.DeploymentsRepository;
import io.budgetctl.engine.repo.RepositoryInventory;
import io.budgetctl.engine.repo.SecretRef;
import io.budgetctl.engine.secrets.SecretsEnv;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** The customers whose merged configuration refers to {@code rel}; else by file name; else all. */
    static List<String> customersOf(DeploymentsRepository repo, Path rel) {
        String path = rel.toString().replace('\\', '/');
        List<String> out = new ArrayList<>();
        for (String id : repo.clientIds()) {
            if (refersTo(repo.mergedClient(id), path)) {
                out.add(id);
            }
        }
        if (out.isEmpty()) {
            String name = rel.getFileName().toString();
            String id = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            out.addAll(repo.clientIds().contains(id) ? List.of(id) : repo.clientIds());
        }
        return out;
    }

    private static boolean refersTo(Object value, String path) {
        if (value instanceof String s) {
            SecretRef ref = SecretRef.parse(s);
            return ref != null && "sops".equals(ref.scheme()) && ref.path().equals(path);
        }
        if (value instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(v -> refersTo(v, path));
        }
        if (value instanceof List<?> l) {
            return l.stream().anyMatch(v -> refersTo(v, path));
        }
        return false;
    }
}
