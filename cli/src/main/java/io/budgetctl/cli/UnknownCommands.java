package io.budgetctl.cli;

import io.budgetctl.engine.module.Levenshtein;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Words on the command line that no command takes. picocli skips its unmatched-argument check when {@code --help}
 * is on the line, so {@code budgetctl fleet --help} printed the main help and exited 0; {@link #reject} makes that
 * the usage error it is. {@link #printSuggestions} names the closest command (Levenshtein, as the engine does for
 * modules), or the list of commands when none is close, instead of picocli's guess.
 */
final class UnknownCommands {
    private UnknownCommands() {
    }

    /** Throws picocli's usage error for the first level of the command line that left words unmatched. */
    static ParseResult reject(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        return parsed;
    }

    /** "Did you mean ...?" for a mistyped command, picocli's own suggestions for a mistyped option. */
    static void printSuggestions(CommandLine.ParameterException ex, PrintWriter err) {
        CommandLine cl = ex.getCommandLine();
        if (!(ex instanceof UnmatchedArgumentException u) || u.getUnmatched().isEmpty()
                || u.getUnmatched().get(0).startsWith("-") || cl.getSubcommands().isEmpty()) {
            UnmatchedArgumentException.printSuggestions(ex, err);
            return;
        }
        String word = u.getUnmatched().get(0);
        String command = cl.getCommandSpec().qualifiedName();
        List<String> close = closest(word, visibleNames(cl));
        if (close.isEmpty()) {
            err.println(command + " has no command '" + word + "'; its commands: "
                    + String.join(", ", visibleNames(cl)));
        } else {
            err.println("Did you mean " + String.join(" or ", close.stream()
                    .map(c -> "'" + command + " " + c + "'").toList()) + "?");
        }
    }

    /** Names within a third of the word's length (at least 2 edits), or that the word starts; closest first. */
    static List<String> closest(String word, List<String> names) {
        String w = word.toLowerCase(java.util.Locale.ROOT);
        int limit = Math.max(2, w.length() / 3);
        return names.stream()
                .filter(n -> Levenshtein.distance(w, n) <= limit || (w.length() >= 2 && n.startsWith(w)))
                .sorted(Comparator.comparingInt((String n) -> Levenshtein.distance(w, n)).thenComparing(n -> n))
                .limit(3)
                .toList();
    }

    private static List<String> visibleNames(CommandLine cl) {
        return cl.getSubcommands().entrySet().stream()
                .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                .map(java.util.Map.Entry::getKey)
                .toList();
    }
}
