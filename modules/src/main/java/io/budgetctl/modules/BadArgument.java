package io.budgetctl.modules;

/**
 * A value a module cannot use, found once the spec's checks have passed (an unknown mode, a regex that does not
 * compile, a host command whose failure means the arguments were wrong): {@link ModuleBase#run} turns it into a
 * failed result with this message, so a module's helpers can stop the task from any depth without building a
 * result on the way back. Public because modules of several kinds throw it.
 */
public final class BadArgument extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadArgument(String message) {
        super(message);
    }
}
