package io.budgetctl.cli;

import io.budgetctl.engine.run.ExitCodes;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point. Only {@link #main} calls System.exit; {@link #run} is what tests call. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        // Ctrl-C (or SIGTERM) during a run: say so and exit 99 like ansible-playbook, not the JVM's 130/143
        Thread interrupted = new Thread(() -> {
            out.flush();
            err.println("ERROR! User interrupted execution");
            err.flush();
            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        }, "budgetctl-interrupt");
        Runtime.getRuntime().addShutdownHook(interrupted);
        int code = run(out, err, args);
        Runtime.getRuntime().removeShutdownHook(interrupted);
        System.exit(code);
    }

    /** Runs budgetctl with this process's environment and terminal; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, Terminal.detect(System.getenv(), System.console() != null), args);
    }

    /**
     * Runs one command object with {@code args} as its own options (no command name), with the streams, colours and
     * error handling of {@link #run(PrintWriter, PrintWriter, String...)} but without building budgetctl's whole
     * command tree, which is a fifth of the CPU of a fleet command that runs the single-customer command for each of
     * 60 customers (docs/fleet.md, "Scale"). Only {@code --debug}, an option of the root, is not there.
     */
    public static int runCommand(Object command, PrintWriter out, PrintWriter err, String... args) {
        return execute(configure(new CommandLine(command), out, err,
                Terminal.detect(System.getenv(), System.console() != null)), args);
    }

    static int run(PrintWriter out, PrintWriter err, Terminal terminal, String... args) {
        return execute(commandLine(out, err, terminal), args);
    }

    static int execute(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
        }
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, Terminal terminal) {
        return configure(new CommandLine(new BudgetctlCommand(terminal)), out, err, terminal);
    }

    /** Streams, colours and error handling; picocli copies them to the subcommands present at this point. */
    static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err, Terminal terminal) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(terminal.color()
                ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // "-e @vars.yml" is Ansible's extra-vars file, not a picocli argument file
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler(Errors::usageError);
        cl.setExecutionExceptionHandler(Errors::executionError);
        cl.setExitCodeExceptionMapper(t -> ExitCodes.ERROR);
        // an unknown word is a usage error even next to --help, which otherwise skips that check
        cl.setExecutionStrategy(parsed -> new CommandLine.RunLast().execute(UnknownCommands.reject(parsed)));
        versionEverywhere(cl);
        io.budgetctl.cli.lifecycle.AuditCommand.clientOptionalForVerify(cl);
        return cl;
    }

    /** {@code -V} of a subcommand (from its standard help mixin) prints budgetctl's version, not nothing. */
    private static void versionEverywhere(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().versionProvider(new BudgetctlCommand.Version());
            }
            versionEverywhere(sub);
        }
    }
}
