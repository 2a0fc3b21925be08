package io.budgetctl.engine.playbook;

import io.budgetctl.engine.api.SourceLocation;
import java.util.List;
import java.util.Map;

/**
 * A {@code block:} with optional {@code rescue:} and {@code always:}. Also used, with {@code implicit} true, for the
 * statically expanded content of a role ({@code roles:}, {@code import_role}) or of {@code import_tasks}: the
 * keywords written on the role entry or import (when, tags, vars, become, ...) are then the block's keywords.
 */
public record Block(SourceLocation location, String name, List<Node> block, List<Node> rescue, List<Node> always,
                    Map<String, Object> kw, Role role, boolean implicit) implements Node {
    public Block {
        block = List.copyOf(block);
        rescue = rescue == null ? List.of() : List.copyOf(rescue);
        always = always == null ? List.of() : List.copyOf(always);
        kw = kw == null ? Map.of() : kw;
    }
}
