package io.budgetctl.release;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Runs one job of a GitHub Actions workflow the way a hosted runner would, as far as budgetctl's templates need it:
 * every {@code run:} step in order, each as {@code bash --noprofile --norc -eo pipefail} in the checked-out
 * workspace with the workflow's, the job's and the step's {@code env:}; {@code $GITHUB_PATH}, {@code $GITHUB_ENV}
 * and {@code $GITHUB_OUTPUT} honoured between steps; the job's {@code outputs:} read at its end. The job runs in a
 * fresh container of {@code image} (our Debian base with git and curl), the workspace mounted at
 * /github/workspace, this machine's JDK mounted where {@code actions/setup-java} would have put one; the container
 * shares the host's network, so the test's HTTP server and test hosts on 127.0.0.1 are reachable.
 *
 * <p>{@code ${{ ... }}} expressions are allowed only in {@code env:} values and job outputs, and only these:
 * {@code vars.X}, {@code secrets.X} and {@code github.*} (from the maps given), {@code runner.temp},
 * {@code steps.ID.outputs.K} and {@code needs.JOB.outputs.K}; anything else fails the run, so a template cannot
 * depend on something this runner does not give. An expression inside a {@code run:} script is refused (it would
 * be pasted into the script before bash sees it: the script-injection pattern). {@code uses:} steps other than
 * checkout and setup-java (artifact uploads) are reported as skipped. Job and step {@code if:} conditions are not
 * evaluated: the test picks the jobs an event runs.
 */
final class LocalActionsRunner {
    private static final Pattern EXPR = Pattern.compile("\\$\\{\\{\\s*([^}]*?)\\s*}}");

    private final Map<String, Object> workflow;
    private final String image;
    private final Map<String, String> vars;
    private final Map<String, String> secrets;
    private final Map<String, String> github;
    private final Map<String, Map<String, String>> jobOutputs = new LinkedHashMap<>();

    /** What one job printed, its exit code and its outputs. */
    record JobRun(int exit, String log, Map<String, String> outputs) {
    }

    @SuppressWarnings("unchecked")
    LocalActionsRunner(Path workflowFile, String image, Map<String, String> vars, Map<String, String> secrets,
                       Map<String, String> github) throws IOException {
        this.workflow = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(workflowFile));
        this.image = image;
        this.vars = vars;
        this.secrets = secrets;
        this.github = github;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> job(String name) {
        Map<String, Object> jobs = (Map<String, Object>) workflow.get("jobs");
        Object j = jobs.get(name);
        if (!(j instanceof Map)) {
            throw new IllegalArgumentException("the workflow has no job '" + name + "'; it has " + jobs.keySet());
        }
        return (Map<String, Object>) j;
    }

    /** Runs job {@code name} against {@code workspace} (a git checkout, changed in place as on a runner). */
    @SuppressWarnings("unchecked")
    JobRun run(String name, Path workspace, Path scratch) throws IOException, InterruptedException {
        Map<String, Object> job = job(name);
        Path dir = Files.createDirectories(scratch.resolve("job-" + name));
        StringBuilder sh = new StringBuilder("""
                set -u
                export CI=true GITHUB_ACTIONS=true GITHUB_WORKSPACE=/github/workspace HOME=/root
                export RUNNER_TEMP=/github/runner_temp GITHUB_PATH=/github/job/path GITHUB_ENV=/github/job/env
                mkdir -p "$RUNNER_TEMP" /github/job/steps; : > "$GITHUB_PATH"; : > "$GITHUB_ENV"
                ghout() { sed -n "s/^$2=//p" "/github/job/steps/$1" 2>/dev/null | tail -1; }
                """);
        sh.append("export GITHUB_EVENT_NAME=").append(quote(github.getOrDefault("event_name", ""))).append('\n');
        List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
        for (int i = 0; i < steps.size(); i++) {
            Map<String, Object> step = steps.get(i);
            String label = String.valueOf(step.getOrDefault("name", step.getOrDefault("uses", "step " + (i + 1))));
            sh.append("echo ").append(quote("::step:: " + label)).append('\n');
            if (step.containsKey("uses")) {
                String uses = String.valueOf(step.get("uses"));
                if (uses.startsWith("actions/checkout@")) {
                    sh.append("cd /github/workspace\n");
                } else if (uses.startsWith("actions/setup-java@")) {
                    sh.append("export JAVA_HOME=/opt/hostedtoolcache/java; export PATH=\"$JAVA_HOME/bin:$PATH\"\n");
                } else {
                    sh.append("echo ").append(quote("skipped here (runs only on GitHub): " + uses)).append('\n');
                }
                continue;
            }
            String script = String.valueOf(step.get("run"));
            if (EXPR.matcher(script).find()) {
                throw new IllegalArgumentException("step '" + label + "' of job '" + name + "' has an expression in"
                        + " its run: script; pass it through env: instead");
            }
            Path file = dir.resolve("step-" + (i + 1) + ".sh");
            Files.writeString(file, script, StandardCharsets.UTF_8);
            String id = step.get("id") == null ? "step-" + (i + 1) : String.valueOf(step.get("id"));
            sh.append("(\n  while IFS= read -r p; do [ -n \"$p\" ] && PATH=\"$p:$PATH\"; done < \"$GITHUB_PATH\"\n")
                    .append("  set -a; . \"$GITHUB_ENV\"; set +a\n");
            Map<String, Object> env = new LinkedHashMap<>();
            env.putAll(map(workflow.get("env")));
            env.putAll(map(job.get("env")));
            env.putAll(map(step.get("env")));
            for (Map.Entry<String, Object> e : env.entrySet()) {
                sh.append("  export ").append(e.getKey()).append('=').append(value(String.valueOf(e.getValue())))
                        .append('\n');
            }
            sh.append("  export GITHUB_OUTPUT=/github/job/steps/").append(id).append("; : > \"$GITHUB_OUTPUT\"\n")
                    .append("  cd /github/workspace && exec bash --noprofile --norc -eo pipefail /github/job/")
                    .append(file.getFileName()).append("\n) || { code=$?; echo ")
                    .append(quote("::failed:: " + label)).append("; exit $code; }\n");
        }
        Map<String, Object> outputs = map(job.get("outputs"));
        for (Map.Entry<String, Object> o : outputs.entrySet()) {
            sh.append("printf '%s=%s\\n' ").append(quote(o.getKey())).append(' ')
                    .append(value(String.valueOf(o.getValue()))).append(" >> /github/job/outputs\n");
        }
        Files.writeString(dir.resolve("run.sh"), sh.toString(), StandardCharsets.UTF_8);
        Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "host",
                "-v", workspace.toAbsolutePath() + ":/github/workspace",
                "-v", dir.toAbsolutePath() + ":/github/job",
                "-v", javaHome + ":/opt/hostedtoolcache/java:ro"));
        // Debian's JDK links its configuration and CA store from /etc: give the container the same targets
        for (String etc : List.of("/etc/java-17-openjdk", "/etc/ssl/certs/java")) {
            if (Files.isDirectory(Path.of(etc))) {
                cmd.addAll(List.of("-v", etc + ":" + etc + ":ro"));
            }
        }
        cmd.addAll(List.of(image, "bash", "/github/job/run.sh"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log;
        try (InputStream in = p.getInputStream()) {
            log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("job " + name + " did not finish in 10 minutes:\n" + log);
        }
        Map<String, String> out = new LinkedHashMap<>();
        Path outFile = dir.resolve("outputs");
        if (p.exitValue() == 0 && Files.exists(outFile)) {
            for (String line : Files.readAllLines(outFile)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        jobOutputs.put(name, out);
        return new JobRun(p.exitValue(), log, out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    /** A value with its expressions, as a bash word: known values quoted in, step outputs read at run time. */
    private String value(String text) {
        StringBuilder b = new StringBuilder();
        Matcher m = EXPR.matcher(text);
        int last = 0;
        while (m.find()) {
            b.append(quote(text.substring(last, m.start())));
            b.append(expression(m.group(1)));
            last = m.end();
        }
        b.append(quote(text.substring(last)));
        return b.toString();
    }

    private String expression(String e) {
        String[] parts = e.split("\\.");
        switch (parts[0]) {
            case "vars":
                return quote(vars.getOrDefault(parts[1], ""));
            case "secrets":
                return quote(secrets.getOrDefault(parts[1], ""));
            case "github":
                return quote(github.getOrDefault(e.substring("github.".length()), ""));
            case "runner":
                if (e.equals("runner.temp")) {
                    return "\"$RUNNER_TEMP\"";
                }
                break;
            case "steps":
                if (parts.length == 4 && parts[2].equals("outputs")) {
                    return "\"$(ghout " + quote(parts[1]) + " " + quote(parts[3]) + ")\"";
                }
                break;
            case "needs":
                if (parts.length == 4 && parts[2].equals("outputs")) {
                    Map<String, String> o = jobOutputs.get(parts[1]);
                    if (o == null) {
                        throw new IllegalStateException("'" + e + "' needs job " + parts[1] + " to have run first");
                    }
                    return quote(o.getOrDefault(parts[3], ""));
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("this runner does not know the expression ${{ " + e + " }}");
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
