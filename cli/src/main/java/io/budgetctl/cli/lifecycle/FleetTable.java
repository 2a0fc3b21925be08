package io.budgetctl.cli.lifecycle;

import io.budgetctl.lifecycle.fleet.FleetListener;
import io.budgetctl.lifecycle.fleet.FleetReport;
import io.budgetctl.lifecycle.fleet.JournalEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live table of {@code fleet apply} and {@code fleet resume} on a terminal: one row per customer (customer, wave,
 * state, the step its deploy is at, elapsed time, result), redrawn in place on every journal event and once a second
 * for the elapsed times, with the run's last notes (pause, failure budget, cancel, end) under it. The plain lines
 * ({@link FleetReport#plain}) remain the format for pipes and CI logs; the summary after the run is the same in both.
 *
 * <p>Everything shown that a customer's server could have produced (a failure's reason, a task name in its log) is
 * reduced to printable characters first: a host cannot move the cursor or recolour the operator's terminal. The table
 * never grows past {@link #MAX_ROWS} rows (running and failed customers first, the rest counted on one line) and no
 * line is wider than the terminal, so each redraw replaces exactly what the previous one drew.
 */
final class FleetTable implements FleetListener, AutoCloseable {
    /** Rows shown at most; the others are counted on one line. */
    static final int MAX_ROWS = 30;

    private static final Pattern TASK = Pattern.compile("^(?:TASK|RUNNING HANDLER) \\[(.+)\\][ *]*$");

    private final PrintWriter out;
    private final int width;
    private final LongSupplier millis;
    private final Function<String, String> stepOf;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Deque<String> notes = new ArrayDeque<>();
    private final long started;
    private String title = "fleet run";
    private String who = "";
    private String wave = "";
    private int drawn;
    private ScheduledExecutorService ticker;

    private static final class Row {
        final String customer;
        int wave;
        String state = "queued";
        long startedAt = -1;
        Double seconds;
        String result = "";

        Row(String customer, int wave) {
            this.customer = customer;
            this.wave = wave;
        }
    }

    /**
     * @param out    the terminal
     * @param width  the terminal's columns (lines are cut to one less)
     * @param millis the clock of the elapsed times
     * @param stepOf the step a running customer's deploy is at (null when not known)
     */
    FleetTable(PrintWriter out, int width, LongSupplier millis, Function<String, String> stepOf) {
        this.out = out;
        this.width = Math.max(40, width);
        this.millis = millis;
        this.stepOf = stepOf;
        this.started = millis.getAsLong();
    }

    /** A table on the real terminal, redrawn every second, steps read from the customers' logs in {@code logDir}. */
    static FleetTable live(PrintWriter out, Path logDir) {
        FleetTable t = new FleetTable(out, columns(), System::currentTimeMillis,
                id -> lastTask(logDir.resolve(id + ".log")));
        t.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "fleet-table");
            th.setDaemon(true);
            return th;
        });
        t.ticker.scheduleAtFixedRate(t::redraw, 1, 1, TimeUnit.SECONDS);
        return t;
    }

    @Override
    public synchronized void event(JournalEvent e) {
        switch (e.event()) {
            case JournalEvent.RUN_START -> {
                title = "fleet run " + clean(e.run());
                who = clean(e.selection()) + " by " + clean(e.operator());
                for (int i = 0; e.waves() != null && i < e.waves().size(); i++) {
                    for (String id : e.waves().get(i).customers()) {
                        rows.putIfAbsent(id, new Row(id, i + 1));
                    }
                }
            }
            case JournalEvent.RESUME -> {
                title = "fleet run " + clean(e.run());
                who = "resumed by " + clean(e.operator());
                note(e);
            }
            case JournalEvent.WAVE_START -> wave = "wave " + e.wave() + " (" + clean(e.waveName()) + ")";
            case JournalEvent.WAVE_END -> wave = "wave " + e.wave() + " (" + clean(e.waveName()) + ") finished";
            case JournalEvent.CUSTOMER -> customer(e);
            default -> note(e);
        }
        draw();
    }

    private void customer(JournalEvent e) {
        Row r = rows.computeIfAbsent(e.customer(), id -> new Row(id, e.wave() == null ? 0 : e.wave()));
        if (e.wave() != null) {
            r.wave = e.wave();
        }
        r.state = e.state();
        if ("running".equals(e.state())) {
            r.startedAt = millis.getAsLong();
            r.seconds = null;
            r.result = e.reason() == null ? "" : clean(e.reason());
        } else if (!"queued".equals(e.state())) {
            r.seconds = e.seconds();
            r.result = "done".equals(e.state()) ? "ok" : clean(e.reason() == null ? "" : e.reason());
        } else if (e.reason() != null) {
            r.result = clean(e.reason());
        }
    }

    private void note(JournalEvent e) {
        String line = FleetReport.line(e);
        if (line != null) {
            notes.addLast(clean(line));
            while (notes.size() > 3) {
                notes.removeFirst();
            }
        }
    }

    /** Draws the table again (the elapsed times move); called by the ticker. */
    synchronized void redraw() {
        draw();
    }

    /** Stops the ticker and draws the final table, which stays on the screen above the summary. */
    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        draw();
    }

    private void draw() {
        List<String> lines = render();
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
            // back to the first line of the previous table, then clear everything below
            sb.append("\r\u001B[").append(drawn).append("A\u001B[J");
        }
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        drawn = lines.size();
        out.print(sb);
        out.flush();
    }

    /** The lines of the table as it is now: title, header, rows, the count of rows left out, notes. */
    List<String> render() {
        long now = millis.getAsLong();
        List<String> lines = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String s : List.of("running", "done", "failed", "queued", "skipped", "interrupted")) {
            counts.put(s, 0);
        }
        rows.values().forEach(r -> counts.merge(r.state, 1, Integer::sum));
        StringBuilder head = new StringBuilder(title).append(" | ").append(elapsed((now - started) / 1000.0));
        if (!wave.isEmpty()) {
            head.append(" | ").append(wave);
        }
        head.append(" |");
        counts.forEach((s, n) -> {
            if (n > 0) {
                head.append(' ').append(n).append(' ').append(s);
            }
        });
        if (!who.isEmpty()) {
            head.append(" | ").append(who);
        }
        lines.add(cut(head.toString()));
        lines.add(cut(String.format(Locale.ROOT, "%-16s %4s  %-11s %-36s %7s  %s", "CUSTOMER", "WAVE", "STATE",
                "STEP", "ELAPSED", "RESULT")));
        List<Row> shown = shown();
        for (Row r : shown) {
            boolean running = "running".equals(r.state);
            String step = running ? stepOf.apply(r.customer) : null;
            double secs = running && r.startedAt >= 0 ? (now - r.startedAt) / 1000.0
                    : r.seconds == null ? -1 : r.seconds;
            lines.add(cut(String.format(Locale.ROOT, "%-16s %4s  %-11s %-36s %7s  %s", r.customer,
                    r.wave == 0 ? "" : String.valueOf(r.wave), r.state.toUpperCase(Locale.ROOT),
                    step == null ? "" : fit(clean(step), 36), secs < 0 ? "" : elapsed(secs), r.result)));
        }
        if (shown.size() < rows.size()) {
            Map<String, Integer> hidden = new LinkedHashMap<>();
            rows.values().stream().filter(r -> !shown.contains(r)).forEach(r -> hidden.merge(r.state, 1, Integer::sum));
            StringBuilder more = new StringBuilder("... ").append(rows.size() - shown.size()).append(" more:");
            hidden.forEach((s, n) -> more.append(' ').append(n).append(' ').append(s));
            lines.add(cut(more.toString()));
        }
        notes.forEach(n -> lines.add(cut(n)));
        return lines;
    }

    /** At most MAX_ROWS rows: running, failed and interrupted first, then queued, then the rest; in run order. */
    private List<Row> shown() {
        if (rows.size() <= MAX_ROWS) {
            return new ArrayList<>(rows.values());
        }
        List<Row> picked = new ArrayList<>();
        for (List<String> group : List.of(List.of("running", "failed", "interrupted"), List.of("queued"),
                List.of("done", "skipped"))) {
            for (Row r : rows.values()) {
                if (picked.size() < MAX_ROWS - 1 && group.contains(r.state)) {
                    picked.add(r);
                }
            }
        }
        List<Row> ordered = new ArrayList<>(rows.values());
        ordered.retainAll(picked);
        return ordered;
    }

    private String cut(String line) {
        return line.length() < width ? line : line.substring(0, width - 2) + "~";
    }

    private static String fit(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    static String elapsed(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Printable characters only: control characters (escape sequences, newlines, carriage returns) become spaces. */
    static String clean(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]",
                " ");
    }

    /**
     * The last task the deploy log at {@code log} started ("role : task"), from its last 16 KB; null when there is
     * none yet or the log cannot be read.
     */
    static String lastTask(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 16 * 1024);
            byte[] b = new byte[n];
            f.seek(len - n);
            f.readFully(b);
            String[] lines = new String(b, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                Matcher m = TASK.matcher(lines[i].replaceAll("\u001B\\[[0-9;]*m", "").stripTrailing());
                if (m.matches()) {
                    return m.group(1);
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The terminal's columns: $COLUMNS, else {@code stty size} on /dev/tty, else 100. */
    static int columns() {
        String env = System.getenv("COLUMNS");
        if (env != null && env.matches("[0-9]{2,4}")) {
            return Integer.parseInt(env);
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new java.io.File("/dev/tty"))
                    .redirectErrorStream(true).start();
            String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0 && o.matches("[0-9]+ [0-9]+")) {
                int c = Integer.parseInt(o.split(" ")[1]);
                if (c >= 40) {
                    return c;
                }
            }
        } catch (IOException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
