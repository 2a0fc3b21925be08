package io.budgetctl.lifecycle.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The two renderings of a {@link Plan}: text for people, JSON for CI. */
public final class PlanText {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanText() {
    }

    /** The human text: one line per fact, ending in the verdict. */
    public static String human(Plan p) {
        StringBuilder b = new StringBuilder();
        b.append("plan for ").append(p.client()).append('\n');
        String running = p.running().isEmpty() ? "nothing installed" : p.running();
        b.append("  version:    ").append(running).append(p.running().equals(p.desired()) ? " (unchanged)"
                : " -> " + p.desired()).append('\n');
        if (!p.running().isEmpty() && !p.runningResult().equals("ok")) {
            b.append("  release:    the running release did not pass its health gate (result: ")
                    .append(p.runningResult().isEmpty() ? "none" : p.runningResult()).append("); deploy renders a new one\n");
        }
        if (!p.settingsKnown()) {
            b.append("  settings:   unknown (the running release recorded none); deploy renders a new release once\n");
        } else if (p.changes().isEmpty()) {
            b.append("  settings:   unchanged\n");
        } else {
            b.append("  settings:\n");
            for (Plan.Change c : p.changes()) {
                b.append("    ").append(sign(c.kind())).append(' ').append(c.path()).append(": ");
                if (c.secret()) {
                    b.append(c.kind().equals("changed") ? "changed (secret)" : c.kind() + " (secret)");
                } else {
                    b.append(switch (c.kind()) {
                        case "added" -> c.to();
                        case "removed" -> "was " + c.from();
                        default -> c.from() + " -> " + c.to();
                    });
                }
                b.append('\n');
            }
        }
        b.append("  restarts:   ").append(p.restarts().isEmpty() ? "none" : String.join(", ", p.restarts()))
                .append('\n');
        b.append("  migrations: ").append(p.migrations()).append('\n');
        b.append(p.inSync() ? "up to date: deploy would change nothing\n" : "deploy would change " + p.client() + "\n");
        return b.toString();
    }

    private static char sign(String kind) {
        return switch (kind) {
            case "added" -> '+';
            case "removed" -> '-';
            default -> '~';
        };
    }

    /** The JSON document ({@code budgetctl plan --json}). */
    public static String json(Plan p) {
        try {
            return JSON.writeValueAsString(document(p)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plan as the JSON document's tree (ordered maps and lists). */
    public static Map<String, Object> document(Plan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client", p.client());
        m.put("in_sync", p.inSync());
        m.put("running_version", p.running());
        m.put("running_result", p.runningResult());
        m.put("desired_version", p.desired());
        m.put("settings_known", p.settingsKnown());
        m.put("changes", p.changes().stream().map(c -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("path", c.path());
            e.put("kind", c.kind());
            e.put("secret", c.secret());
            if (!c.secret()) {
                e.put("from", c.from());
                e.put("to", c.to());
            }
            return e;
        }).toList());
        m.put("restarts", p.restarts());
        m.put("migrations", p.migrations());
        return m;
    }

    /** Exit code for {@code budgetctl plan}: 0 in sync, 2 when deploy would change something. */
    public static int exitCode(Plan p) {
        return p.inSync() ? 0 : 2;
    }
}
