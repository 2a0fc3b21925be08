package io.budgetctl.cli.ssh;

import io.budgetctl.engine.report.ConsoleListener;
import io.budgetctl.engine.run.Engine;
import io.budgetctl.engine.run.RunRequest;
import io.budgetctl.engine.ssh.TestHostsExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a playbook through the whole engine (load, validate, plan, execute over real SSH, report) the way
 * {@code budgetctl run} does, with the console listener writing into a buffer the test can read while it runs.
 */
final class PlaybookRun {
    private static final Pattern RECAP = Pattern.compile(
            "^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)", Pattern.MULTILINE);

    private final StringWriter buffer = new StringWriter();
    private final PrintWriter out = new PrintWriter(buffer, true);

    /** One host's line of the PLAY RECAP. */
    record Recap(int ok, int changed, int unreachable, int failed) {
    }

    /** Exit code and console output of one run. */
    record Outcome(int exitCode, String output) {
        Recap recap(String host) {
            Matcher m = RECAP.matcher(output);
            while (m.find()) {
                if (m.group(1).equals(host)) {
                    return new Recap(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                            Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
                }
            }
            throw new AssertionError("no recap line for " + host + " in:\n" + output);
        }
    }

    static Outcome run(Path playbook, Path inventory, boolean check, String... extraVars) {
        return new PlaybookRun().execute(playbook, inventory, check, extraVars);
    }

    Outcome execute(Path playbook, Path inventory, boolean check, String... extraVars) {
        RunRequest request = RunRequest.builder().playbook(playbook).inventory(inventory).extraVars(List.of(extraVars))
                .check(check).forks(10).build();
        int code = Engine.run(request, List.of(new ConsoleListener(out, false, 0, false)));
        out.flush();
        return new Outcome(code, output());
    }

    /** What the run has printed so far (safe to call from another thread while it runs). */
    String output() {
        synchronized (buffer) {
            return buffer.toString();
        }
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Runs a shell command inside a test host's container, as root, and returns its output. */
    static String onHost(TestHostsExtension hosts, int index, String script) throws Exception {
        return hosts.docker("exec", hosts.host(index).container(), "sh", "-c", script);
    }
}
