package io.budgetctl.cli;

import java.io.PrintWriter;

/** Entry point. Only {@link #main} calls System.exit; {@link #run} is what tests call. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        err.println("budgetctl: not wired yet");
        return 1;
    }
}
