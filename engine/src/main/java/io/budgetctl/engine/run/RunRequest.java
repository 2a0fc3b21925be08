package io.budgetctl.engine.run;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code budgetctl run} can ask of the engine. Built by the CLI from options; the engine never reads the
 * command line. {@code extraVars} are the raw {@code -e} values in order ({@code k=v ...}, JSON/YAML, {@code @file}).
 * {@code tags}/{@code skipTags} empty mean "all" / "none".
 */
public record RunRequest(List<Path> playbooks, List<Path> inventories, String limit, List<String> extraVars,
                         boolean check, boolean diff, List<String> tags, List<String> skipTags, int forks,
                         boolean listHosts, boolean listTasks, boolean syntaxCheck, String startAtTask,
                         int verbosity) {
    public RunRequest {
        playbooks = List.copyOf(playbooks);
        inventories = List.copyOf(inventories);
        extraVars = extraVars == null ? List.of() : List.copyOf(extraVars);
        tags = tags == null ? List.of() : List.copyOf(tags);
        skipTags = skipTags == null ? List.of() : List.copyOf(skipTags);
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be at least 1");
        }
    }

    public static RunRequest of(Path playbook, Path inventory) {
        return new RunRequest(List.of(playbook), inventory == null ? List.of() : List.of(inventory), null, List.of(),
                false, false, List.of(), List.of(), 5, false, false, false, null, 0);
    }
}
