package io.budgetctl.engine.connection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * {@code ansible_connection: local}: runs commands on this machine with commons-exec, no shell in between, in a clean
 * environment ({@link ControllerEnv}): the controller's secrets stay out of the commands a playbook runs.
 */
public final class LocalConnection extends ShellConnection {
    /** Output kept per stream; the rest is dropped and the result marked truncated. */
    public static final int MAX_OUTPUT = 16 * 1024 * 1024;

    /** The user this JVM runs as (from the password database): local commands start as this user. */
    static final String LOGIN_USER = System.getProperty("user.name");

    private final String host;

    public LocalConnection(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        roundTrips().exec();
        // like Ansible's local connection, the login user is the user running the controller
        List<String> argv = CommandBuilder.argv(request, LOGIN_USER);
        CommandLine cl = new CommandLine(argv.get(0));
        for (String a : argv.subList(1, argv.size())) {
            cl.addArgument(a, false);
        }
        BoundedBuffer out = new BoundedBuffer(MAX_OUTPUT);
        BoundedBuffer err = new BoundedBuffer(MAX_OUTPUT);
        byte[] in = CommandBuilder.stdin(request, LOGIN_USER);
        PumpStreamHandler streams = new PumpStreamHandler(out, err,
                new ByteArrayInputStream(in == null ? new byte[0] : in));
        DefaultExecutor ex = DefaultExecutor.builder().get();
        ex.setStreamHandler(streams);
        ex.setExitValues(null);
        ExecuteWatchdog dog = null;
        if (request.timeout() != null) {
            dog = ExecuteWatchdog.builder().setTimeout(request.timeout()).get();
            ex.setWatchdog(dog);
        }
        int code;
        try {
            code = ex.execute(cl, ControllerEnv.clean()); // no controller secrets in a task's command
        } catch (ExecuteException e) {
            code = e.getExitValue();
        } catch (IOException e) {
            // the program could not be started at all (missing binary): report like a shell would
            return new ExecResult(127, "", e.getMessage(), false);
        }
        if (dog != null && dog.killedProcess()) {
            return new ExecResult(124, out.text(), err.text() + "command timed out after "
                    + fmt(request.timeout()), out.truncated || err.truncated);
        }
        return new ExecResult(code, out.text(), err.text(), out.truncated || err.truncated);
    }

    private static String fmt(Duration d) {
        return d.toSeconds() + "s";
    }

    @Override
    public void close() {
        // nothing held open
    }

    static final class BoundedBuffer extends OutputStream {
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        private final int limit;
        boolean truncated;

        BoundedBuffer(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            if (buf.size() < limit) {
                buf.write(b);
            } else {
                truncated = true;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int room = limit - buf.size();
            if (len > room) {
                truncated = true;
                len = Math.max(room, 0);
            }
            buf.write(b, off, len);
        }

        String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
