package io.budgetctl.engine.playbook;

import io.budgetctl.engine.module.ModuleRegistry;
import java.nio.file.Path;
import java.util.List;

/**
 * What loading needs besides the file: the modules (to resolve actions and check arguments) and where roles are
 * searched after {@code roles/} beside the playbook ({@code BUDGETCTL_ROLES_PATH} then {@code ANSIBLE_ROLES_PATH}).
 */
public record LoadOptions(ModuleRegistry modules, List<Path> rolesPath) {
    public LoadOptions {
        rolesPath = rolesPath == null ? List.of() : List.copyOf(rolesPath);
    }

    /** Role search path from the environment: BUDGETCTL_ROLES_PATH, then ANSIBLE_ROLES_PATH (':'-separated). */
    public static List<Path> rolesPathFromEnv(java.util.Map<String, String> env) {
        List<Path> out = new java.util.ArrayList<>();
        for (String var : List.of("BUDGETCTL_ROLES_PATH", "ANSIBLE_ROLES_PATH")) {
            String v = env.get(var);
            if (v == null || v.isBlank()) {
                continue;
            }
            for (String p : v.split(":")) {
                if (!p.isBlank()) {
                    out.add(Path.of(p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p));
                }
            }
        }
        return out;
    }
}
