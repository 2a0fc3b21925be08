package io.budgetctl.cli;

import java.util.Map;

/**
 * What the CLI knows about where its output goes. Colour is used on a terminal unless {@code NO_COLOR} is set
 * (https://no-color.org); {@code BUDGETCTL_FORCE_COLOR} (any value but empty or 0) forces it, e.g. in CI logs that
 * render ANSI — the same precedence as Ansible's ANSIBLE_FORCE_COLOR over NO_COLOR.
 */
record Terminal(boolean color) {
    static Terminal detect(Map<String, String> env, boolean interactive) {
        String force = env.get("BUDGETCTL_FORCE_COLOR");
        if (force != null && !force.isEmpty() && !force.equals("0")) {
            return new Terminal(true);
        }
        String noColor = env.get("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return new Terminal(false);
        }
        return new Terminal(interactive);
    }
}
