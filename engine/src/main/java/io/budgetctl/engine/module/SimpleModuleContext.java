package io.budgetctl.engine.module;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.template.Templater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A plain {@link ModuleContext}; the executor builds one per task, and module tests build their own. */
public record SimpleModuleContext(String host, Connection connection, boolean check, boolean diff, Become become,
                                  Map<String, String> environment, Map<String, Object> vars, Templater templater,
                                  SourceLocation location, List<Path> searchDirs) implements ModuleContext {

    public SimpleModuleContext {
        become = become == null ? Become.NONE : become;
        environment = environment == null ? Map.of() : environment;
        vars = vars == null ? Map.of() : vars;
        location = location == null ? SourceLocation.UNKNOWN : location;
        searchDirs = searchDirs == null ? List.of() : List.copyOf(searchDirs);
    }

    /**
     * {@code searchDirs} are base directories (role dir, playbook dir ...) in order; for each, {@code kind/name}
     * then {@code name} is tried.
     */
    @Override
    public Optional<Path> findFile(String kind, String name) {
        Path p = Path.of(name);
        if (p.isAbsolute()) {
            return Files.exists(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir : searchDirs) {
            for (Path candidate : List.of(dir.resolve(kind).resolve(name), dir.resolve(name))) {
                if (Files.exists(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
