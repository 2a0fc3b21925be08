package io.budgetctl.cli.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.cli.Main;
import io.budgetctl.lifecycle.fleet.CustomerJob;
import io.budgetctl.lifecycle.fleet.FleetCustomer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fleet's per-customer job: the single-customer {@code budgetctl deploy} exactly as an operator runs it
 * (the command through {@link Main#runCommand}, with its options), with its output in {@code <log dir>/<customer>.log}. A failure's one-line reason is the deploy's
 * own: the message of its last failed or unreachable task (the deploy's failure summary), else its last
 * {@code ERROR!} line.
 */
final class FleetDeployJob implements CustomerJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path logDir;
    private final List<String> deployArgs;

    /**
     * @param logDir     where the per-customer logs go
     * @param deployArgs the deploy options every customer gets ({@code --repo}, {@code --version} ...), without
     *                   {@code --client}
     */
    FleetDeployJob(Path logDir, List<String> deployArgs) {
        this.logDir = logDir;
        this.deployArgs = List.copyOf(deployArgs);
    }

    /** The deploy options from what the journal recorded ({@code repo}, {@code version}, {@code health_timeout}). */
    static List<String> args(Map<String, String> job) {
        List<String> a = new ArrayList<>();
        a.add("--repo");
        a.add(job.get("repo"));
        if (job.get("version") != null) {
            a.add("--version");
            a.add(job.get("version"));
        }
        if (job.get("health_timeout") != null) {
            a.add("--health-timeout");
            a.add(job.get("health_timeout"));
        }
        return a;
    }

    /** {@link #args(Map)} and then {@code extra} (the fleet command's checked {@code -e} arguments). */
    static List<String> args(Map<String, String> job, List<String> extra) {
        List<String> a = args(job);
        a.addAll(extra);
        return a;
    }

    @Override
    public Outcome run(FleetCustomer customer) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(customer.id() + ".log");
        List<String> args = new ArrayList<>(List.of("deploy", "--client", customer.id()));
        args.addAll(deployArgs);
        int code;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            w.println("=== budgetctl " + String.join(" ", args) + " (" + Instant.now() + ")");
            code = Main.runCommand(new DeployCommand().inFile(), w, w,
                    args.subList(1, args.size()).toArray(String[]::new));
            w.println("=== exit " + code);
        }
        if (code == 0) {
            return Outcome.ok(log.toString());
        }
        return Outcome.failed(reason(Files.readAllLines(log, StandardCharsets.UTF_8), code), log.toString());
    }

    /** The last failed task's message, else the last ERROR! line, else the exit code; one line, no colour codes. */
    static String reason(List<String> lines, int code) {
        String found = null;
        for (int i = lines.size() - 1; i >= 0 && found == null; i--) {
            String l = lines.get(i).replaceAll("\u001B\\[[0-9;]*m", "");
            for (String mark : List.of("FAILED! => ", "UNREACHABLE! => ")) {
                int arrow = l.indexOf(mark);
                if (found == null && l.startsWith("fatal: [") && arrow > 0) {
                    String prefix = mark.startsWith("UNREACHABLE") ? "unreachable: " : "";
                    try {
                        JsonNode n = JSON.readTree(l.substring(arrow + mark.length()));
                        found = n.hasNonNull("msg") ? prefix + n.get("msg").asText() : l;
                    } catch (IOException e) {
                        found = l;
                    }
                }
            }
        }
        for (int i = lines.size() - 1; i >= 0 && found == null; i--) {
            String l = lines.get(i).replaceAll("\u001B\\[[0-9;]*m", "");
            if (l.startsWith("ERROR! ")) {
                found = l.substring("ERROR! ".length());
            }
        }
        if (found == null) {
            found = "deploy exited with code " + code;
        }
        String one = found.replaceAll("\\s+", " ").strip();
        return one.length() > 400 ? one.substring(0, 397) + "..." : one;
    }
}
