package io.budgetctl.engine.template;

import com.hubspot.jinjava.el.ext.NamedParameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code lookup()}, {@code query()}/{@code q()}: env, file, template, pipe, lines, fileglob, first_found, vars. They
 * run on the controller (the machine running budgetctl), never on the host; relative paths are searched as Ansible
 * searches them: the role's {@code files/} (or {@code templates/}) and the role, then the playbook directory's.
 */
public final class Lookups {
    static final List<String> NAMES = List.of("env", "file", "template", "pipe", "lines", "fileglob", "first_found",
            "vars", "subelements");

    private Lookups() {
    }

    /** {@code lookup(name, terms..., key=value...)}: one result as text, several joined by commas. */
    public static Object lookup(String name, Object... args) {
        List<Object> results = run(name, args);
        Map<String, Object> kw = kwargs(args);
        unsafe(kw);
        if (Py.truth(kw.getOrDefault("wantlist", false)) || results.isEmpty()) {
            return results; // as Ansible: no results is an empty list, not an empty string
        }
        if (results.size() == 1) {
            return results.get(0);
        }
        List<String> parts = new ArrayList<>();
        for (Object r : results) {
            parts.add(Py.str(r));
        }
        return String.join(",", parts);
    }

    /** {@code query(name, terms...)}: always a list. */
    public static Object query(String name, Object... args) {
        List<Object> results = run(name, args);
        unsafe(kwargs(args));
        return results;
    }

    /**
     * A lookup's result is data read on the controller (a file, a command's output, an environment variable): it is
     * never templated again unless the author says {@code allow_unsafe=True}, as in Ansible.
     */
    private static void unsafe(Map<String, Object> kw) {
        if (!Py.truth(kw.getOrDefault("allow_unsafe", false))) {
            Taint.mark();
        }
    }

    private static Map<String, Object> kwargs(Object[] args) {
        Map<String, Object> kw = new LinkedHashMap<>();
        for (Object a : args) {
            if (a instanceof NamedParameter np) {
                kw.put(np.getName(), np.getValue());
            }
        }
        return kw;
    }

    private static List<Object> run(String name, Object[] args) {
        if (Taint.lookupsDisabled()) {
            throw new TemplateFailure("lookup('" + name + "') refused: this expression's text came from a host or a "
                    + "lookup, and such text is data", "compare the value instead of evaluating it: "
                    + "when: result.stdout == 'yes'");
        }
        List<Object> raw = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof Undefined u) {
                throw u.fail();
            }
            if (!(a instanceof NamedParameter)) {
                if (a instanceof List<?> l) {
                    raw.addAll(l);
                } else {
                    raw.add(a);
                }
            }
        }
        Map<String, Object> kw = kwargs(args);
        RenderState state = RenderState.current();
        if (name.equals("first_found")) {
            return FirstFound.find(raw, kw, state);
        }
        if (name.equals("subelements")) {
            return AnsibleDataFilters.subelementsLookup(raw);
        }
        List<Object> out = new ArrayList<>();
        for (Object t : raw) {
            String term = Py.str(t);
            switch (name) {
                case "env" -> {
                    String v = System.getenv(term);
                    out.add(v != null ? v : kw.getOrDefault("default", ""));
                }
                case "file" -> {
                    String text = read(state.resolve(term, true), "file", term);
                    boolean rstrip = Py.truth(kw.getOrDefault("rstrip", true));
                    boolean lstrip = Py.truth(kw.getOrDefault("lstrip", false));
                    text = rstrip ? text.stripTrailing() : text;
                    out.add(lstrip ? text.stripLeading() : text);
                }
                case "template" -> {
                    Path p = state.resolve(term, false);
                    out.add(state.templater().renderFile(read(p, "template", term), state, p));
                }
                case "pipe" -> out.add(command("pipe", term, state.baseDir()).stripTrailing());
                case "lines" -> out.addAll(PyText.splitlines(command("lines", term, state.baseDir())));
                case "fileglob" -> out.addAll(FirstFound.glob(term, state));
                case "vars" -> out.add(variable(term, kw, state));
                default -> throw new TemplateFailure("lookup plugin (" + name + ") not found",
                        Suggest.nearest(name, NAMES));
            }
        }
        return out;
    }

    private static String read(Path p, String plugin, String term) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemplateFailure("The '" + plugin + "' lookup could not find or read '" + term + "' (looked at "
                    + p + ")", "paths are relative to the playbook directory (and its files/ or templates/)");
        }
    }

    /** The value of the variable {@code name} ({@code lookup('vars', name, default=...)}). */
    private static Object variable(String name, Map<String, Object> kw, RenderState state) {
        if (state.vars().containsKey(name)) {
            Object v = state.vars().get(name);
            if (!(v instanceof Undefined)) {
                return v;
            }
        }
        if (kw.containsKey("default")) {
            return kw.get("default");
        }
        throw new TemplateFailure("No variable found with this name: " + name,
                "define it, or give lookup('vars', '" + name + "', default=...)");
    }

    /** A command on the controller (/bin/sh, playbook directory, clean environment): its output as text. */
    private static String command(String plugin, String cmd, Path cwd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", cmd)).directory(cwd.toFile());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            io.budgetctl.engine.connection.ControllerEnv.applyTo(pb.environment());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new TemplateFailure("lookup_plugin." + plugin + "(" + cmd + ") timed out", null);
            }
            if (p.exitValue() != 0) {
                throw new TemplateFailure("lookup_plugin." + plugin + "(" + cmd + ") returned " + p.exitValue(),
                        "the command runs on the controller with /bin/sh, in the playbook directory");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemplateFailure("lookup_plugin." + plugin + "(" + cmd + ") could not start: " + e.getMessage(),
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TemplateFailure("lookup_plugin." + plugin + "(" + cmd + ") interrupted", null);
        }
    }
}
