package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.SourceLocation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A YAML mapping that remembers where it and each of its keys were written, so errors about a keyword or value can
 * point at file:line:column. Behaves as an ordinary insertion-ordered map everywhere else.
 */
public final class YamlMap extends LinkedHashMap<String, Object> {
    private final SourceLocation location;
    private final Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();

    public YamlMap(SourceLocation location) {
        this.location = location == null ? SourceLocation.UNKNOWN : location;
    }

    public SourceLocation location() {
        return location;
    }

    /** Where {@code key} was written; the map's own location when unknown. */
    public SourceLocation locationOf(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    /** A copy without {@code exclude}d keys, keeping locations. */
    public YamlMap without(java.util.Collection<String> exclude) {
        YamlMap out = new YamlMap(location);
        for (Map.Entry<String, Object> e : entrySet()) {
            if (!exclude.contains(e.getKey())) {
                out.put(e.getKey(), e.getValue(), locationOf(e.getKey()));
            }
        }
        return out;
    }

    void put(String key, Object value, SourceLocation at) {
        put(key, value);
        keyLocations.put(key, at);
    }
}
