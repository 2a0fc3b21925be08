package io.budgetctl.modules.docker;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.docker.DockerSupport.Compose;
import io.budgetctl.modules.docker.DockerSupport.ContainerRow;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code docker_compose}: brings a Compose project up ({@code state: present}) or down ({@code absent}) on the host
 * with whichever Compose it has: the v2 plugin ({@code docker compose}) or v1 ({@code docker-compose}). The project
 * name is always passed with {@code -p} (default: the base name of {@code project_src}), so the module can find the
 * project's containers by label.
 *
 * <p>Changed: the project's containers (id and state, from {@code docker ps -a}) differ before and after. Check mode
 * (partial): compares {@code config --hash '*'} with the config-hash label of the running containers — a service
 * without a running container of the current configuration would change; it cannot see that a {@code pull} would
 * bring a newer image. With {@code wait: true} it waits until every container is running and, where a healthcheck
 * exists, healthy ({@code wait_timeout} seconds); an exited or unhealthy container fails the task with its name.
 */
public final class DockerComposeModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("project_src", Arg.required("path").withAliases("chdir"))
            .arg("project_name", Arg.of("str"))
            .arg("files", Arg.of("list"))
            .arg("env_file", Arg.of("path"))
            .arg("state", Arg.of("str").withDefault("present").withChoices("present", "absent"))
            .arg("pull", Arg.of("bool").withDefault(false))
            .arg("remove_orphans", Arg.of("bool").withDefault(false))
            .arg("remove_volumes", Arg.of("bool").withDefault(false))
            .arg("wait", Arg.of("bool").withDefault(false))
            .arg("wait_timeout", Arg.of("int").withDefault(120))
            .build();

    public DockerComposeModule() {
        super("docker_compose", SPEC, CheckMode.PARTIAL);
    }

    @Override
    public java.util.Set<String> aliases() {
        return java.util.Set.of("docker_compose_v2", "community.docker.docker_compose",
                "community.docker.docker_compose_v2");
    }

    /** The project as the arguments describe it. */
    record Project(String src, String name, List<String> files, String envFile) {
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String src = args.str("project_src");
        String name = args.str("project_name");
        Project p = new Project(src, name == null || name.isBlank() ? DockerSupport.defaultProjectName(src) : name,
                args.strings("files"), args.str("env_file"));
        boolean pull = args.bool("pull");
        boolean orphans = args.bool("remove_orphans");
        boolean volumes = args.bool("remove_volumes");
        boolean wait = args.bool("wait");
        int timeout = args.integer("wait_timeout", 120);
        boolean present = "present".equals(args.str("state"));

        Optional<FileStat> st = ctx.connection().stat(p.src(), ctx.become());
        if (st.isEmpty() || !st.get().isDirectory()) {
            if (!present && st.isEmpty()) {
                return Result.ok(ModuleOutput.map("project_name", p.name(), "containers", List.of()));
            }
            return Result.failed("project_src " + p.src() + " is not a directory on the host; render the project "
                    + "there first (template/copy)");
        }
        Compose compose = DockerSupport.findCompose(ctx);
        if (compose == null) {
            return Result.failed("neither 'docker compose' (v2 plugin) nor 'docker-compose' (v1) works on the host; "
                    + "install one (role docker-install) and check that this user may use Docker");
        }

        ExecResult before = ctx.exec(ExecRequest.of(DockerSupport.psArgv(p.name()).toArray(String[]::new)));
        if (!before.ok()) {
            return Result.failed("docker ps failed: " + DockerSupport.reason(before), DockerSupport.execData(before));
        }
        List<ContainerRow> rowsBefore = DockerSupport.parsePs(before.stdout());
        Map<String, Object> data = ModuleOutput.map("project_name", p.name(), "compose",
                String.join(" ", compose.command()), "compose_version", compose.version());

        if (ctx.check()) {
            return predict(ctx, compose, p, present, rowsBefore, data);
        }

        List<List<String>> steps = new ArrayList<>();
        if (present) {
            if (pull) {
                steps.add(pullArgv(compose.command(), p));
            }
            steps.add(upArgv(compose.command(), p, orphans));
        } else {
            steps.add(downArgv(compose.command(), p, orphans, volumes));
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (List<String> argv : steps) {
            ExecResult r = ctx.exec(ExecRequest.of(argv.toArray(String[]::new)).withCwd(p.src()));
            out.append(r.stdout());
            err.append(r.stderr());
            if (!r.ok()) {
                data.putAll(ModuleOutput.map("rc", r.exitCode(), "stdout", out.toString(), "stderr",
                        err.toString(), "cmd", argv));
                String sub = argv.get(base(compose.command(), p).size());
                return Result.failed("'" + String.join(" ", compose.command()) + " " + sub + "' failed: "
                        + DockerSupport.reason(r), data);
            }
        }
        data.put("stdout", out.toString());
        data.put("stderr", err.toString());

        ExecResult after = ctx.exec(ExecRequest.of(DockerSupport.psArgv(p.name()).toArray(String[]::new)));
        List<ContainerRow> rowsAfter = DockerSupport.parsePs(after.stdout());
        boolean changed = !rowsBefore.equals(rowsAfter);
        if (present && wait) {
            String problem = waitHealthy(ctx, rowsAfter, Duration.ofSeconds(timeout), data);
            if (problem != null) {
                data.put("containers", containers(rowsAfter));
                return new Result.Failed(problem, data);
            }
        }
        data.put("containers", containers(rowsAfter));
        return Result.of(changed, data);
    }

    private static List<Map<String, Object>> containers(List<ContainerRow> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ContainerRow r : rows) {
            out.add(ModuleOutput.map("id", r.id(), "service", r.service(), "state", r.state()));
        }
        return out;
    }

    /** Check mode: what up or down would do, from the config hashes; nothing is changed. */
    private static Result predict(ModuleContext ctx, Compose compose, Project p, boolean present,
                                  List<ContainerRow> rows, Map<String, Object> data) {
        if (!present) {
            data.put("containers", containers(rows));
            return Result.of(!rows.isEmpty(), data);
        }
        List<String> argv = hashArgv(compose.command(), p);
        ExecResult h = ctx.exec(ExecRequest.of(argv.toArray(String[]::new)).withCwd(p.src()));
        if (!h.ok()) {
            data.putAll(DockerSupport.execData(h));
            return Result.failed("the Compose configuration does not load: " + DockerSupport.reason(h), data);
        }
        List<String> wouldChange = servicesToChange(parseHashes(h.stdout()), rows);
        data.put("would_change", wouldChange);
        return Result.of(!wouldChange.isEmpty(), data);
    }

    /** {@code config --hash} output: service -> hash. */
    static Map<String, String> parseHashes(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : ModuleOutput.lines(out)) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2) {
                m.put(f[0], f[1]);
            }
        }
        return m;
    }

    /**
     * Services that {@code up -d} would create or recreate: no running container carrying the current config hash.
     * Containers of services no longer configured are orphans and do not count (remove_orphans aside).
     */
    static List<String> servicesToChange(Map<String, String> hashes, List<ContainerRow> rows) {
        List<String> out = new ArrayList<>();
        hashes.forEach((service, hash) -> {
            boolean current = rows.stream().anyMatch(r -> r.service().equals(service)
                    && r.configHash().equals(hash) && r.state().equals("running"));
            if (!current) {
                out.add(service);
            }
        });
        return out;
    }

    /**
     * Polls until every container runs and is healthy where it has a healthcheck. Returns null when it is so, else
     * why not (fails fast on exited or unhealthy containers).
     */
    private static String waitHealthy(ModuleContext ctx, List<ContainerRow> rows, Duration timeout,
                                      Map<String, Object> data) {
        if (rows.isEmpty()) {
            return null;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> argv = inspectArgv(rows.stream().map(ContainerRow::id).toList());
        String last = "";
        while (true) {
            ExecResult r = ctx.exec(ExecRequest.of(argv.toArray(String[]::new)));
            if (!r.ok()) {
                return "docker inspect failed: " + DockerSupport.reason(r);
            }
            List<Health> hs = parseInspect(r.stdout());
            data.put("health", hs.stream().map(h -> ModuleOutput.map("name", h.name(), "status", h.status(),
                    "health", h.health())).toList());
            List<String> bad = new ArrayList<>();
            List<String> waiting = new ArrayList<>();
            for (Health h : hs) {
                if (h.status().equals("exited") || h.status().equals("dead") || h.health().equals("unhealthy")) {
                    bad.add(h.name() + " (" + (h.health().equals("unhealthy") ? "unhealthy" : h.status()) + ")");
                } else if (!h.status().equals("running") || h.health().equals("starting")) {
                    waiting.add(h.name() + " (" + (h.health().isEmpty() ? h.status() : h.health()) + ")");
                }
            }
            if (!bad.isEmpty()) {
                return "not healthy: " + String.join(", ", bad) + "; see 'docker logs' of these containers";
            }
            if (waiting.isEmpty()) {
                return null;
            }
            last = String.join(", ", waiting);
            if (System.nanoTime() > deadline) {
                return "still not healthy after " + timeout.toSeconds() + " s: " + last
                        + "; raise wait_timeout or check the healthchecks";
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while waiting for " + last;
            }
        }
    }

    /** One container's name, status (running, exited ...) and health (empty when it has no healthcheck). */
    record Health(String name, String status, String health) {
    }

    static List<Health> parseInspect(String out) {
        List<Health> hs = new ArrayList<>();
        for (String line : ModuleOutput.lines(out)) {
            String[] f = line.split("\t", -1);
            if (f.length >= 3) {
                String n = f[0].startsWith("/") ? f[0].substring(1) : f[0];
                hs.add(new Health(n, f[1], f[2]));
            }
        }
        return hs;
    }

    static List<String> inspectArgv(List<String> ids) {
        List<String> a = new ArrayList<>(List.of("docker", "inspect", "--format",
                "{{.Name}}\t{{.State.Status}}\t{{if .State.Health}}{{.State.Health.Status}}{{end}}"));
        a.addAll(ids);
        return a;
    }

    /** The compose command with the project's global options: {@code -p NAME [-f FILE]... [--env-file FILE]}. */
    static List<String> base(List<String> compose, Project p) {
        List<String> a = new ArrayList<>(compose);
        a.add("-p");
        a.add(p.name());
        for (String f : p.files()) {
            a.add("-f");
            a.add(f);
        }
        if (p.envFile() != null) {
            a.add("--env-file");
            a.add(p.envFile());
        }
        return a;
    }

    static List<String> pullArgv(List<String> compose, Project p) {
        List<String> a = base(compose, p);
        a.add("pull");
        a.add("--quiet");
        return a;
    }

    static List<String> upArgv(List<String> compose, Project p, boolean removeOrphans) {
        List<String> a = base(compose, p);
        a.addAll(List.of("up", "-d"));
        if (removeOrphans) {
            a.add("--remove-orphans");
        }
        return a;
    }

    static List<String> downArgv(List<String> compose, Project p, boolean removeOrphans, boolean removeVolumes) {
        List<String> a = base(compose, p);
        a.add("down");
        if (removeOrphans) {
            a.add("--remove-orphans");
        }
        if (removeVolumes) {
            a.add("--volumes");
        }
        return a;
    }

    static List<String> hashArgv(List<String> compose, Project p) {
        List<String> a = base(compose, p);
        a.addAll(List.of("config", "--hash", "*"));
        return a;
    }
}
