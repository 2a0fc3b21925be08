package io.budgetctl.engine.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code budgetctl run} can ask of the engine. Built by the CLI from options; the engine never reads the
 * command line. {@code extraVars} are the raw {@code -e} values in order ({@code k=v ...}, JSON/YAML, {@code @file}).
 * {@code tags}/{@code skipTags} empty mean "all" / "none".
 *
 * <p>Build one with {@link #builder()} (named fields, defaults as {@link #of}: forks 5, verbosity 0, no limit, tags,
 * extra vars or modes); the canonical constructor is for the builder only.
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
        return builder().playbook(playbook).inventory(inventory).build();
    }

    /** A request with the defaults of {@link #of}; set what differs by name. */
    public static Builder builder() {
        return new Builder();
    }

    /** This request's fields in a builder, to change some of them. */
    public Builder toBuilder() {
        return builder().playbooks(playbooks).inventories(inventories).limit(limit).extraVars(extraVars).check(check)
                .diff(diff).tags(tags).skipTags(skipTags).forks(forks).listHosts(listHosts).listTasks(listTasks)
                .syntaxCheck(syntaxCheck).startAtTask(startAtTask).verbosity(verbosity);
    }

    /** Named fields of a {@link RunRequest}; {@link #playbook} and {@link #inventory} add one, in order. */
    public static final class Builder {
        private final List<Path> playbooks = new ArrayList<>();
        private final List<Path> inventories = new ArrayList<>();
        private String limit;
        private List<String> extraVars = List.of();
        private boolean check;
        private boolean diff;
        private List<String> tags = List.of();
        private List<String> skipTags = List.of();
        private int forks = 5;
        private boolean listHosts;
        private boolean listTasks;
        private boolean syntaxCheck;
        private String startAtTask;
        private int verbosity;

        private Builder() {
        }

        /** Adds a playbook. */
        public Builder playbook(Path playbook) {
            playbooks.add(playbook);
            return this;
        }

        /** The playbooks, replacing any added. */
        public Builder playbooks(List<Path> all) {
            playbooks.clear();
            playbooks.addAll(all);
            return this;
        }

        /** Adds an inventory source; null adds none. */
        public Builder inventory(Path inventory) {
            if (inventory != null) {
                inventories.add(inventory);
            }
            return this;
        }

        /** The inventory sources, replacing any added. */
        public Builder inventories(List<Path> all) {
            inventories.clear();
            inventories.addAll(all);
            return this;
        }

        public Builder limit(String limit) {
            this.limit = limit;
            return this;
        }

        public Builder extraVars(List<String> extraVars) {
            this.extraVars = extraVars;
            return this;
        }

        public Builder check(boolean check) {
            this.check = check;
            return this;
        }

        public Builder diff(boolean diff) {
            this.diff = diff;
            return this;
        }

        public Builder tags(List<String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder skipTags(List<String> skipTags) {
            this.skipTags = skipTags;
            return this;
        }

        public Builder forks(int forks) {
            this.forks = forks;
            return this;
        }

        public Builder listHosts(boolean listHosts) {
            this.listHosts = listHosts;
            return this;
        }

        public Builder listTasks(boolean listTasks) {
            this.listTasks = listTasks;
            return this;
        }

        public Builder syntaxCheck(boolean syntaxCheck) {
            this.syntaxCheck = syntaxCheck;
            return this;
        }

        public Builder startAtTask(String startAtTask) {
            this.startAtTask = startAtTask;
            return this;
        }

        public Builder verbosity(int verbosity) {
            this.verbosity = verbosity;
            return this;
        }

        public RunRequest build() {
            return new RunRequest(playbooks, inventories, limit, extraVars, check, diff, tags, skipTags, forks,
                    listHosts, listTasks, syntaxCheck, startAtTask, verbosity);
        }
    }
}
