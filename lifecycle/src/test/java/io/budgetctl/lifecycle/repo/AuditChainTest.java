package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller audit log's hash chain: {@link Audit} writes seq/prev and the head marker, {@link AuditChain} finds
 * every kind of tampering (edit, removal, insertion, reordering, truncation) and names the first broken line.
 */
class AuditChainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path log;

    @BeforeEach
    void setUp() {
        log = dir.resolve("state/audit.log");
    }

    private void write(int n) {
        Audit audit = new Audit(log, Clock.fixed(Instant.parse("2026-12-05T07:00:00Z"), ZoneOffset.UTC));
        for (int i = 0; i < n; i++) {
            audit.record(new AccessDecision(OperatorIdentity.ofGit("ivan@example"), "Ivan", "deploy", "c" + i,
                    "pilot", i % 2 == 0, i % 2 == 0 ? "engineer" : null, "reason " + i), Map.of("file", "f" + i));
        }
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
    }

    private void rewrite(List<String> lines) throws Exception {
        Files.writeString(log, String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"), StandardCharsets.UTF_8);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachLineCarriesSeqAndTheHashOfTheLineBeforeAnchoredOnTheGenesisValue() throws Exception {
        // when
        write(3);
        // then
        List<String> l = lines();
        JsonNode first = JSON.readTree(l.get(0));
        assertThat(first.path("seq").asLong()).isEqualTo(1);
        assertThat(first.path("prev").asText()).isEqualTo(Audit.GENESIS).isEqualTo(sha256(""));
        assertThat(JSON.readTree(l.get(1)).path("prev").asText()).isEqualTo(sha256(l.get(0)));
        assertThat(JSON.readTree(l.get(2)).path("seq").asLong()).isEqualTo(3);
        assertThat(JSON.readTree(l.get(2)).path("prev").asText()).isEqualTo(sha256(l.get(1)));
        assertThat(first.path("action").asText()).isEqualTo("deploy");
        assertThat(first.path("file").asText()).isEqualTo("f0");
        JsonNode head = JSON.readTree(Files.readString(Audit.headOf(log)));
        assertThat(head.path("seq").asLong()).isEqualTo(3);
        assertThat(head.path("hash").asText()).isEqualTo(sha256(l.get(2)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Audit.headOf(log))))
                .isEqualTo("rw-------");
    }

    @Test
    void anIntactLogVerifiesWithItsNumberOfEntries() {
        // given
        write(5);
        // when
        AuditChain.Result r = AuditChain.verify(log);
        // then
        assertThat(r.ok()).isTrue();
        assertThat(r.entries()).isEqualTo(5);
        assertThat(r.headChecked()).isTrue();
    }

    @Test
    void anEditedLineIsNamedByTheLineAfterIt() throws Exception {
        // given: the decision of line 3 turned from deny to allow
        write(6);
        List<String> l = lines();
        l.set(2, l.get(2).replace("\"reason 2\"", "\"reason two\""));
        rewrite(l);
        // when
        AuditChain.Result r = AuditChain.verify(log);
        // then
        assertThat(r.ok()).isFalse();
        assertThat(r.problem().line()).isEqualTo(4);
        assertThat(r.problem().message()).contains("line 3 (seq 3) was edited");
    }

    @Test
    void anEditedFirstLineIsFound() throws Exception {
        write(3);
        List<String> l = lines();
        l.set(0, l.get(0).replace("\"deploy\"", "\"status\""));
        rewrite(l);
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().message()).contains("line 1 (seq 1) was edited");
    }

    @Test
    void anEditedLastLineIsFoundThroughTheHeadMarker() throws Exception {
        write(4);
        List<String> l = lines();
        l.set(3, l.get(3).replace("\"deny\"", "\"allow\""));
        rewrite(l);
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().line()).isEqualTo(4);
        assertThat(r.problem().message()).contains("does not match the head marker");
    }

    @Test
    void aRemovedLineIsNamedWithTheMissingSeq() throws Exception {
        write(6);
        List<String> l = lines();
        l.remove(3);
        rewrite(l);
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().line()).isEqualTo(4);
        assertThat(r.problem().message()).isEqualTo("entry 4 was removed between line 3 and line 4");
    }

    @Test
    void linesRemovedFromTheStartAreFound() throws Exception {
        write(5);
        List<String> l = lines();
        l.remove(0);
        l.remove(0);
        rewrite(l);
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().line()).isEqualTo(1);
        assertThat(r.problem().message()).contains("entries 1 to 2 were removed from the start");
    }

    @Test
    void anInsertedLineIsNamedEvenWhenItsSeqAndPrevLookRight() throws Exception {
        // given: a forged entry after line 2 with the next seq and a correct prev (the chain is public arithmetic)
        write(5);
        List<String> l = lines();
        String forged = "{\"seq\":3,\"prev\":\"" + sha256(l.get(1)) + "\",\"time\":\"2026-12-05T07:00:00Z\","
                + "\"action\":\"deploy\",\"decision\":\"allow\"}";
        l.add(2, forged);
        rewrite(l);
        // when
        AuditChain.Result r = AuditChain.verify(log);
        // then
        assertThat(r.problem().message()).contains("line 3 (seq 3) was inserted");
    }

    @Test
    void anInsertedLineThatIsNoEntryIsNamed() throws Exception {
        write(4);
        List<String> l = lines();
        l.add(2, "{\"action\":\"deploy\",\"decision\":\"allow\"}");
        rewrite(l);
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().line()).isEqualTo(3);
        assertThat(r.problem().message()).contains("line 3 is not a chained audit entry");
    }

    @Test
    void anInsertedEntryWithAnOtherSeqIsNamed() throws Exception {
        write(4);
        List<String> l = lines();
        l.add(2, "{\"seq\":9,\"prev\":\"" + "a".repeat(64) + "\",\"decision\":\"allow\"}");
        rewrite(l);
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().line()).isEqualTo(3);
        assertThat(r.problem().message()).contains("line 3 (seq 9) was inserted");
    }

    @Test
    void reorderedLinesAreNamed() throws Exception {
        write(5);
        List<String> l = lines();
        String third = l.get(2);
        l.set(2, l.get(3));
        l.set(3, third);
        rewrite(l);
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().line()).isEqualTo(3);
        assertThat(r.problem().message()).contains("line 3 (seq 4) is out of order").contains("reordered");
    }

    @Test
    void truncationAtTheEndIsFoundThroughTheHeadMarker() throws Exception {
        write(5);
        List<String> l = lines();
        rewrite(l.subList(0, 3));
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().line()).isEqualTo(3);
        assertThat(r.problem().message()).contains("the last 2 entries were removed");
    }

    @Test
    void withoutAHeadMarkerTruncationAtTheEndCannotBeSeenAndTheResultSaysSo() throws Exception {
        write(5);
        Files.delete(Audit.headOf(log));
        rewrite(lines().subList(0, 3));
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.ok()).isTrue();
        assertThat(r.entries()).isEqualTo(3);
        assertThat(r.headChecked()).isFalse();
    }

    @Test
    void aDamagedHeadMarkerIsReported() throws Exception {
        write(2);
        Files.writeString(Audit.headOf(log), "{\"seq\":\"two\"}\n");
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.problem().line()).isZero();
        assertThat(r.problem().message()).contains("is not {\"seq\": N");
    }

    @Test
    void linesWrittenBeforeTheChainAreCoveredAsOneBlockByTheFirstEntry() throws Exception {
        // given: a log of the budgetctl before the chain, then new entries
        Files.createDirectories(log.getParent());
        String legacy = "{\"time\":\"2026-01-01T00:00:00Z\",\"action\":\"deploy\",\"decision\":\"deny\"}\n"
                + "{\"time\":\"2026-01-02T00:00:00Z\",\"action\":\"status\",\"decision\":\"allow\"}\n";
        Files.writeString(log, legacy);
        write(2);
        // then
        List<String> l = lines();
        assertThat(JSON.readTree(l.get(2)).path("seq").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(l.get(2)).path("prev").asText()).isEqualTo(sha256(legacy));
        AuditChain.Result ok = AuditChain.verify(log);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.unchained()).isEqualTo(2);
        assertThat(ok.entries()).isEqualTo(2);
        // when a line before the chain is edited
        l.set(0, l.get(0).replace("deny", "allow"));
        rewrite(l);
        AuditChain.Result r = AuditChain.verify(log);
        // then
        assertThat(r.problem().line()).isEqualTo(3);
        assertThat(r.problem().message()).contains("the 2 line(s) before the chain (1 to 2) were edited");
    }

    @Test
    void aLogWithNoChainedEntryIsNotReportedIntact() throws Exception {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "{\"action\":\"deploy\"}\n");
        AuditChain.Result r = AuditChain.verify(log);
        assertThat(r.ok()).isFalse();
        assertThat(r.problem().message()).contains("no line carries seq and prev");
    }

    @Test
    void aMissingLogIsAClearError() {
        assertThatThrownBy(() -> AuditChain.verify(dir.resolve("nope.log")))
                .isInstanceOf(EngineException.class).hasMessageContaining("no audit log here");
    }
}
