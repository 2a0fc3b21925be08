package io.budgetctl.engine.run;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.playbook.KvParser;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.playbook.YamlLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** -e parsing used until the inventory package's ExtraVars is wired: k=v, JSON/YAML mappings, @file. */
final class SimpleExtraVars {
    private SimpleExtraVars() {
    }

    static Map<String, Object> parse(List<String> raw, Path baseDir) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String r : raw) {
            String s = r.strip();
            Object v;
            if (s.startsWith("@")) {
                v = YamlLoader.load(baseDir.resolve(s.substring(1)));
            } else if (s.startsWith("{") || s.startsWith("---")) {
                v = YamlLoader.loadString(s, "<extra vars>");
            } else {
                Map<String, Object> kv = KvParser.parse(s, false);
                if (kv.containsKey("_raw_params")) {
                    throw new EngineException(SourceLocation.of("-e"), "invalid extra vars: " + s,
                            "use key=value, a JSON/YAML mapping or @file");
                }
                v = kv;
            }
            if (v == null) {
                continue;
            }
            if (!(v instanceof Map<?, ?>)) {
                throw new EngineException(SourceLocation.of("-e"), "extra vars must be a mapping: " + s,
                        "use key=value, a JSON/YAML mapping or @file");
            }
            out.putAll(PlaybookLoader.asMap(v));
        }
        return out;
    }
}
