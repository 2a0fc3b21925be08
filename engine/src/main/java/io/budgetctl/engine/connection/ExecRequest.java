package io.budgetctl.engine.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One command to run on a host, as an argv list (never a shell string: quoting happens in exactly one place,
 * {@link ShellQuote}). {@code stdin} may be null. {@code env} is added to the command's environment. {@code cwd}
 * may be null (the login directory). {@code timeout} null means no limit.
 */
public record ExecRequest(List<String> argv, byte[] stdin, Map<String, String> env, String cwd, Become become,
                          Duration timeout) {
    public ExecRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        become = become == null ? Become.NONE : become;
    }

    public static ExecRequest of(String... argv) {
        return new ExecRequest(List.of(argv), null, Map.of(), null, Become.NONE, null);
    }

    /** Runs {@code script} with {@code /bin/sh -c}. */
    public static ExecRequest shell(String script) {
        return of("/bin/sh", "-c", script);
    }

    public ExecRequest withStdin(byte[] data) {
        return new ExecRequest(argv, data, env, cwd, become, timeout);
    }

    public ExecRequest withEnv(Map<String, String> e) {
        return new ExecRequest(argv, stdin, e, cwd, become, timeout);
    }

    public ExecRequest withCwd(String dir) {
        return new ExecRequest(argv, stdin, env, dir, become, timeout);
    }

    public ExecRequest withBecome(Become b) {
        return new ExecRequest(argv, stdin, env, cwd, b, timeout);
    }

    public ExecRequest withTimeout(Duration t) {
        return new ExecRequest(argv, stdin, env, cwd, become, t);
    }
}
