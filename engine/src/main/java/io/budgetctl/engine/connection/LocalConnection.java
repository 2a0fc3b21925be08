package io.budgetctl.engine.connection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteStreamHandler;
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
        CommandBuilder.Prepared prepared = CommandBuilder.prepare(request, LOGIN_USER);
        List<String> argv = prepared.argv();
        CommandLine cl = new CommandLine(argv.get(0));
        for (String a : argv.subList(1, argv.size())) {
            cl.addArgument(a, false);
        }
        BoundedBuffer out = new BoundedBuffer(MAX_OUTPUT);
        BoundedBuffer err = new BoundedBuffer(MAX_OUTPUT);
        byte[] in = prepared.stdin();
        SudoHandshake sudo = prepared.handshake();
        ExecuteStreamHandler streams = sudo == null
                ? new PumpStreamHandler(out, err, new ByteArrayInputStream(in == null ? new byte[0] : in))
                : new HandshakeStreams(sudo, out, err, in);
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
        if (sudo != null && sudo.refused()) {
            return new ExecResult(code, out.text(), SudoHandshake.refusedMessage(request.become().user(), host)
                    + "\n" + err.text(), out.truncated || err.truncated);
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

    /**
     * Streams for a {@code sudo -S} command: stdout and stderr through the handshake's filters, stdin written by
     * {@link SudoHandshake#feed} (the password only when sudo prompts, the content only once the command runs).
     */
    private static final class HandshakeStreams implements ExecuteStreamHandler {
        private final SudoHandshake sudo;
        private final OutputStream out;
        private final OutputStream err;
        private final byte[] data;
        private OutputStream processIn;
        private InputStream processOut;
        private InputStream processErr;
        private final List<Thread> pumps = new ArrayList<>();
        private Thread feeder;

        HandshakeStreams(SudoHandshake sudo, OutputStream out, OutputStream err, byte[] data) {
            this.sudo = sudo;
            this.out = sudo.stdout(out);
            this.err = sudo.stderr(err);
            this.data = data;
        }

        @Override
        public void setProcessInputStream(OutputStream os) {
            processIn = os;
        }

        @Override
        public void setProcessOutputStream(InputStream is) {
            processOut = is;
        }

        @Override
        public void setProcessErrorStream(InputStream is) {
            processErr = is;
        }

        @Override
        public void start() {
            pumps.add(daemon(() -> copy(processOut, out), "out"));
            pumps.add(daemon(() -> copy(processErr, err), "err"));
            feeder = daemon(() -> {
                try {
                    sudo.feed(processIn, data);
                } catch (IOException ignored) {
                    // the process closed its stdin (it exited): nothing more to send
                }
            }, "in");
        }

        @Override
        public void stop() throws IOException {
            // called after the process exited: its output ends, so the pumps finish
            for (Thread t : pumps) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sudo.end();
            feeder.interrupt();
        }

        private static void copy(InputStream in, OutputStream sink) {
            byte[] buf = new byte[32 * 1024];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    sink.write(buf, 0, n);
                }
            } catch (IOException ignored) {
                // the stream closed under us: what arrived is kept
            }
        }

        private static Thread daemon(Runnable r, String what) {
            Thread t = new Thread(r, "budgetctl-local-sudo-" + what);
            t.setDaemon(true);
            t.start();
            return t;
        }
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
