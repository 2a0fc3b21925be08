package io.budgetctl.lifecycle.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fleet's output formats: plain lines per state change ({@link #plain}), JSON events ({@link #json}: the journal
 * lines themselves), the final summary ({@link #summary}) and JUnit XML for CI ({@link #junit}).
 */
public final class FleetReport {
    private FleetReport() {
    }

    /** One line per journal event, for a terminal or a CI log. */
    public static FleetListener plain(PrintWriter out) {
        return e -> {
            String line = line(e);
            if (line != null) {
                out.println(line);
                out.flush();
            }
        };
    }

    /** The journal's JSON line for each event. */
    public static FleetListener json(PrintWriter out) {
        return e -> {
            try {
                out.println(Journal.JSON.writeValueAsString(e));
                out.flush();
            } catch (JsonProcessingException ex) {
                throw new UncheckedIOException(ex);
            }
        };
    }

    /** The plain line of an event, or null for events a person does not need to see (a customer queued). */
    public static String line(JournalEvent e) {
        String t = e.ts() != null && e.ts().length() >= 19 ? e.ts().substring(11, 19) : "";
        return switch (e.event()) {
            case JournalEvent.RUN_START -> t + " fleet run " + e.run() + " by " + e.operator() + ": " + e.selection()
                    + ", " + e.waves().size() + " wave(s), " + e.waves().stream().mapToInt(w -> w.customers().size())
                    .sum() + " customer(s)";
            case JournalEvent.RESUME -> t + " fleet run " + e.run() + " resumed by " + e.operator();
            case JournalEvent.WAVE_START -> t + " wave " + e.wave() + " (" + e.waveName() + ") started";
            case JournalEvent.WAVE_END -> t + " wave " + e.wave() + " (" + e.waveName() + ") finished";
            case JournalEvent.PAUSE -> t + " pausing " + seconds(e.seconds()) + " before the next wave";
            case JournalEvent.BUDGET_EXCEEDED -> t + " FAILURE BUDGET EXCEEDED: " + e.reason();
            case JournalEvent.RUN_END -> t + " fleet run " + e.run() + " ended: " + e.reason();
            case JournalEvent.CUSTOMER -> "queued".equals(e.state()) && e.reason() == null ? null
                    : t + " " + e.customer() + " " + e.state() + (e.seconds() == null ? "" : " in " + seconds(e.seconds()))
                    + (e.reason() == null ? "" : ": " + e.reason())
                    + (e.log() == null || "done".equals(e.state()) ? "" : " (log " + e.log() + ")");
            default -> t + " " + e.event();
        };
    }

    private static String seconds(Double s) {
        return s == null ? "?" : String.format(Locale.ROOT, "%.1fs", s);
    }

    /**
     * What {@code fleet plan} prints: each wave and its customers with environment, version, SSH endpoints and
     * whether the maintenance window is open at {@code now}, and which customers share a server (they run one at a
     * time).
     */
    public static List<String> plan(String selection, List<Wave> waves, java.time.Instant now) {
        List<String> out = new ArrayList<>();
        int total = waves.stream().mapToInt(w -> w.customers().size()).sum();
        out.add("fleet plan: " + selection + ": " + total + " customer(s) in " + waves.size() + " wave(s)");
        java.util.Map<String, List<String>> byServer = new java.util.LinkedHashMap<>();
        for (Wave w : waves) {
            for (FleetCustomer c : w.customers()) {
                c.servers().forEach(s -> byServer.computeIfAbsent(s, k -> new ArrayList<>()).add(c.id()));
            }
        }
        for (Wave w : waves) {
            out.add("wave " + w.number() + " (" + w.name() + "): " + w.customers().size() + " customer(s)");
            for (FleetCustomer c : w.customers()) {
                String window = c.window() == null ? "no window (any time)"
                        : "window " + c.window() + (c.window().isOpen(now) ? ": OPEN now"
                        : ": closed, opens " + c.window().nextOpening(now));
                out.add(String.format(Locale.ROOT, "  %-16s %-11s %-8s %s; %s", c.id(), c.environment(),
                        c.version() == null ? "-" : c.version(), String.join(" ", c.servers()), window));
            }
        }
        byServer.forEach((server, ids) -> {
            if (ids.size() > 1) {
                out.add("shared server " + server + ": " + String.join(", ", ids) + " (one at a time)");
            }
        });
        return out;
    }

    /** The final summary: counts, duration, failed customers with reason and log, those never started. */
    public static List<String> summary(FleetResult r) {
        List<String> out = new ArrayList<>();
        out.add("FLEET SUMMARY " + r.runId() + " (" + seconds(r.seconds()) + ", journal " + r.journal() + ")");
        out.add(String.format(Locale.ROOT, "  %d customers: %d done, %d failed, %d skipped, %d interrupted",
                r.customers().size(), r.count(CustomerState.DONE), r.count(CustomerState.FAILED),
                r.count(CustomerState.SKIPPED), r.count(CustomerState.INTERRUPTED)));
        double[] secs = r.in(CustomerState.DONE).stream().filter(e -> e.seconds() != null)
                .mapToDouble(FleetResult.Entry::seconds).sorted().toArray();
        if (secs.length > 0) {
            out.add(String.format(Locale.ROOT, "  deploy time per customer: median %.1fs, longest %.1fs",
                    secs[secs.length / 2], secs[secs.length - 1]));
        }
        for (FleetResult.Entry e : r.in(CustomerState.FAILED)) {
            out.add("  FAILED " + e.customer() + " (wave " + e.wave() + "): " + e.reason()
                    + (e.log() == null ? "" : " [log " + e.log() + "]"));
        }
        for (FleetResult.Entry e : r.in(CustomerState.INTERRUPTED)) {
            out.add("  INTERRUPTED " + e.customer() + ": " + e.reason());
        }
        for (FleetResult.Entry e : r.in(CustomerState.SKIPPED)) {
            if (!e.neverStarted()) {
                out.add("  SKIPPED " + e.customer() + ": " + e.reason());
            }
        }
        if (!r.neverStarted().isEmpty()) {
            out.add("  NEVER STARTED (failure budget exceeded): " + String.join(", ", r.neverStarted()));
        }
        out.add("  exit " + r.exitCode() + switch (r.exitCode()) {
            case FleetResult.EXIT_OK -> ": every customer done";
            case FleetResult.EXIT_FAILED -> ": some customers failed (within the failure budget)";
            case FleetResult.EXIT_BUDGET -> ": failure budget exceeded, rollout stopped; 'budgetctl fleet resume "
                    + r.runId() + "' continues it";
            default -> ": not every customer is done; 'budgetctl fleet resume " + r.runId() + "' continues";
        });
        return out;
    }

    /** A JUnit XML report: one test case per customer (failed: failure; skipped or interrupted: skipped). */
    public static String junit(FleetResult r) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT,
                "<testsuite name=\"fleet %s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">%n",
                xml(r.runId()), r.customers().size(), r.count(CustomerState.FAILED),
                r.customers().size() - r.count(CustomerState.DONE) - r.count(CustomerState.FAILED), r.seconds()));
        for (FleetResult.Entry e : r.customers()) {
            sb.append(String.format(Locale.ROOT, "  <testcase classname=\"fleet.wave%d\" name=\"%s\" time=\"%.3f\"",
                    e.wave(), xml(e.customer()), e.seconds() == null ? 0.0 : e.seconds()));
            String detail = (e.reason() == null ? "" : e.reason()) + (e.log() == null ? "" : " (log " + e.log() + ")");
            switch (e.state()) {
                case DONE -> sb.append("/>\n");
                case FAILED -> sb.append(">\n    <failure message=\"").append(xml(detail)).append("\"/>\n  </testcase>\n");
                default -> sb.append(">\n    <skipped message=\"").append(xml(e.state().word() + ": " + detail))
                        .append("\"/>\n  </testcase>\n");
            }
        }
        return sb.append("</testsuite>\n").toString();
    }

    private static String xml(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\n' -> b.append("&#10;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
