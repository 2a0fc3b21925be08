package io.budgetctl.engine.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sudo conversation against a real process that behaves like {@code sudo -S -p PROMPT}: it prompts on stderr
 * (or not, like a NOPASSWD rule), reads one line per attempt, asks again after a wrong one, then runs
 * {@code echo MARKER; cat}. The real sudo is exercised by SshConnectionIT.
 */
class SudoHandshakeTest {

    /** $1 prompt, $2 marker, $3 the password it wants ("" = does not ask), $4 a lecture printed first. */
    private static final String FAKE_SUDO = """
            printf '%s' "$4" >&2
            if [ -n "$3" ]; then
              tries=0
              while :; do
                printf '%s' "$1" >&2
                IFS= read -r pw || { echo "sudo: no password was provided" >&2; exit 1; }
                [ "$pw" = "$3" ] && break
                tries=$((tries+1)); echo "Sorry, try again." >&2
                [ "$tries" -ge 3 ] && { echo "sudo: 3 incorrect password attempts" >&2; exit 1; }
              done
            fi
            echo "$2"
            exec cat
            """;

    private record Run(int exit, String out, String err, boolean refused) {
    }

    private static Run run(String configured, String wanted, String lecture, byte[] data) throws Exception {
        SudoHandshake h = SudoHandshake.create(Secret.of(configured));
        Process p = new ProcessBuilder(List.of("/bin/sh", "-c", FAKE_SUDO, "sudo", h.prompt(), h.marker(), wanted,
                lecture)).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = pump(p.getInputStream(), h.stdout(out));
        Thread e = pump(p.getErrorStream(), h.stderr(err));
        Thread in = new Thread(() -> {
            try {
                h.feed(p.getOutputStream(), data);
            } catch (IOException ignored) {
                // the process went away
            }
        });
        in.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the fake sudo finished").isTrue();
        o.join();
        e.join();
        h.end();
        in.join(5000);
        assertThat(in.isAlive()).as("the feeder returned").isFalse();
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                h.refused());
    }

    private static Thread pump(InputStream in, OutputStream sink) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // closed
            }
        });
        t.start();
        return t;
    }

    private static final byte[] CONTENT = "first line of the file\nrm -rf /tmp/x\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_sudo_that_does_not_ask_gets_the_content_without_the_password_in_front() throws Exception {
        // given a configured password and a NOPASSWD sudo
        // when
        Run r = run("s3cret", "", "", CONTENT);

        // then the command's stdin is exactly the content; the marker is not in the output
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(new String(CONTENT, StandardCharsets.UTF_8));
        assertThat(r.out() + r.err()).doesNotContain("s3cret").doesNotContain("BECOME-SUCCESS");
        assertThat(r.refused()).isFalse();
    }

    @Test
    void a_sudo_that_asks_gets_the_password_once_then_the_content() throws Exception {
        // when
        Run r = run("s3cret", "s3cret", "", CONTENT);

        // then
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(new String(CONTENT, StandardCharsets.UTF_8));
        assertThat(r.err()).isEmpty(); // the prompt is removed
        assertThat(r.refused()).isFalse();
    }

    @Test
    void a_wrong_password_is_refused_and_the_content_never_sent() throws Exception {
        // when
        Run r = run("wrong", "s3cret", "", CONTENT);

        // then sudo asked again: the feeder closed stdin instead of trying the content as a password
        assertThat(r.refused()).isTrue();
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Sorry, try again.").doesNotContain("password:").doesNotContain("first line");
        assertThat(SudoHandshake.refusedMessage("root", "web1"))
                .isEqualTo("sudo refused the become password (it asked again) for become_user root on web1:"
                        + " check ansible_become_password / become_password for this host");
    }

    @Test
    void sudos_lecture_before_the_prompt_stays_on_stderr() throws Exception {
        // when
        Run r = run("s3cret", "s3cret", "We trust you have received the usual lecture.\n", "x\n".getBytes());

        // then
        assertThat(r.out()).isEqualTo("x\n");
        assertThat(r.err()).isEqualTo("We trust you have received the usual lecture.\n");
    }

    @Test
    void a_prompt_split_across_writes_is_still_recognised_and_other_text_kept() throws Exception {
        // given
        SudoHandshake h = SudoHandshake.create(Secret.of("pw"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream filter = h.stderr(err);
        byte[] text = ("[sudo: a note]\n" + h.prompt()).getBytes(StandardCharsets.UTF_8);

        // when written one byte at a time
        for (byte b : text) {
            filter.write(b);
        }
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        Thread feeder = new Thread(() -> {
            try {
                h.feed(stdin, "data".getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // not with a byte array
            }
        });
        feeder.start();
        OutputStream out = h.stdout(new ByteArrayOutputStream());
        Thread.sleep(200);
        out.write((h.marker() + "\n").getBytes(StandardCharsets.UTF_8));
        feeder.join(5000);
        h.end();

        // then the prompt was seen (the password went out first), and the note that merely starts like it is kept
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("[sudo: a note]\n");
        assertThat(stdin.toString(StandardCharsets.UTF_8)).isEqualTo("pw\ndata");
    }

    @Test
    void output_without_the_marker_passes_through_and_nothing_is_written() throws Exception {
        // given
        SudoHandshake h = SudoHandshake.create(Secret.of("pw"));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();

        // when something else answers on stdout
        h.stdout(sink).write("BECOME-SUCCESS-not-the-key\n".getBytes(StandardCharsets.UTF_8));
        h.feed(stdin, "data".getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("BECOME-SUCCESS-not-the-key\n");
        assertThat(stdin.size()).isZero();
    }
}
