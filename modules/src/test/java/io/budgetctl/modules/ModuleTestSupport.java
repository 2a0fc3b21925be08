package io.budgetctl.modules;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.connection.LocalConnection;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.SimpleModuleContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Contexts on a real {@link LocalConnection} for module tests; public for the tests of every kind. */
public final class ModuleTestSupport {
    public static final SourceLocation LOC = new SourceLocation("play.yml", 3, 7);

    private ModuleTestSupport() {
    }

    public static ModuleContext local() {
        return context(false, Map.of());
    }

    public static ModuleContext check() {
        return context(true, Map.of());
    }

    public static ModuleContext context(boolean check, Map<String, Object> vars) {
        return new SimpleModuleContext("localhost", new LocalConnection("localhost"), check, false, null, null,
                new HashMap<>(vars), new io.budgetctl.engine.template.JinjavaTemplater(), LOC, List.of());
    }

    /** Mutable args map (null values allowed). */
    public static Map<String, Object> args(Object... kv) {
        return ModuleOutput.map(kv);
    }
}
