package io.budgetctl.cli;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.run.ExitCodes;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How the CLI fails: a bad command line prints the problem and where to get help (exit 5, ansible-playbook's code
 * for bad options); an {@link EngineException} prints {@code ERROR! file:line:col: message} and its hint (exit 1);
 * anything else is a bug and says so. Stack traces only with --debug.
 */
public final class Errors {
    private Errors() {
    }

    /** Prints {@code ERROR! file:line:col: message} and the hint, as every refusal of the CLI reads. */
    public static void report(EngineException e, PrintWriter err) {
        err.println("ERROR! " + e.oneLine());
        if (e.hint() != null && !e.hint().isBlank()) {
            err.println("  hint: " + e.hint());
        }
        err.flush();
    }

    static int usageError(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getColorScheme().errorText("ERROR! " + ex.getMessage()));
        UnknownCommands.printSuggestions(ex, err);
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        if (debug(cl)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    static int executionError(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        if (ex instanceof EngineException e) {
            err.println(cl.getColorScheme().errorText("ERROR! " + e.oneLine()));
            if (e.hint() != null && !e.hint().isBlank()) {
                err.println("  hint: " + e.hint());
            }
        } else if (ex instanceof ParameterException pe) {
            return usageError(pe, new String[0]);
        } else {
            err.println(cl.getColorScheme().errorText("ERROR! unexpected " + ex.getClass().getSimpleName() + ": "
                    + ex.getMessage()));
            err.println("  hint: this is a bug in budgetctl; run again with --debug and report the stack trace");
        }
        if (debug(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.ERROR;
    }

    private static boolean debug(CommandLine cl) {
        CommandLine root = cl;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return debug(root.getParseResult());
    }

    /** --debug is inherited by every subcommand, so look for it on each level of the command line. */
    private static boolean debug(ParseResult pr) {
        while (pr != null && pr.commandSpec().parent() != null) {
            pr = pr.commandSpec().parent().commandLine().getParseResult();
        }
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
