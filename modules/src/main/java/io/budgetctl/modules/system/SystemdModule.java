package io.budgetctl.modules.system;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code systemd} (also answers to {@code service}): services through {@code systemctl}. The current state comes
 * from {@code systemctl show} and {@code systemctl is-enabled}, so check mode predicts exactly. Hosts where systemd
 * is not PID 1 (most containers) fail with a clear message instead of systemctl's "Failed to connect to bus".
 */
public final class SystemdModule extends ModuleBase {
    /** Exit 0 when systemd runs (sd_booted: /run/systemd/system exists); else prints PID 1's name, exit 3. */
    static final String BOOTED_SCRIPT =
            "[ -d /run/systemd/system ] && exit 0; cat /proc/1/comm 2>/dev/null || echo unknown; exit 3";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("name", Arg.of("str").withAliases("service", "unit"))
            .arg("state", Arg.of("str").withChoices("started", "stopped", "restarted", "reloaded"))
            .arg("enabled", Arg.of("bool"))
            .arg("daemon_reload", Arg.of("bool").withDefault(false).withAliases("daemon-reload"))
            .build();

    public SystemdModule() {
        super("systemd", SPEC, CheckMode.FULL);
    }

    @Override
    public Set<String> aliases() {
        return Set.of("ansible.builtin.systemd", "systemd_service", "ansible.builtin.systemd_service", "service",
                "ansible.builtin.service");
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String unit = args.str("name");
        String state = args.str("state");
        Boolean enabled = args.boolOrNull("enabled");
        boolean daemonReload = args.bool("daemon_reload");
        if (state == null && enabled == null && !daemonReload) {
            return Result.failed("one of the following is required: state, enabled, daemon_reload");
        }
        if (unit == null && (state != null || enabled != null)) {
            return Result.failed("missing parameter(s) required by 'state' or 'enabled': name");
        }
        if (unit != null && unit.matches(".*[*?\\[].*")) {
            return Result.failed("This module does not currently support using glob patterns, found in service "
                    + "name: " + unit);
        }

        ExecResult booted = ctx.exec(ExecRequest.of("/bin/sh", "-c", BOOTED_SCRIPT));
        if (!booted.ok()) {
            return Result.failed("systemd is not running on " + ctx.host() + " (PID 1 is '"
                    + booted.stdout().strip() + "'), so services cannot be managed with systemctl there; "
                    + "on a container without systemd, start the process another way (command/shell, "
                    + "docker_compose)");
        }

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", unit);
        data.put("status", new LinkedHashMap<>());
        boolean changed = false;
        if (daemonReload && !ctx.check()) {
            ExecResult r = ctx.exec(new ExecRequest(systemctl("daemon-reload"), null, null, null, null, null));
            if (!r.ok()) {
                return Result.failed("failure " + r.exitCode() + " during daemon-reload: " + r.stderr().strip());
            }
        }
        if (unit == null) {
            return Result.ok(data);
        }

        ExecResult show = ctx.exec(new ExecRequest(systemctl("show", "--", unit), null, null, null, null, null));
        Map<String, String> status = parseShow(show.stdout());
        data.put("status", status);
        String load = status.getOrDefault("LoadState", "not-found");
        if (load.equals("not-found")) {
            return Result.failed("Could not find the requested service " + unit + ": host", data);
        }
        if (!load.equals("masked") && status.containsKey("LoadError") && !status.get("LoadError").isBlank()) {
            return Result.failed("Error loading unit file '" + unit + "': " + status.get("LoadError"), data);
        }

        if (enabled != null) {
            ExecResult e = ctx.exec(new ExecRequest(systemctl("is-enabled", "--", unit), null, null, null, null,
                    null));
            boolean isEnabled = isEnabled(e.exitCode(), e.stdout());
            data.put("enabled", isEnabled);
            if (isEnabled != enabled) {
                changed = true;
                String action = enabled ? "enable" : "disable";
                if (!ctx.check()) {
                    ExecResult r = ctx.exec(new ExecRequest(systemctl(action, "--", unit), null, null, null, null,
                            null));
                    if (!r.ok()) {
                        return Result.failed("Unable to " + action + " service " + unit + ": " + r.stdout()
                                + r.stderr(), data);
                    }
                }
                data.put("enabled", enabled);
            }
        }

        if (state != null) {
            String action = action(state, status.getOrDefault("ActiveState", ""));
            data.put("state", state.equals("stopped") ? "stopped" : "started");
            if (action != null) {
                changed = true;
                if (!ctx.check()) {
                    ExecResult r = ctx.exec(new ExecRequest(systemctl(action, "--", unit), null, null, null, null,
                            null));
                    if (!r.ok()) {
                        return Result.failed("Unable to " + action + " service " + unit + ": " + r.stderr().strip(),
                                data);
                    }
                }
            }
        }
        return Result.of(changed, data);
    }

    /** The systemctl verb needed to reach {@code state} from {@code activeState}, or null when already there. */
    static String action(String state, String activeState) {
        boolean running = activeState.equals("active") || activeState.equals("activating");
        return switch (state) {
            case "started" -> running ? null : "start";
            case "stopped" -> running || activeState.equals("deactivating") ? "stop" : null;
            case "restarted" -> running ? "restart" : "start";
            case "reloaded" -> running ? "reload" : "start";
            default -> throw new IllegalArgumentException("unknown state " + state);
        };
    }

    /** {@code systemctl is-enabled}: exit 0 means enabled, except for units that are only indirect or an alias. */
    static boolean isEnabled(int exitCode, String out) {
        if (exitCode != 0) {
            return false;
        }
        List<String> lines = ModuleOutput.lines(out.strip());
        return !(lines.equals(List.of("indirect")) || lines.equals(List.of("alias")));
    }

    static List<String> systemctl(String... args) {
        List<String> a = new java.util.ArrayList<>();
        a.add("systemctl");
        a.addAll(List.of(args));
        return a;
    }

    /**
     * {@code systemctl show} output as a map. Only {@code Exec*} values may continue over several lines (between
     * braces), as in Ansible's parser; anything else is one line.
     */
    static Map<String, String> parseShow(String out) {
        Map<String, String> parsed = new LinkedHashMap<>();
        String key = null;
        StringBuilder multi = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (key == null) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = line.substring(0, eq);
                String v = line.substring(eq + 1);
                if (k.startsWith("Exec") && v.strip().startsWith("{") && !v.stripTrailing().endsWith("}")) {
                    key = k;
                    multi.setLength(0);
                    multi.append(v);
                    continue;
                }
                parsed.put(k, v.strip());
            } else {
                multi.append('\n').append(line);
                if (line.stripTrailing().endsWith("}")) {
                    parsed.put(key, multi.toString().strip());
                    key = null;
                }
            }
        }
        return parsed;
    }
}
