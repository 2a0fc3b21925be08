package io.budgetctl.cli.differential;

import io.budgetctl.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The outcome of one run of one tool: exit code, stdout, stderr, and the recap parsed from stdout. */
record ToolRun(String tool, List<String> command, int exitCode, String stdout, String stderr, Duration took) {
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    Map<String, String> recap() {
        return Recap.parse(stdout);
    }

    /** The last {@code lines} lines of stdout and stderr, for failure reports. */
    String tail(int lines) {
        return "--- " + tool + " stdout (tail) ---\n" + lastLines(stdout, lines)
                + "--- " + tool + " stderr (tail) ---\n" + lastLines(stderr, lines / 2);
    }

    private static String lastLines(String s, int n) {
        String[] all = s.split("\\R");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, all.length - n); i < all.length; i++) {
            b.append(all[i]).append('\n');
        }
        return b.toString();
    }

    /**
     * ansible-playbook as a subprocess in {@code cwd} with a clean, colourless, retry-file-free environment whose
     * temp dirs and config live under {@code work}.
     */
    static ToolRun ansible(Path executable, List<String> args, Path cwd, Path work) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        try {
            Files.createDirectories(work);
            Path cfg = work.resolve("ansible.cfg");
            if (!Files.exists(cfg)) {
                Files.writeString(cfg, "");
            }
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
            env.put("ANSIBLE_CONFIG", cfg.toString());
            env.put("ANSIBLE_NOCOLOR", "1");
            env.put("ANSIBLE_FORCE_COLOR", "0");
            env.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
            env.put("ANSIBLE_HOST_KEY_CHECKING", "0");
            env.put("ANSIBLE_LOCAL_TEMP", work.resolve("local-tmp").toString());
            env.put("ANSIBLE_REMOTE_TEMP", work.resolve("remote-tmp").toString());
            env.put("ANSIBLE_PYTHON_INTERPRETER", "auto_silent");
            Path out = work.resolve("stdout.txt");
            Path err = work.resolve("stderr.txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                    Path.of("/dev/null").toFile()));
            long t0 = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("ansible-playbook did not finish within " + TIMEOUT + ": " + command);
            }
            return new ToolRun("ansible-playbook", command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * budgetctl in this JVM, on its own thread so a hung run times out: through the command line
     * ({@code Main.run(out, err, "run", args...)}) or, with {@code viaEngine}, straight through
     * {@code Engine.run} with the console listener (for when the CLI's run command is not there yet).
     */
    static ToolRun budgetctl(List<String> args, boolean viaEngine) {
        List<String> command = new ArrayList<>();
        command.add("run");
        command.addAll(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "budgetctl-differential");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            Future<Integer> rc = pool.submit(() -> viaEngine ? EngineDirect.run(args, o, e)
                    : Main.run(o, e, command.toArray(String[]::new)));
            int code;
            try {
                code = rc.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException te) {
                rc.cancel(true);
                throw new IllegalStateException("budgetctl did not finish within " + TIMEOUT + ": " + command);
            } catch (ExecutionException ee) {
                StringWriter trace = new StringWriter();
                ee.getCause().printStackTrace(new PrintWriter(trace));
                err.write("\nMain.run threw (a bug: it should return an exit code):\n" + trace);
                code = -1;
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ie);
            }
            o.flush();
            e.flush();
            List<String> shown = new ArrayList<>();
            shown.add(viaEngine ? "Engine.run" : "budgetctl");
            shown.addAll(command);
            return new ToolRun("budgetctl", shown, code, out.toString(), err.toString(),
                    Duration.ofNanos(System.nanoTime() - t0));
        } finally {
            pool.shutdownNow();
        }
    }
}
