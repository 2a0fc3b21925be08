package io.budgetctl.engine.run;

/** ansible-playbook's exit codes, which budgetctl run keeps. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Other errors: bad options, a playbook that does not load or validate. */
    public static final int ERROR = 1;
    /** One or more hosts failed (and none was unreachable). */
    public static final int HOST_FAILED = 2;
    /** One or more hosts were unreachable; wins over {@link #HOST_FAILED}, as in ansible-playbook. */
    public static final int HOST_UNREACHABLE = 4;
    /** Bad command line or options. */
    public static final int USAGE = 5;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 99;

    private ExitCodes() {
    }
}
