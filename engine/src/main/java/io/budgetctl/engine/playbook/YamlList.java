package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/** A YAML sequence that remembers where it and each element were written. */
public final class YamlList extends ArrayList<Object> {
    private final SourceLocation location;
    private final List<SourceLocation> itemLocations = new ArrayList<>();

    public YamlList(SourceLocation location) {
        this.location = location == null ? SourceLocation.UNKNOWN : location;
    }

    public SourceLocation location() {
        return location;
    }

    public SourceLocation locationOf(int index) {
        return index < itemLocations.size() ? itemLocations.get(index) : location;
    }

    void add(Object value, SourceLocation at) {
        add(value);
        itemLocations.add(at);
    }
}
