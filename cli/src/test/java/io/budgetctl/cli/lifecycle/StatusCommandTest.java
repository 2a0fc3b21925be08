package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status.sh document: the five long-running services healthy, plus {@code extra} (JSON objects). */
    private static JsonNode status(String extra) throws Exception {
        StringBuilder s = new StringBuilder("{\"services\": [");
        for (String name : new String[] {"backend", "worker", "scheduler", "frontend", "ingress"}) {
            s.append("{\"service\":\"").append(name)
                    .append("\",\"state\":\"running\",\"health\":\"healthy\",\"exit_code\":0,\"one_shot\":false},");
        }
        s.append(extra).append("]}");
        return JSON.readTree(s.toString());
    }

    @Test
    void aOneShotMigrateThatCompletedKeepsTheHostHealthy() throws Exception {
        // given
        JsonNode doc = status("{\"service\":\"migrate\",\"state\":\"completed\",\"health\":\"none\",\"exit_code\":0,"
                + "\"one_shot\":true}");
        // when / then
        assertThat(StatusCommand.healthy(doc)).isTrue();
    }

    @Test
    void aOneShotThatExitedNonZeroMakesTheHostUnhealthy() throws Exception {
        // given
        JsonNode doc = status("{\"service\":\"migrate\",\"state\":\"failed\",\"health\":\"none\",\"exit_code\":1,"
                + "\"one_shot\":true}");
        // when / then
        assertThat(StatusCommand.healthy(doc)).isFalse();
    }

    @Test
    void aLongRunningServiceThatExitedIsUnhealthyEvenWithExitCodeZero() throws Exception {
        // given: a second worker container that stopped
        JsonNode doc = status("{\"service\":\"worker\",\"state\":\"exited\",\"health\":\"unhealthy\",\"exit_code\":0,"
                + "\"one_shot\":false}");
        // when / then
        assertThat(StatusCommand.healthy(doc)).isFalse();
    }

    @Test
    void aMissingRequiredServiceIsUnhealthy() throws Exception {
        // given
        JsonNode doc = JSON.readTree("{\"services\": [{\"service\":\"backend\",\"state\":\"running\","
                + "\"health\":\"healthy\",\"one_shot\":false}]}");
        // when / then
        assertThat(StatusCommand.healthy(doc)).isFalse();
    }

    @Test
    void eachIntegrationShowsItsStateAndReasonAndNotConfiguredOnesNoReason() throws Exception {
        // given: what the backend's GET /integrations answers
        JsonNode integrations = JSON.readTree("[{\"name\":\"smtp\",\"configured\":true,\"state\":\"ok\","
                + "\"reason\":\"connected and authenticated as itbm-mailer\",\"last_checked\":\"2026-12-06T10:00:00Z\"},"
                + "{\"name\":\"sso\",\"configured\":false,\"state\":\"not_configured\",\"reason\":\"not set\"},"
                + "{\"name\":\"onec\",\"configured\":true,\"state\":\"failing\",\"reason\":\"1C refused the"
                + " credentials of user exchange (HTTP 401 from 1c:80)\",\"last_checked\":\"2026-12-06T10:01:00Z\"}]");
        java.io.StringWriter text = new java.io.StringWriter();
        // when
        StatusCommand.printIntegrations(new java.io.PrintWriter(text, true), integrations);
        // then
        assertThat(text.toString()).isEqualTo(String.join("\n",
                "  integrations:",
                "    smtp  ok              connected and authenticated as itbm-mailer (checked 2026-12-06T10:00:00Z)",
                "    sso   not configured",
                "    onec  failing         1C refused the credentials of user exchange (HTTP 401 from 1c:80) (checked"
                        + " 2026-12-06T10:01:00Z)",
                ""));
    }

    @Test
    void anOlderBackendWithoutIntegrationsPrintsNoSection() throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        StatusCommand.printIntegrations(new java.io.PrintWriter(text, true), JSON.readTree("null"));
        assertThat(text.toString()).isEmpty();
    }
}
