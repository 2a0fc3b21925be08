package io.budgetctl.modules.docker;

import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.modules.ModuleOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the docker modules share: finding the Compose command on the host (v2 plugin or v1), the project name
 * Compose would derive, the container listing format and its parser, and turning docker's stderr into one line.
 * The argv lists are built here and in each module as plain lists; quoting happens only in the connection.
 */
final class DockerSupport {
    static final String PROJECT_LABEL = "com.docker.compose.project";
    static final String SERVICE_LABEL = "com.docker.compose.service";
    static final String HASH_LABEL = "com.docker.compose.config-hash";
    /** One container a line: id, service, config hash, state (running, exited ...). */
    static final String PS_FORMAT = "{{.ID}}\t{{.Label \"" + SERVICE_LABEL + "\"}}\t{{.Label \"" + HASH_LABEL
            + "\"}}\t{{.State}}";

    private DockerSupport() {
    }

    /** Which Compose the host has: the v2 CLI plugin ({@code docker compose}) or v1 ({@code docker-compose}). */
    record Compose(List<String> command, String version) {
        boolean v2() {
            return command.size() == 2;
        }
    }

    static final List<String> COMPOSE_V2 = List.of("docker", "compose");
    static final List<String> COMPOSE_V1 = List.of("docker-compose");

    static List<String> versionArgv(List<String> compose) {
        List<String> a = new ArrayList<>(compose);
        a.addAll(List.of("version", "--short"));
        return a;
    }

    /** Tries v2 first, then v1; null when the host has neither. */
    static Compose findCompose(ModuleContext ctx) {
        for (List<String> c : List.of(COMPOSE_V2, COMPOSE_V1)) {
            ExecResult r = ctx.exec(ExecRequest.of(versionArgv(c).toArray(String[]::new)));
            if (r.ok() && !r.stdout().isBlank()) {
                return new Compose(c, r.stdout().strip());
            }
        }
        return null;
    }

    /**
     * The project name Compose derives from a directory when none is given: the directory's base name, lower
     * case, keeping only what both v1 and v2 keep (a-z, 0-9, _ and -; v1 drops - too, so we pass -p always).
     */
    static String defaultProjectName(String projectSrc) {
        String s = projectSrc;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        String base = s.substring(s.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String name = base.replaceAll("[^a-z0-9_-]", "");
        name = name.replaceAll("^[_-]+", "");
        return name.isEmpty() ? "default" : name;
    }

    /** {@code docker ps -a} of one Compose project, in {@link #PS_FORMAT}. */
    static List<String> psArgv(String project) {
        return List.of("docker", "ps", "-a", "--no-trunc", "--filter", "label=" + PROJECT_LABEL + "=" + project,
                "--format", PS_FORMAT);
    }

    /** One container of a project as {@code docker ps} shows it. */
    record ContainerRow(String id, String service, String configHash, String state) {
    }

    static List<ContainerRow> parsePs(String out) {
        List<ContainerRow> rows = new ArrayList<>();
        for (String line : ModuleOutput.lines(out)) {
            String[] f = line.split("\t", -1);
            if (f.length >= 4) {
                rows.add(new ContainerRow(f[0], f[1], f[2], f[3]));
            }
        }
        rows.sort(java.util.Comparator.comparing(ContainerRow::id));
        return rows;
    }

    /** A password argument may arrive as a {@link Secret} or as the revealed string; null stays null. */
    static String reveal(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof Secret s ? s.reveal() : v.toString();
    }

    /** The last non-blank line of docker's error output (docker puts the reason last), or a fallback. */
    static String reason(ExecResult r) {
        for (String text : List.of(r.stderr(), r.stdout())) {
            List<String> lines = ModuleOutput.lines(text);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
        }
        return "exit code " + r.exitCode();
    }

    static Map<String, Object> execData(ExecResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rc", r.exitCode());
        m.put("stdout", r.stdout());
        m.put("stderr", r.stderr());
        return m;
    }
}
