package io.budgetctl.engine.exec;

import java.util.List;
import java.util.Map;

/** Run-wide settings the executor needs (from the run request). */
public record ExecOptions(boolean check, boolean diff, List<String> tags, List<String> skipTags, int forks,
                          String limit, String startAtTask, Map<String, Object> extraVars, int verbosity) {
    public ExecOptions {
        tags = tags == null ? List.of() : List.copyOf(tags);
        skipTags = skipTags == null ? List.of() : List.copyOf(skipTags);
        extraVars = extraVars == null ? Map.of() : extraVars;
    }
}
