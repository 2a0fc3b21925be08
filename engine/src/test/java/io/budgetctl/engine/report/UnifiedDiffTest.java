package io.budgetctl.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our diff must agree with Python's difflib.unified_diff (what Ansible uses), checked against real python3. */
class UnifiedDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void agreesWithPythonDifflibOnRandomEdits() throws Exception {
        // given 300 random pairs: small alphabets make repeated lines and ambiguous matches likely
        Random random = new Random(42);
        List<List<List<String>>> pairs = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            List<String> a = randomLines(random, random.nextInt(30), 1 + random.nextInt(6));
            List<String> b = mutate(random, a);
            pairs.add(List.of(a, b));
        }
        // a big file with popular lines triggers difflib's autojunk heuristic (200+ lines)
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            big.add(i % 3 == 0 ? "}\n" : "line " + i + "\n");
        }
        pairs.add(List.of(big, mutate(random, big)));
        // when
        List<List<String>> expected = pythonDiffs(pairs);
        // then
        for (int i = 0; i < pairs.size(); i++) {
            List<String> actual = UnifiedDiff.diff(pairs.get(i).get(0), pairs.get(i).get(1), "before: f", "after: f",
                    3);
            assertThat(actual).as("pair %d: %s", i, pairs.get(i)).isEqualTo(expected.get(i));
        }
    }

    @Test
    void returnsNothingForEqualInput() {
        // given
        List<String> lines = List.of("a\n", "b\n");
        // when / then
        assertThat(UnifiedDiff.diff(lines, lines, "x", "y", 3)).isEmpty();
    }

    @Test
    void splitsLinesKeepingTheirEnds() {
        // when / then
        assertThat(UnifiedDiff.splitLinesKeepEnds("a\nb\r\nc\rd")).containsExactly("a\n", "b\r\n", "c\r", "d");
    }

    private static List<String> randomLines(Random r, int n, int alphabet) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add((char) ('a' + r.nextInt(alphabet)) + "\n");
        }
        return lines;
    }

    private static List<String> mutate(Random r, List<String> a) {
        List<String> b = new ArrayList<>(a);
        int edits = r.nextInt(6);
        for (int e = 0; e < edits; e++) {
            int op = r.nextInt(3);
            if (op == 0 || b.isEmpty()) {
                b.add(b.isEmpty() ? 0 : r.nextInt(b.size() + 1), (char) ('a' + r.nextInt(8)) + "\n");
            } else if (op == 1) {
                b.remove(r.nextInt(b.size()));
            } else {
                b.set(r.nextInt(b.size()), "changed " + r.nextInt(3) + "\n");
            }
        }
        return b;
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> pythonDiffs(List<List<List<String>>> pairs) throws IOException,
            InterruptedException {
        String script = "import sys, json, difflib\n"
                + "pairs = json.load(sys.stdin)\n"
                + "json.dump([list(difflib.unified_diff(a, b, fromfile='before: f', tofile='after: f',"
                + " fromfiledate='', tofiledate='', n=3)) for a, b in pairs], sys.stdout)\n";
        Process p = new ProcessBuilder("python3", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write(JSON.writeValueAsBytes(pairs));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return JSON.readValue(new String(out, StandardCharsets.UTF_8), List.class);
    }

}
