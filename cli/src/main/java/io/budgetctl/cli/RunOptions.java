package io.budgetctl.cli;

import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.report.ConsoleListener;
import io.budgetctl.engine.report.JUnitListener;
import io.budgetctl.engine.report.JsonLinesListener;
import io.budgetctl.engine.run.RunRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** The options of {@code budgetctl run}, named as in ansible-playbook, and how they become a request + listeners. */
final class RunOptions {
    @Parameters(arity = "1..*", paramLabel = "PLAYBOOK", description = "Playbook file(s), run in order.")
    List<Path> playbooks = new ArrayList<>();

    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
            description = "Inventory file or directory (repeatable).")
    List<Path> inventories = new ArrayList<>();

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only hosts matching this pattern.")
    String limit;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Extra variables: key=value ..., JSON/YAML, or @file (repeatable; later wins).")
    List<String> extraVars = new ArrayList<>();

    @Option(names = {"-C", "--check"}, description = "Dry run: report what would change, change nothing.")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show diffs of changed files and templates.")
    boolean diff;

    @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAGS",
            description = "Only tasks with these tags (comma-separated, repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", split = ",", paramLabel = "TAGS",
            description = "Skip tasks with these tags (comma-separated, repeatable).")
    List<String> skipTags = new ArrayList<>();

    @Option(names = {"-f", "--forks"}, defaultValue = "5", paramLabel = "N",
            description = "Hosts worked on in parallel (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--list-hosts", description = "List the hosts each play would run on, then stop.")
    boolean listHosts;

    @Option(names = "--list-tasks", description = "List the tasks each play would run, then stop.")
    boolean listTasks;

    @Option(names = "--syntax-check", description = "Load and validate the playbook(s), then stop.")
    boolean syntaxCheck;

    @Option(names = "--start-at-task", paramLabel = "NAME", description = "Start at the task with this name.")
    String startAtTask;

    @Option(names = {"-v", "--verbose"},
            description = "More output: -v result JSON, -vv task paths, -vvv connection details.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-o", "--output"}, defaultValue = "human", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write a JUnit XML report to FILE.")
    Path junit;

    RunRequest toRequest(CommandSpec spec) {
        if (forks < 1) {
            throw new ParameterException(spec.commandLine(), "--forks must be at least 1, got " + forks);
        }
        return RunRequest.builder().playbooks(playbooks).inventories(inventories).limit(limit).extraVars(extraVars)
                .check(check).diff(diff).tags(tags).skipTags(skipTags).forks(forks).listHosts(listHosts)
                .listTasks(listTasks).syntaxCheck(syntaxCheck).startAtTask(startAtTask).verbosity(verbose.length)
                .build();
    }

    /** Console or JSON lines on {@code out}, plus JUnit XML when asked for. */
    List<RunListener> listeners(PrintWriter out, boolean color) {
        List<RunListener> listeners = new ArrayList<>();
        listeners.add(output == OutputFormat.json
                ? new JsonLinesListener(out)
                : new ConsoleListener(out, color, verbose.length, diff));
        if (junit != null) {
            listeners.add(new JUnitListener(junit));
        }
        return listeners;
    }
}
