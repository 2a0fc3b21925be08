package io.budgetctl.engine.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an {@link ExecRequest} into the final argv a transport runs: environment via {@code env}, working
 * directory via a tiny {@code sh -c 'cd ... && exec "$@"'}, become via {@code sudo} or {@code su}. The transport
 * either executes the argv directly (local) or joins it with {@link ShellQuote#join} (ssh). Unit-tested as exact
 * argument arrays.
 */
public final class CommandBuilder {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private CommandBuilder() {
    }

    public static List<String> argv(ExecRequest req) {
        return argv(req, null);
    }

    /** As {@link #argv(ExecRequest)} for a transport logged in as {@code loginUser} (see {@link Become#forLogin}). */
    public static List<String> argv(ExecRequest req, String loginUser) {
        List<String> cmd = new ArrayList<>();
        if (!req.env().isEmpty()) {
            cmd.add("env");
            for (Map.Entry<String, String> e : req.env().entrySet()) {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException("invalid environment variable name: " + e.getKey());
                }
                cmd.add(e.getKey() + "=" + e.getValue());
            }
        }
        if (req.cwd() != null) {
            cmd.addAll(List.of("/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", req.cwd()));
        }
        cmd.addAll(req.argv());
        Become b = req.become().forLogin(loginUser);
        if (!b.enabled()) {
            return cmd;
        }
        List<String> out = new ArrayList<>();
        if (b.method().equals("sudo")) {
            out.add("sudo");
            out.add("-H");
            if (b.password() != null) {
                out.addAll(List.of("-S", "-p", ""));
            } else {
                out.add("-n");
            }
            out.addAll(List.of("-u", b.user(), "--"));
            out.addAll(cmd);
        } else {
            out.addAll(List.of("su", "-s", "/bin/sh", "-c", ShellQuote.join(cmd), b.user()));
        }
        return out;
    }

    /** Stdin to send: with a sudo password, the password line comes first. */
    public static byte[] stdin(ExecRequest req) {
        return stdin(req, null);
    }

    /** As {@link #stdin(ExecRequest)} for a transport logged in as {@code loginUser}. */
    public static byte[] stdin(ExecRequest req, String loginUser) {
        byte[] in = req.stdin() == null ? new byte[0] : req.stdin();
        Become b = req.become().forLogin(loginUser);
        if (b.enabled() && b.method().equals("sudo") && b.password() != null) {
            byte[] pw = (b.password().reveal() + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[pw.length + in.length];
            System.arraycopy(pw, 0, all, 0, pw.length);
            System.arraycopy(in, 0, all, pw.length, in.length);
            return all;
        }
        return req.stdin();
    }
}
