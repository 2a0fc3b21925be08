package io.budgetctl.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JUnitListenerTest {

    @Test
    void writesTheReportAtPlaybookEndMatchingTheGoldenFile(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("reports/junit.xml");
        // when
        Scenarios.basic(new JUnitListener(file));
        // then
        Golden.assertMatches("junit-basic.xml", Files.readString(file));
    }

    @Test
    void hasOneSuitePerPlayAndCountsFailuresAndSkips(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("junit.xml");
        // when
        Scenarios.basic(new JUnitListener(file));
        // then the XML parses and its numbers add up
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        NodeList suites = doc.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(2);
        Element first = (Element) suites.item(0);
        assertThat(first.getAttribute("name")).isEqualTo("basic.yml: Deploy IT Budget Manager");
        assertThat(first.getAttribute("failures")).isEqualTo("1"); // db1 unreachable; ignored failures pass
        assertThat(first.getAttribute("skipped")).isEqualTo("2"); // "only on debian 9", "nothing to copy"
        assertThat(first.getElementsByTagName("testcase").getLength()).isEqualTo(15); // 2 hosts x 2 tasks, then 11 for localhost
        Element second = (Element) suites.item(1);
        assertThat(second.getAttribute("failures")).isEqualTo("1");
        assertThat(((Element) second.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("migration 42 failed");
    }

    @Test
    void writesNothingBeforePlaybookEnd(@TempDir Path dir) {
        // given
        Path file = dir.resolve("junit.xml");
        JUnitListener listener = new JUnitListener(file);
        // when
        listener.playbookStart("x.yml");
        // then
        assertThat(file).doesNotExist();
    }
}
