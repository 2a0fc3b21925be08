package io.budgetctl.engine.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an {@link ExecRequest} into what a transport runs: the final argv, the bytes for its stdin, and, for
 * {@code sudo} with a password, the {@link SudoHandshake} that decides when stdin may be written. The working
 * directory goes through a tiny {@code sh -c 'cd ... && exec "$@"'}, become through {@code sudo} or {@code su}.
 * Environment values never go on a command line (where {@code ps} on the host, and sudo's log, would show them):
 * they are the first line of stdin, read by a {@code /bin/sh} prelude that exports them and then execs the command,
 * which reads the rest of stdin as it would have. The transport either executes the argv directly (local) or joins
 * it with {@link ShellQuote#join} (ssh). Unit-tested as exact argument arrays.
 */
public final class CommandBuilder {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The shell variable holding a newline while the environment line is evaluated. */
    private static final String NL = "_budgetctl_nl";

    /**
     * Reads one line from stdin and evaluates it: {@code export NAME='value' ...} as written by {@link #envLine}.
     * The shell's {@code read} takes the line byte by byte, so the rest of stdin is left for the command.
     */
    static final String ENV_PRELUDE = NL + "='\n'; IFS= read -r _budgetctl_env || { echo 'budgetctl: the task"
            + " environment did not arrive on stdin' >&2; exit 125; }; eval \"$_budgetctl_env\";"
            + " unset _budgetctl_env " + NL + "; ";

    private CommandBuilder() {
    }

    /** The argv, stdin and (for sudo with a password) handshake of one command. */
    public record Prepared(List<String> argv, byte[] stdin, SudoHandshake handshake) {
    }

    /** {@link #prepare(ExecRequest, String)} with an unknown login user. */
    public static List<String> argv(ExecRequest req) {
        return prepare(req, null).argv();
    }

    /** As {@link #argv(ExecRequest)} for a transport logged in as {@code loginUser} (see {@link Become#forLogin}). */
    public static List<String> argv(ExecRequest req, String loginUser) {
        return prepare(req, loginUser).argv();
    }

    /** Everything a transport logged in as {@code loginUser} (null: unknown) needs to run {@code req}. */
    public static Prepared prepare(ExecRequest req, String loginUser) {
        Become b = req.become().forLogin(loginUser);
        boolean ask = b.enabled() && b.method().equals("sudo") && b.password() != null;
        return prepare(req, b, ask ? SudoHandshake.create(b.password()) : null);
    }

    static Prepared prepare(ExecRequest req, Become b, SudoHandshake handshake) {
        for (String name : req.env().keySet()) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid environment variable name: " + name);
            }
        }
        List<String> cmd = new ArrayList<>();
        String prelude = (handshake == null ? "" : "echo " + handshake.marker() + "; ")
                + (req.env().isEmpty() ? "" : ENV_PRELUDE);
        if (!prelude.isEmpty()) {
            cmd.addAll(List.of("/bin/sh", "-c", prelude + "exec \"$@\"", "budgetctl"));
        }
        if (req.cwd() != null) {
            cmd.addAll(List.of("/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", req.cwd()));
        }
        cmd.addAll(req.argv());
        byte[] stdin = stdin(req);
        if (!b.enabled()) {
            return new Prepared(cmd, stdin, null);
        }
        List<String> out = new ArrayList<>();
        if (b.method().equals("sudo")) {
            out.add("sudo");
            out.add("-H");
            if (handshake != null) {
                out.addAll(List.of("-S", "-p", handshake.prompt()));
            } else {
                out.add("-n");
            }
            out.addAll(List.of("-u", b.user(), "--"));
            out.addAll(cmd);
        } else {
            out.addAll(List.of("su", "-s", "/bin/sh", "-c", ShellQuote.join(cmd), b.user()));
        }
        return new Prepared(out, stdin, handshake);
    }

    /** The command's stdin, after the environment line when there is an environment; null when there is neither. */
    private static byte[] stdin(ExecRequest req) {
        if (req.env().isEmpty()) {
            return req.stdin();
        }
        byte[] line = (envLine(req.env()) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] in = req.stdin() == null ? new byte[0] : req.stdin();
        byte[] all = new byte[line.length + in.length];
        System.arraycopy(line, 0, all, 0, line.length);
        System.arraycopy(in, 0, all, line.length, in.length);
        return all;
    }

    /**
     * {@code export A='1' B='two words'}: one line whatever the values hold (a newline in a value is written as
     * {@code "$_budgetctl_nl"} between quoted parts), quoted by {@link ShellQuote}.
     */
    static String envLine(Map<String, String> env) {
        StringBuilder sb = new StringBuilder("export");
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment variable " + e.getKey()
                        + " contains a NUL character, which an environment cannot hold");
            }
            sb.append(' ').append(e.getKey()).append('=');
            String[] parts = e.getValue().split("\n", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    sb.append("\"$" + NL + "\"");
                }
                sb.append(ShellQuote.quote(parts[i]));
            }
        }
        return sb.toString();
    }
}
