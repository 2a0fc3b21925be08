package io.budgetctl.cli.differential;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.report.ConsoleListener;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.ExitCodes;
import io.budgetctl.engine.run.RunRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the suite's own, small set of options (the ones {@link DiffCase#commandLine} produces) into a
 * {@link RunRequest} and calls {@link Engine#run} with the human console listener: the engine path without the CLI.
 */
final class EngineDirect {
    private EngineDirect() {
    }

    static int run(List<String> args, PrintWriter out, PrintWriter err) {
        List<Path> inventories = new ArrayList<>();
        List<String> extraVars = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        List<String> skipTags = new ArrayList<>();
        List<Path> playbooks = new ArrayList<>();
        String limit = null;
        boolean check = false;
        boolean diff = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-i" -> inventories.add(Path.of(args.get(++i)));
                case "-e" -> extraVars.add(args.get(++i));
                case "-t" -> tags.addAll(List.of(args.get(++i).split(",")));
                case "--skip-tags" -> skipTags.addAll(List.of(args.get(++i).split(",")));
                case "-l" -> limit = args.get(++i);
                case "--check", "-C" -> check = true;
                case "--diff", "-D" -> diff = true;
                default -> {
                    if (a.startsWith("-")) {
                        err.println("EngineDirect: option not supported here: " + a);
                        return ExitCodes.USAGE;
                    }
                    playbooks.add(Path.of(a));
                }
            }
        }
        RunRequest request = RunRequest.builder().playbooks(playbooks).inventories(inventories).limit(limit)
                .extraVars(extraVars).check(check).diff(diff).tags(tags).skipTags(skipTags).build();
        List<RunListener> listeners = List.of(new ConsoleListener(out, false, 0, diff));
        try {
            return Engine.run(request, listeners);
        } catch (EngineException e) {
            err.println("ERROR! " + e.getMessage());
            return ExitCodes.ERROR;
        }
    }
}
