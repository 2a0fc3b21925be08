package io.budgetctl.lifecycle.secrets;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The environment secrets are read under: variables (SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, XDG_CONFIG_HOME, GNUPGHOME,
 * SOPS_GPG_EXEC, VAULT_*, EDITOR) and the home directory. Passed explicitly so tests can give each case its own.
 */
public record SecretsEnv(Map<String, String> variables, Path home) {
    public SecretsEnv {
        variables = Map.copyOf(variables);
    }

    /** This process's environment and the user's home. */
    public static SecretsEnv system() {
        return new SecretsEnv(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public Optional<String> get(String name) {
        String v = variables.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** Go's {@code os.UserConfigDir()} on Linux: $XDG_CONFIG_HOME, else ~/.config. */
    Path userConfigDir() {
        return get("XDG_CONFIG_HOME").map(Path::of).orElse(home.resolve(".config"));
    }
}
