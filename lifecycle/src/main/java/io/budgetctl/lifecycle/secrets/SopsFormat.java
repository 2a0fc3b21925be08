package io.budgetctl.lifecycle.secrets;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Path;
import java.util.Locale;

/** The SOPS file flavours budgetctl reads and writes, chosen by file extension as sops chooses them. */
public enum SopsFormat {
    YAML(new YamlStore()), JSON(new JsonStore()), DOTENV(new DotenvStore());

    private final SopsStore store;

    SopsFormat(SopsStore store) {
        this.store = store;
    }

    SopsStore store() {
        return store;
    }

    /** .yaml/.yml, .json, .env (a name like {@code acme.sops.yaml} counts by its last extension). */
    public static SopsFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".env") || name.equals(".env")) {
            return DOTENV;
        }
        throw new EngineException(SourceLocation.of(file.toString()), "cannot tell the SOPS format of '"
                + file.getFileName() + "'", "name secrets files *.yaml, *.yml, *.json or *.env (sops goes by the "
                + "extension too; binary and INI files are not supported)");
    }
}
