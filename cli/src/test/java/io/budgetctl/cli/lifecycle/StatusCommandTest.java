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
}
