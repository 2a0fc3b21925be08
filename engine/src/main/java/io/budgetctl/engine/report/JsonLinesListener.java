package io.budgetctl.engine.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.PlayEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.module.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --output json}: one JSON object per line, flushed as it happens, for machines (CI, dashboards, jq). Every
 * object has an {@code "event"} key: {@code playbook_start}, {@code play_start}, {@code task_start},
 * {@code host_result}, {@code warning}, {@code recap}, {@code playbook_end}. Keys are snake_case; absent values are
 * {@code null}, never left out. The schema is documented in docs/cli.md.
 */
public final class JsonLinesListener implements RunListener {
    private final Writer out;
    private final ObjectMapper mapper;

    public JsonLinesListener(Writer out) {
        this.out = out;
        SimpleModule masking = new SimpleModule("budgetctl-masking");
        masking.addSerializer(Secret.class, ToStringSerializer.instance);
        this.mapper = new ObjectMapper()
                .registerModule(masking)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    @Override
    public void playbookStart(String file) {
        Map<String, Object> e = event("playbook_start");
        e.put("file", file);
        emit(e);
    }

    @Override
    public void playStart(PlayEvent play) {
        Map<String, Object> e = event("play_start");
        e.put("name", play.name());
        e.put("pattern", play.pattern());
        e.put("hosts", play.hosts());
        e.put("check", play.check());
        e.put("location", location(play.location()));
        emit(e);
    }

    @Override
    public void taskStart(TaskEvent task) {
        Map<String, Object> e = event("task_start");
        e.put("name", task.name());
        e.put("action", task.action());
        e.put("role", task.role());
        e.put("kind", task.kind() == null ? null : task.kind().name().toLowerCase(Locale.ROOT));
        e.put("location", location(task.location()));
        emit(e);
    }

    @Override
    public void hostResult(HostResultEvent r) {
        Map<String, Object> e = event("host_result");
        e.put("host", r.host());
        e.put("task", r.task() == null ? null : ConsoleListener.taskName(r.task()));
        e.put("status", r.status() == null ? null : r.status().name().toLowerCase(Locale.ROOT));
        e.put("item", r.item());
        e.put("msg", r.msg());
        e.put("duration_ms", r.duration() == null ? null : r.duration().toMillis());
        e.put("changed", r.status() == Status.CHANGED);
        e.put("ignored", r.ignored());
        e.put("delegated_to", r.delegatedTo());
        e.put("data", r.data() == null ? Map.of() : r.data());
        List<Map<String, Object>> diffs = new ArrayList<>();
        if (r.diffs() != null) {
            for (Result.Diff d : r.diffs()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", d.path());
                m.put("before", d.before());
                m.put("after", d.after());
                diffs.add(m);
            }
        }
        e.put("diffs", diffs);
        emit(e);
    }

    @Override
    public void warning(String message) {
        Map<String, Object> e = event("warning");
        e.put("message", message);
        emit(e);
    }

    @Override
    public void listing(String line) {
        Map<String, Object> e = event("listing");
        e.put("line", line);
        emit(e);
    }

    @Override
    public void recap(Map<String, HostStats> stats) {
        Map<String, Object> e = event("recap");
        Map<String, Object> hosts = new LinkedHashMap<>();
        stats.forEach((host, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", s.ok());
            m.put("changed", s.changed());
            m.put("unreachable", s.unreachable());
            m.put("failed", s.failed());
            m.put("skipped", s.skipped());
            m.put("rescued", s.rescued());
            m.put("ignored", s.ignored());
            hosts.put(host, m);
        });
        e.put("hosts", hosts);
        emit(e);
    }

    @Override
    public void playbookEnd(int exitCode) {
        Map<String, Object> e = event("playbook_end");
        e.put("exit_code", exitCode);
        emit(e);
    }

    private static Map<String, Object> event(String name) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", name);
        return e;
    }

    private static String location(SourceLocation location) {
        return location == null || location == SourceLocation.UNKNOWN ? null : location.toString();
    }

    private void emit(Map<String, Object> event) {
        try {
            out.write(mapper.writeValueAsString(event));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON event", e);
        }
    }
}
