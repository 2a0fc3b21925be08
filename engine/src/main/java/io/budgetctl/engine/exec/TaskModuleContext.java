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
import java.util.function.Consumer;

/**
 * A module's context as the runner gives it for one task on one host: which of the task's arguments were computed
 * from data (a host's answer, a lookup), so that {@link ModuleContext#unsafe} is true for those and a module that
 * would evaluate an argument (debug {@code var:}, assert {@code that:}) treats it as text instead; the arguments as
 * written ({@link ModuleContext#written}); and where the module's warnings go.
 */
record TaskModuleContext(ModuleContext delegate, Set<String> dataArgs, Map<String, Object> writtenArgs,
                         Consumer<String> warnings) implements ModuleContext {

    static ModuleContext of(ModuleContext delegate, Set<String> dataArgs, Map<String, Object> writtenArgs,
                            Consumer<String> warnings) {
        return new TaskModuleContext(delegate, Set.copyOf(dataArgs), writtenArgs, warnings);
    }

    @Override
    public boolean unsafe(String argument) {
        return dataArgs.contains(argument);
    }

    @Override
    public Object written(String name) {
        return writtenArgs.get(name);
    }

    @Override
    public void warn(String text) {
        warnings.accept(text);
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

    @Override
    public java.util.List<Path> searchDirs() {
        return delegate.searchDirs();
    }
}
