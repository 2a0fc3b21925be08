package io.budgetctl.lifecycle.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.ssh.agent.AgentException;
import io.budgetctl.engine.ssh.agent.SshSig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks the hash chain of a controller audit log that {@link Audit} wrote: every entry's {@code prev} is the SHA-256
 * of the line before it, {@code seq} counts up by one from 1, the first entry anchors on the bytes before it
 * ({@link Audit#GENESIS} for a log that started chained), and the head marker ({@code <log>.head}), when present,
 * names the last entry written. The first problem found is reported with its line number and what kind of change
 * explains it: a line edited, removed, inserted or moved, or lines cut from the end.
 */
public final class AuditChain {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX64 = Pattern.compile("^[0-9a-f]{64}$");

    private AuditChain() {
    }

    /**
     * The result of {@link #verify}: {@code entries} chained lines checked, {@code unchained} lines before the chain
     * started, whether a head marker was there to check the end, and the first problem (null when the log is intact).
     */
    public record Result(Path file, int entries, int unchained, boolean headChecked, Problem problem, int signed,
                         java.util.Set<String> signers) {
        public Result(Path file, int entries, int unchained, boolean headChecked, Problem problem) {
            this(file, entries, unchained, headChecked, problem, 0, java.util.Set.of());
        }

        public boolean ok() {
            return problem == null;
        }

        Result withSignatures(int signed, java.util.Set<String> signers, Problem first) {
            Problem p = problem;
            if (first != null && (p == null || p.line() == 0 || first.line() <= p.line())) {
                p = first;
            }
            return new Result(file, entries, unchained, headChecked, p, signed, java.util.Set.copyOf(signers));
        }
    }

    /** The first broken place: 1-based line number of the log (0 for the head marker), what is wrong, a hint. */
    public record Problem(int line, String message, String hint) {
    }

    /** One parsed line: its text, hash, and seq/prev when it is a chained entry. */
    private record Line(int number, int offset, String hash, Long seq, String prev, String text, String sig,
                        String identity) {
    }

    /** {@code seq} of a chained entry, or null when the text is not one (not JSON, or no seq/prev). */
    static Long seqOf(String text) {
        return parse(0, 0, text).seq();
    }

    /**
     * Verifies the log at {@code file} and its head marker.
     *
     * @throws EngineException when the file cannot be read (it is missing or unreadable)
     */
    public static Result verify(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "no audit log here",
                    "budgetctl writes $BUDGETCTL_AUDIT_LOG, else ~/.local/state/budgetctl/audit.log; pass --file");
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(file.toString()), "cannot read the audit log: "
                    + e.getMessage(), "check the file's permissions");
        }
        Head head = readHead(Audit.headOf(file));
        return verify(file, bytes, head);
    }

    /** seq and hash of the head marker, or null when there is none. */
    private record Head(long seq, String hash, String error) {
    }

    private static Head readHead(Path head) {
        if (!Files.exists(head)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(head, StandardCharsets.UTF_8));
            if (n != null && n.path("seq").isIntegralNumber() && n.path("seq").asLong() > 0
                    && HEX64.matcher(n.path("hash").asText("")).matches()) {
                return new Head(n.path("seq").asLong(), n.path("hash").asText(), null);
            }
        } catch (IOException e) {
            // reported below
        }
        return new Head(0, null, "the head marker " + head + " is not {\"seq\": N, \"hash\": \"<sha256>\"}");
    }

    private static Result verify(Path file, byte[] bytes, Head head) {
        List<Line> lines = split(bytes);
        Result chain = verifyChain(file, lines, bytes, head);
        int signed = 0;
        java.util.Set<String> signers = new java.util.TreeSet<>();
        Problem first = null;
        for (Line l : lines) {
            if (l.sig() == null) {
                continue;
            }
            String suffix = ",\"sig\":\"" + l.sig() + "\"}";
            if (!l.text().endsWith(suffix)) {
                first = new Problem(l.number(), "line " + l.number() + " has a signature that is not its last field:"
                        + " the line was edited", "compare with a backup of the log");
                break;
            }
            String message = l.text().substring(0, l.text().length() - suffix.length()) + "}";
            try {
                SshSig.Signer who = SshSig.verify(l.sig(), Audit.SIGNATURE_NAMESPACE,
                        message.getBytes(StandardCharsets.UTF_8));
                if (!l.identity().contains(who.fingerprint())) {
                    first = new Problem(l.number(), "line " + l.number() + " is signed by " + who.fingerprint()
                            + ", but names the identity '" + l.identity() + "'",
                            "the line was forged with another key; compare with a backup of the log");
                    break;
                }
                signed++;
                signers.add(who.fingerprint());
            } catch (AgentException e) {
                first = new Problem(l.number(), "line " + l.number() + "'s signature fails: " + e.getMessage()
                        + " (the line was edited after it was signed)", "compare with a backup of the log");
                break;
            }
        }
        return chain.withSignatures(signed, signers, first);
    }

    private static Result verifyChain(Path file, List<Line> lines, byte[] bytes, Head head) {
        int first = 0;
        while (first < lines.size() && lines.get(first).seq() == null) {
            first++;
        }
        int unchained = first;
        boolean headChecked = head != null && head.error() == null;
        if (head != null && head.error() != null) {
            return new Result(file, 0, unchained, false, new Problem(0, head.error(),
                    "the head marker was edited or damaged; compare it with a copy kept elsewhere"));
        }
        if (first == lines.size()) {
            if (head != null) {
                return new Result(file, 0, unchained, true, new Problem(lines.size(), "the head marker says the "
                        + "log has " + head.seq() + " entries, but no line is a chained entry",
                        "the entries were removed or rewritten; restore the log from a backup"));
            }
            String what = lines.isEmpty() ? "the log is empty" : "no line carries seq and prev: the log was "
                    + "written before the hash chain (budgetctl before issue 15) or every line was edited";
            return new Result(file, 0, unchained, false, lines.isEmpty() ? null
                    : new Problem(1, what, "the chain starts with the next line budgetctl appends"));
        }
        Map<String, Integer> byHash = new HashMap<>();
        for (Line l : lines) {
            byHash.putIfAbsent(l.hash(), l.number());
        }
        Line start = lines.get(first);
        String anchor = Audit.sha256(java.util.Arrays.copyOfRange(bytes, 0, start.offset()));
        if (start.seq() != 1) {
            return problem(file, lines, first, unchained, headChecked, start.number(),
                    "the first entry has seq " + start.seq() + ": entries 1 to " + (start.seq() - 1)
                            + " were removed from the start of the log",
                    "restore the log from a backup; the removed lines are gone from this copy");
        }
        if (!start.prev().equals(anchor)) {
            String what = first == 0 ? "line 1 does not anchor on the genesis value (prev should be "
                    + Audit.GENESIS + "): it was edited, or lines were inserted before it"
                    : "the " + first + " line(s) before the chain (1 to " + first + ") were edited: line "
                    + start.number() + " recorded a different hash of them";
            return problem(file, lines, first, unchained, headChecked, start.number(), what,
                    "compare with a backup of the log");
        }
        for (int i = first + 1; i < lines.size(); i++) {
            Line l = lines.get(i);
            Line before = lines.get(i - 1);
            if (l.seq() == null) {
                return problem(file, lines, first, unchained, headChecked, l.number(), "line " + l.number()
                        + " is not a chained audit entry (no seq/prev, or not JSON): it was edited or inserted",
                        "compare with a backup of the log");
            }
            if (l.seq() == before.seq() + 1 && l.prev().equals(before.hash())) {
                continue;
            }
            Line after = i + 1 < lines.size() ? lines.get(i + 1) : null;
            String what;
            Integer follows = byHash.get(l.prev());
            if (follows != null && follows > l.number()) {
                what = "line " + l.number() + " (seq " + l.seq() + ") is out of order: it was written right after "
                        + "line " + follows + ", which now comes later (lines were reordered)";
            } else if (after != null && after.prev() != null && after.prev().equals(before.hash())) {
                what = "line " + l.number() + " (seq " + l.seq() + ") was inserted: the next line follows line "
                        + before.number() + " directly";
            } else if (i >= 2 && l.prev().equals(lines.get(i - 2).hash()) && !l.prev().equals(before.hash())
                    && before.seq() != null && l.seq() == before.seq()) {
                what = "line " + before.number() + " (seq " + before.seq() + ") was inserted: line " + l.number()
                        + " follows line " + (before.number() - 1) + " directly";
            } else if (follows != null && follows != before.number()) {
                what = "line " + l.number() + " (seq " + l.seq() + ") is out of order: it was written right after "
                        + "line " + follows + ", but now follows line " + before.number()
                        + " (lines were reordered)";
            } else if (l.seq() > before.seq() + 1) {
                long from = before.seq() + 1;
                long to = l.seq() - 1;
                what = (from == to ? "entry " + from + " was" : "entries " + from + " to " + to + " were")
                        + " removed between line " + before.number() + " and line " + l.number();
            } else if (l.seq() <= before.seq()) {
                what = "line " + l.number() + " (seq " + l.seq() + ") does not follow seq " + before.seq()
                        + ": it was inserted or edited";
            } else {
                what = "line " + before.number() + " (seq " + before.seq() + ") was edited: line " + l.number()
                        + " recorded a different hash of it";
            }
            return problem(file, lines, first, unchained, headChecked, l.number(), what,
                    "compare with a backup of the log or the customer hosts' audit.log; "
                            + "entries from here on cannot be trusted");
        }
        Line last = lines.get(lines.size() - 1);
        int entries = lines.size() - first;
        if (head != null) {
            if (last.seq() < head.seq()) {
                long cut = head.seq() - last.seq();
                return new Result(file, entries, unchained, true, new Problem(last.number(), "the log ends at seq "
                        + last.seq() + " but the head marker says " + head.seq() + ": the last " + cut
                        + " entr" + (cut == 1 ? "y was" : "ies were") + " removed",
                        "restore the log from a backup; the head marker is " + Audit.headOf(file)));
            }
            Line marked = lines.get(first + (int) (head.seq() - 1));
            if (!marked.hash().equals(head.hash())) {
                return new Result(file, entries, unchained, true, new Problem(marked.number(), "line "
                        + marked.number() + " (seq " + marked.seq() + ") does not match the head marker: it was "
                        + "edited, or the lines from it on were replaced",
                        "compare with a backup of the log"));
            }
        }
        return new Result(file, entries, unchained, headChecked, null);
    }

    private static Result problem(Path file, List<Line> lines, int first, int unchained, boolean headChecked,
                                  int line, String message, String hint) {
        return new Result(file, lines.size() - first, unchained, headChecked, new Problem(line, message, hint));
    }

    private static List<Line> split(byte[] bytes) {
        List<Line> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i == bytes.length && start == i) {
                    break;
                }
                byte[] b = java.util.Arrays.copyOfRange(bytes, start, i);
                Line p = parse(out.size() + 1, start, new String(b, StandardCharsets.UTF_8));
                out.add(new Line(p.number(), start, Audit.sha256(b), p.seq(), p.prev(), p.text(), p.sig(),
                        p.identity()));
                start = i + 1;
            }
        }
        return out;
    }

    private static Line parse(int number, int offset, String text) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && n.isObject() && n.path("seq").isIntegralNumber() && n.path("seq").asLong() > 0
                    && HEX64.matcher(n.path("prev").asText("")).matches()) {
                return new Line(number, offset, null, n.path("seq").asLong(), n.path("prev").asText(), text,
                        n.hasNonNull("sig") ? n.path("sig").asText() : null, n.path("identity").asText(""));
            }
        } catch (IOException e) {
            // not JSON
        }
        return new Line(number, offset, null, null, null, text, null, null);
    }
}
