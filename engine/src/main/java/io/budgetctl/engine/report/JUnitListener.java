package io.budgetctl.engine.report;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.PlayEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.template.PyJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --junit FILE}: a JUnit XML report for CI. One {@code <testsuite>} per play, one {@code <testcase>} per task
 * and host ({@code name="[host] task"}, {@code classname="playbook.play"}); FAILED becomes {@code <failure
 * type="failed">}, UNREACHABLE {@code <failure type="unreachable">}, SKIPPED {@code <skipped/>}; an ignored failure
 * passes. Loop items fold into their task's testcase (the worst item wins unless the aggregate result says
 * otherwise). The file is written at playbookEnd.
 */
public final class JUnitListener implements RunListener {
    private final Path file;
    private final List<Suite> suites = new ArrayList<>();
    private String playbook = "playbook";
    private Suite current;

    public JUnitListener(Path file) {
        this.file = file;
    }

    private static final class Suite {
        final String name;
        final Map<List<Object>, Case> cases = new LinkedHashMap<>();

        Suite(String name) {
            this.name = name;
        }
    }

    private static final class Case {
        final String name;
        Status status = Status.OK;
        boolean ignored;
        String msg;
        Map<String, Object> data = Map.of();
        Duration duration = Duration.ZERO;

        Case(String name) {
            this.name = name;
        }

        boolean failed() {
            return (status == Status.FAILED || status == Status.UNREACHABLE || status == Status.RESCUED) && !ignored;
        }
    }

    @Override
    public void playbookStart(String file) {
        if (file != null) {
            Path name = Path.of(file).getFileName();
            playbook = name == null ? file : name.toString();
        }
    }

    @Override
    public void playStart(PlayEvent play) {
        String name = play.name() == null || play.name().isBlank() ? String.valueOf(play.pattern()) : play.name();
        current = new Suite(playbook + ": " + name);
        suites.add(current);
    }

    @Override
    public void hostResult(HostResultEvent r) {
        if (current == null) {
            playStart(new PlayEvent("", "", List.of(), false, SourceLocation.UNKNOWN));
        }
        TaskEvent task = r.task();
        String taskName = task == null ? "" : ConsoleListener.taskName(task);
        String prefix = task != null && task.kind() == TaskEvent.Kind.HANDLER ? "handler " : "";
        Case c = current.cases.computeIfAbsent(Arrays.asList(r.host(), task), k -> new Case("[" + r.host() + "] " + prefix + taskName));
        Status status = r.status() == Status.IGNORED ? Status.FAILED : r.status();
        boolean ignored = r.ignored() || r.status() == Status.IGNORED;
        if (r.item() == null || rank(status) >= rank(c.status)) {
            c.status = status;
            c.ignored = ignored;
            c.msg = r.msg();
            c.data = r.data() == null ? Map.of() : r.data();
        }
        if (r.duration() != null) {
            c.duration = r.item() == null && !c.duration.isZero() ? c.duration : c.duration.plus(r.duration());
        }
    }

    private static int rank(Status s) {
        return switch (s) {
            case SKIPPED -> 0;
            case OK -> 1;
            case CHANGED -> 2;
            case IGNORED, RESCUED, FAILED -> 3;
            case UNREACHABLE -> 4;
        };
    }

    @Override
    public void playbookEnd(int exitCode) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, xml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "cannot write the JUnit report: " + e,
                    "check that the directory exists and is writable");
        }
    }

    String xml() {
        int tests = 0;
        int failures = 0;
        int skipped = 0;
        Duration time = Duration.ZERO;
        StringBuilder body = new StringBuilder();
        for (Suite s : suites) {
            int sFailures = 0;
            int sSkipped = 0;
            Duration sTime = Duration.ZERO;
            StringBuilder cases = new StringBuilder();
            for (Case c : s.cases.values()) {
                sTime = sTime.plus(c.duration);
                cases.append("    <testcase classname=\"").append(attr(s.name)).append("\" name=\"")
                        .append(attr(c.name)).append("\" time=\"").append(seconds(c.duration)).append('"');
                if (c.failed()) {
                    sFailures++;
                    String type = c.status == Status.UNREACHABLE ? "unreachable" : "failed";
                    String message = c.msg != null ? c.msg : String.valueOf(c.data.getOrDefault("msg", type));
                    cases.append(">\n      <failure type=\"").append(type).append("\" message=\"").append(attr(message))
                            .append("\">").append(text(PyJson.display(c.data, 4))).append("</failure>\n")
                            .append("    </testcase>\n");
                } else if (c.status == Status.SKIPPED) {
                    sSkipped++;
                    cases.append(">\n      <skipped");
                    if (c.msg != null) {
                        cases.append(" message=\"").append(attr(c.msg)).append('"');
                    }
                    cases.append("/>\n    </testcase>\n");
                } else {
                    cases.append("/>\n");
                }
            }
            tests += s.cases.size();
            failures += sFailures;
            skipped += sSkipped;
            time = time.plus(sTime);
            body.append("  <testsuite name=\"").append(attr(s.name)).append("\" tests=\"").append(s.cases.size())
                    .append("\" failures=\"").append(sFailures).append("\" errors=\"0\" skipped=\"").append(sSkipped)
                    .append("\" time=\"").append(seconds(sTime)).append("\">\n").append(cases)
                    .append("  </testsuite>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuites name=\"budgetctl\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"" + skipped + "\" time=\"" + seconds(time) + "\">\n"
                + body + "</testsuites>\n";
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    private static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
    }

    private static String text(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default -> {
                    boolean legal = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
                    if (legal) {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.toString();
    }
}
