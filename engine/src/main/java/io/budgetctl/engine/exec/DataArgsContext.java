package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.template.Templater;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A module's context that knows which of the task's arguments were computed from data (a host's answer, a lookup):
 * {@link ModuleContext#unsafe} is true for those, so a module that would evaluate an argument (debug {@code var:},
 * assert {@code that:}) treats it as text instead.
 */
record DataArgsContext(ModuleContext delegate, Set<String> dataArgs) implements ModuleContext {

    static ModuleContext of(ModuleContext delegate, Set<String> dataArgs) {
        return dataArgs.isEmpty() ? delegate : new DataArgsContext(delegate, Set.copyOf(dataArgs));
    }

    @Override
    public boolean unsafe(String argument) {
        return dataArgs.contains(argument);
    }

    @Override
    public String host() {
        return delegate.host();
    }

    @Override
    public Connection connection() {
        return delegate.connection();
    }

    @Override
    public boolean check() {
        return delegate.check();
    }

    @Override
    public boolean diff() {
        return delegate.diff();
    }

    @Override
    public Become become() {
        return delegate.become();
    }

    @Override
    public Map<String, String> environment() {
        return delegate.environment();
    }

    @Override
    public Map<String, Object> vars() {
        return delegate.vars();
    }

    @Override
    public Templater templater() {
        return delegate.templater();
    }

    @Override
    public SourceLocation location() {
        return delegate.location();
    }

    @Override
    public Optional<Path> findFile(String kind, String name) {
        return delegate.findFile(kind, name);
    }
}
