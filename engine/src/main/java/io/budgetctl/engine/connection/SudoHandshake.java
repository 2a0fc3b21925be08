package io.budgetctl.engine.connection;

import io.budgetctl.engine.api.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The conversation with {@code sudo -S} when a become password is configured, as Ansible holds it: sudo is started
 * with a prompt that carries a random key ({@code -p "[sudo via budgetctl, key=K] password:"}) and the command is
 * preceded by {@code echo BECOME-SUCCESS-K}. Nothing is written to the command's stdin until one of the two is seen:
 * the prompt on stderr (then the password, once), or the success marker on stdout (then the command's own stdin).
 * So a host whose sudo does not ask (a NOPASSWD rule) never receives the password as the first line of copied
 * content or of an {@code sh -s} script, and a host that asks again (wrong password) gets EOF instead of the
 * command's stdin.
 *
 * <p>Use: wrap the transport's stdout and stderr sinks with {@link #stdout} and {@link #stderr}, let one thread
 * call {@link #feed} with the process's stdin, and call {@link #end} when the process has exited (this releases a
 * feeder that is still waiting and flushes what the filters held back). Then {@link #refused()} tells whether sudo
 * turned the password down. The prompt and the marker are removed from the output.
 */
public final class SudoHandshake {
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { WAITING, PROMPTED, PASSWORD_SENT, SUCCEEDED, REFUSED, ENDED }

    private final Secret password;
    private final String key;
    private final byte[] promptBytes;
    private final byte[] markerLine;
    private State state = State.WAITING;
    private OutputStream stderrFilter;

    SudoHandshake(Secret password, String key) {
        this.password = password;
        this.key = key;
        this.promptBytes = prompt().getBytes(StandardCharsets.UTF_8);
        this.markerLine = (marker() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A handshake with a fresh random key (32 lowercase letters, like Ansible's). */
    static SudoHandshake create(Secret password) {
        char[] k = new char[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (char) ('a' + RANDOM.nextInt(26));
        }
        return new SudoHandshake(password, new String(k));
    }

    /** The argument of {@code sudo -p}. */
    public String prompt() {
        return "[sudo via budgetctl, key=" + key + "] password:";
    }

    /** The line the command prints first, once sudo let it run. */
    public String marker() {
        return "BECOME-SUCCESS-" + key;
    }

    /** True when sudo asked for the password again after it was sent: the become password is wrong. */
    public synchronized boolean refused() {
        return state == State.REFUSED;
    }

    /** The one-line explanation for a refused password, for {@code user} on {@code host}. */
    public static String refusedMessage(String becomeUser, String host) {
        return "sudo refused the become password (it asked again) for become_user " + becomeUser + " on " + host
                + ": check ansible_become_password / become_password for this host";
    }

    /**
     * Writes to {@code processStdin}, in order: the password once sudo prompts for it, then {@code data} once the
     * command has started; then closes it (EOF). Returns early, sending nothing more, when sudo refuses the
     * password, the command ends first, or the thread is interrupted. Blocks: call it on its own thread.
     */
    public void feed(OutputStream processStdin, byte[] data) throws IOException {
        try (OutputStream os = processStdin) {
            while (true) {
                State s;
                synchronized (this) {
                    while (state == State.WAITING || state == State.PASSWORD_SENT) {
                        wait();
                    }
                    s = state;
                    if (s == State.PROMPTED) {
                        state = State.PASSWORD_SENT;
                    }
                }
                if (s == State.PROMPTED) {
                    byte[] pw = (password.reveal() + "\n").getBytes(StandardCharsets.UTF_8);
                    os.write(pw);
                    os.flush();
                    Arrays.fill(pw, (byte) 0);
                    continue;
                }
                if (s == State.SUCCEEDED && data != null && data.length > 0) {
                    os.write(data);
                    os.flush();
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The process has exited and its output was read: a waiting {@link #feed} returns, and what the stderr filter
     * held back (a partial prompt) goes out.
     */
    public void end() throws IOException {
        OutputStream err;
        synchronized (this) {
            if (state != State.SUCCEEDED && state != State.REFUSED) {
                state = State.ENDED;
            }
            notifyAll();
            err = stderrFilter;
        }
        if (err != null) {
            err.flush();
        }
    }

    private synchronized void promptSeen() {
        if (state == State.WAITING) {
            state = State.PROMPTED;
        } else if (state == State.PASSWORD_SENT) {
            state = State.REFUSED; // the password went out and sudo asks again
        }
        notifyAll();
    }

    private synchronized void markerSeen(boolean seen) {
        if (state == State.WAITING || state == State.PROMPTED || state == State.PASSWORD_SENT) {
            // no marker but output: not the command we started; send it nothing
            state = seen ? State.SUCCEEDED : State.ENDED;
        }
        notifyAll();
    }

    private synchronized boolean decided() {
        return state == State.SUCCEEDED || state == State.REFUSED || state == State.ENDED;
    }

    /** Filters stdout: drops the marker line at the start and reports it. */
    public OutputStream stdout(OutputStream sink) {
        return new OutputStream() {
            private final ByteArrayOutputStream head = new ByteArrayOutputStream();
            private boolean passing;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                if (passing) {
                    sink.write(b, off, len);
                    return;
                }
                int need = markerLine.length - head.size();
                int take = Math.min(need, len);
                head.write(b, off, take);
                byte[] h = head.toByteArray();
                if (!Arrays.equals(h, 0, h.length, markerLine, 0, h.length)) {
                    passing = true; // not the marker: pass everything through
                    sink.write(h);
                    sink.write(b, off + take, len - take);
                    markerSeen(false);
                    return;
                }
                if (h.length == markerLine.length) {
                    passing = true;
                    markerSeen(true);
                    sink.write(b, off + take, len - take);
                }
            }
        };
    }

    /** Filters stderr: removes sudo's prompt (each time it appears before the command starts) and reports it. */
    public synchronized OutputStream stderr(OutputStream sink) {
        stderrFilter = new OutputStream() {
            private final ByteArrayOutputStream held = new ByteArrayOutputStream();

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                if (decided() && held.size() == 0) {
                    sink.write(b, off, len);
                    return;
                }
                held.write(b, off, len);
                byte[] h = held.toByteArray();
                int at;
                int from = 0;
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                while ((at = indexOf(h, promptBytes, from)) >= 0) {
                    rest.write(h, from, at - from);
                    from = at + promptBytes.length;
                    promptSeen();
                }
                // keep a tail that could be the start of a prompt; the rest is ordinary stderr
                int keep = decided() ? 0 : partialPromptAt(h, from);
                rest.write(h, from, h.length - from - keep);
                sink.write(rest.toByteArray());
                held.reset();
                held.write(h, h.length - keep, keep);
            }

            @Override
            public synchronized void flush() throws IOException {
                if (decided() && held.size() > 0) {
                    sink.write(held.toByteArray());
                    held.reset();
                }
                sink.flush();
            }
        };
        return stderrFilter;
    }

    /** How many bytes at the end of {@code h} (from {@code from}) are a proper prefix of the prompt. */
    private int partialPromptAt(byte[] h, int from) {
        int max = Math.min(promptBytes.length - 1, h.length - from);
        for (int n = max; n > 0; n--) {
            if (Arrays.equals(h, h.length - n, h.length, promptBytes, 0, n)) {
                return n;
            }
        }
        return 0;
    }

    private static int indexOf(byte[] h, byte[] needle, int from) {
        outer:
        for (int i = from; i <= h.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (h[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
