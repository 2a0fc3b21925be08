package io.budgetctl.lifecycle.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class FleetReportTest {
    private static final FleetResult STOPPED = new FleetResult("r1", "/state/r1.jsonl", List.of(
            new FleetResult.Entry("acme", 1, CustomerState.DONE, null, "/state/r1/acme.log", 40.0, false),
            new FleetResult.Entry("beta", 1, CustomerState.FAILED, "health gate: \"backend\" <not ready> & rolled back",
                    "/state/r1/beta.log", 95.5, false),
            new FleetResult.Entry("delta", 1, CustomerState.SKIPPED, "outside its maintenance window", null, null, false),
            new FleetResult.Entry("gamma", 2, CustomerState.SKIPPED, "never started", null, null, true)), true, 140.0);

    @Test
    void givenAStoppedRun_whenSummarised_thenCountsFailuresWithLogsAndNeverStartedAreListed() {
        assertThat(FleetReport.summary(STOPPED)).containsExactly(
                "FLEET SUMMARY r1 (140.0s, journal /state/r1.jsonl)",
                "  4 customers: 1 done, 1 failed, 2 skipped, 0 interrupted",
                "  deploy time per customer: median 40.0s, longest 40.0s",
                "  FAILED beta (wave 1): health gate: \"backend\" <not ready> & rolled back [log /state/r1/beta.log]",
                "  SKIPPED delta: outside its maintenance window",
                "  NEVER STARTED (failure budget exceeded): gamma",
                "  exit 7: failure budget exceeded, rollout stopped; 'budgetctl fleet resume r1' continues it");
    }

    @Test
    void givenAStoppedRun_whenWrittenAsJUnit_thenTheXmlParsesWithOneCasePerCustomer() throws Exception {
        // when
        String xml = FleetReport.junit(STOPPED);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));

        // then
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("4");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(doc.getDocumentElement().getAttribute("skipped")).isEqualTo("2");
        assertThat(doc.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("message")
                .getNodeValue()).isEqualTo("health gate: \"backend\" <not ready> & rolled back (log /state/r1/beta.log)");
    }

    @Test
    void givenEvents_whenPrintedPlain_thenQueuedLinesAreQuietAndFailuresCarryReasonAndLog() {
        JournalEvent base = JournalEvent.of("2026-12-02T12:00:05.123Z", "r1", "ops", JournalEvent.CUSTOMER);
        assertThat(FleetReport.line(base.customer("acme", 1, CustomerState.QUEUED, null, null, null))).isNull();
        assertThat(FleetReport.line(base.customer("beta", 1, CustomerState.FAILED, "health gate", "/l/beta.log", 12.0)))
                .isEqualTo("12:00:05 beta failed in 12.0s: health gate (log /l/beta.log)");
        assertThat(FleetReport.line(base.customer("acme", 1, CustomerState.DONE, null, "/l/acme.log", 3.25)))
                .isEqualTo("12:00:05 acme done in 3.3s");
    }
}
