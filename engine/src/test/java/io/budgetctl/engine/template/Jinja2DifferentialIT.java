package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Renders every case of template/cases.yaml with Ansible's own Templar (python3, jinja2, ansible-core, through
 * render_jinja2.py, one process for all cases) and with {@link JinjavaTemplater}, and requires the same bytes.
 * Cases marked known_difference must still differ, so the documented list of differences stays true. There is no
 * skip: without python3, jinja2 or ansible-core this test fails.
 */
class Jinja2DifferentialIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path playbookDir;

    @Test
    @SuppressWarnings("unchecked")
    void rendersEveryCaseLikeAnsiblesJinja2() throws Exception {
        // given
        Map<String, Object> data = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(resource("cases.yaml")));
        Map<String, Object> defaults = (Map<String, Object>) data.get("defaults");
        List<Map<String, Object>> cases = (List<Map<String, Object>>) data.get("cases");
        Files.createDirectories(playbookDir.resolve("files"));
        Files.createDirectories(playbookDir.resolve("templates"));
        Files.writeString(playbookDir.resolve("files/motd.txt"), "Welcome to {{ name }}\n\n");
        Files.writeString(playbookDir.resolve("templates/greeting.j2"), "Hello {{ name }} on port {{ port }}\n");
        List<Map<String, Object>> request = new ArrayList<>();
        for (Map<String, Object> c : cases) {
            Map<String, Object> vars = new LinkedHashMap<>(defaults);
            if (c.get("vars") != null) {
                vars.putAll((Map<String, Object>) c.get("vars"));
            }
            vars.put("playbook_dir", playbookDir.toString());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", c.get("name"));
            r.put("kind", c.getOrDefault("kind", "text"));
            r.put("template", c.get("template"));
            r.put("vars", vars);
            request.add(r);
        }
        assertThat(request).hasSizeGreaterThanOrEqualTo(150);

        // when
        Map<String, Map<String, String>> expected = runPython(Map.of("cases", request));
        JinjavaTemplater templater = JinjavaTemplater.create();
        List<String> mismatches = new ArrayList<>();
        List<String> staleKnown = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> c = cases.get(i);
            Map<String, Object> r = request.get(i);
            String name = (String) c.get("name");
            Map<String, String> python = expected.get(name);
            assertThat(python).as("python result for %s", name).isNotNull();
            Map<String, String> java = renderJava(templater, r);
            boolean same = python.containsKey("error") ? java.containsKey("error")
                    : python.get("ok").equals(java.get("ok"));
            String words = (String) c.get("error_contains");
            if (words != null && !(String.valueOf(python.get("error")).contains(words)
                    && String.valueOf(java.get("error")).contains(words))) {
                same = false; // both must fail with Jinja2's own words
            }
            boolean known = c.get("known_difference") != null;
            if (!same && !known) {
                mismatches.add(name + " [" + r.get("template") + "]\n    ansible: " + python + "\n    ours:    " + java);
            }
            if (same && known) {
                staleKnown.add(name + ": marked known_difference but now renders the same: " + java);
            }
        }

        // then
        assertThat(mismatches).as("cases where JinjavaTemplater differs from Ansible's Jinja2").isEmpty();
        assertThat(staleKnown).as("known differences that are no longer different (remove the mark and the doc)")
                .isEmpty();
    }

    private static Map<String, String> renderJava(JinjavaTemplater templater, Map<String, Object> r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = (Map<String, Object>) r.get("vars");
        String template = (String) r.get("template");
        SourceLocation loc = new SourceLocation("cases.yaml", 1, 1);
        try {
            return switch ((String) r.get("kind")) {
                case "text" -> Map.of("ok", templater.renderText(template, vars, loc));
                case "native", "task" -> Map.of("ok", Py.repr(templater.render(template, vars, loc)));
                case "expr" -> Map.of("ok", Py.repr(templater.evaluate(template, vars, loc)));
                default -> throw new IllegalArgumentException("unknown kind " + r.get("kind"));
            };
        } catch (EngineException e) {
            return Map.of("error", e.oneLine());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, String>> runPython(Object request) throws IOException, InterruptedException,
            URISyntaxException {
        Process p = new ProcessBuilder(List.of(python(), resource("render_jinja2.py").toString()))
                .directory(playbookDir.toFile()).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(request));
        }
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("render_jinja2.py finished").isTrue();
        String stderr = new String(err.join(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("render_jinja2.py exit code; stderr:\n%s", stderr).isZero();
        return JSON.readValue(out.join(), Map.class);
    }

    /** The Debian python3 (with python3-jinja2 and ansible-core), unless -Dbudgetctl.python= says otherwise. */
    private static String python() {
        String configured = System.getProperty("budgetctl.python");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(Jinja2DifferentialIT.class.getResource("/template/" + name).toURI());
    }
}
