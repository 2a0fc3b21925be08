package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The key names of a SOPS file, which SOPS leaves in clear text (values are encrypted): enough to check that a
 * reference names an existing key without any decryption key. Nested keys are joined with dots. The {@code sops}
 * metadata entry is not a key.
 */
record SopsKeys(List<String> keys, String error) {
    boolean has(String key) {
        return keys.contains(key);
    }

    static SopsKeys read(Path file) {
        try {
            String name = file.getFileName().toString();
            List<String> out = new ArrayList<>();
            if (name.endsWith(".env")) {
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (!line.isBlank() && !line.startsWith("#") && eq > 0 && !line.startsWith("sops_")) {
                        out.add(line.substring(0, eq).trim());
                    }
                }
                return new SopsKeys(out, null);
            }
            Object doc = YamlLoader.composeString(Files.readString(file), file.toString())
                    .map(YamlLoader::toJava).orElse(null);
            if (doc instanceof Map<?, ?> m) {
                collect("", m, out);
                return new SopsKeys(out, null);
            }
            return new SopsKeys(List.of(), "it is not a mapping");
        } catch (IOException e) {
            return new SopsKeys(List.of(), e.getMessage());
        } catch (EngineException e) {
            return new SopsKeys(List.of(), e.getMessage());
        }
    }

    private static void collect(String prefix, Map<?, ?> m, List<String> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (prefix.isEmpty() && k.equals("sops")) {
                continue;
            }
            String full = prefix.isEmpty() ? k : prefix + "." + k;
            out.add(full);
            if (e.getValue() instanceof Map<?, ?> nested) {
                collect(full, nested, out);
            }
        }
    }

    /** The path_regex of every creation rule in .sops.yaml; empty when there is no such file. */
    static List<Pattern> creationRules(Path sopsYaml) {
        if (!Files.isRegularFile(sopsYaml)) {
            return List.of();
        }
        List<Pattern> out = new ArrayList<>();
        if (YamlLoader.load(sopsYaml) instanceof Map<?, ?> m && m.get("creation_rules") instanceof List<?> rules) {
            for (Object r : rules) {
                if (r instanceof Map<?, ?> rule && rule.get("path_regex") != null) {
                    try {
                        out.add(Pattern.compile(String.valueOf(rule.get("path_regex"))));
                    } catch (PatternSyntaxException e) {
                        throw new EngineException(io.budgetctl.engine.api.SourceLocation.of(".sops.yaml"),
                                "invalid path_regex: " + e.getDescription(), "fix the regular expression");
                    }
                }
            }
        }
        return out;
    }
}
