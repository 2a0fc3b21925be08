package io.budgetctl.engine.run;

import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.PlayEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records events as short lines ("task X", "ok h1 X", "warning h1 text") plus the recap, listing lines and warnings.
 */
final class Recorder implements RunListener {
    final List<String> lines = new ArrayList<>();
    final List<HostResultEvent> results = new ArrayList<>();
    final List<String> listing = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    Map<String, HostStats> recap;

    @Override
    public void playStart(PlayEvent play) {
        lines.add("play " + play.name() + " " + play.hosts());
    }

    @Override
    public void taskStart(TaskEvent task) {
        lines.add((task.kind() == TaskEvent.Kind.HANDLER ? "handler " : "task ") + task.name());
    }

    @Override
    public void hostResult(HostResultEvent r) {
        results.add(r);
        lines.add(r.status().name().toLowerCase() + " " + r.host() + (r.item() == null ? "" : " " + r.item())
                + (r.ignored() ? " ignored" : ""));
    }

    @Override
    public void warning(String message) {
        warnings.add(message);
    }

    @Override
    public void hostWarning(String host, String message) {
        warnings.add(message);
        lines.add("warning " + host + " " + message);
    }

    @Override
    public void recap(Map<String, HostStats> stats) {
        recap = stats;
    }

    @Override
    public void listing(String line) {
        listing.add(line);
    }
}
