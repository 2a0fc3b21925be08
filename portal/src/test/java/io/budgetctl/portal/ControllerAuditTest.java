package io.budgetctl.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST/GET /api/v1/audit against a real portal (H2 file database): the lines a controller sends are kept as sent and
 * each is checked against the one before it (seq, prev = SHA-256 of that line), as budgetctl audit verify checks the
 * controller's file. The chained lines here are built the way Audit writes them.
 */
class ControllerAuditTest {
    @TempDir
    Path dir;
    TestPortal portal;

    @BeforeEach
    void start() throws Exception {
        portal = TestPortal.start(dir, TestPortal.h2(dir), dir.resolve("key"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    TestPortal.Response post(String controller, String line) {
        return portal.call("POST", "/api/v1/audit", TestPortal.TOKEN, line, "X-Budgetctl-Controller", controller);
    }

    /** Lines 1..n of a chain, each naming the SHA-256 of the one before (the first anchors on a made-up genesis). */
    static List<String> chain(int n, String action) {
        List<String> lines = new ArrayList<>();
        String prev = "0".repeat(64);
        for (int i = 1; i <= n; i++) {
            String l = "{\"seq\":" + i + ",\"prev\":\"" + prev + "\",\"action\":\"" + action + "\",\"client\":\"acme\"}";
            lines.add(l);
            prev = Tokens.hash(l);
        }
        return lines;
    }

    @Test
    void aChainIsStoredAsSentAndEachLineIsCheckedAgainstTheOneBeforeIt() throws Exception {
        // given
        List<String> lines = chain(4, "deploy");
        // when: 1, 2, 3 in order, 2 again (a retry), then a line 4 whose prev is not line 3's
        // hash (line 3 was edited on the controller before line 4 was written)
        List<TestPortal.Response> r = new ArrayList<>();
        for (String l : lines.subList(0, 3)) {
            r.add(post("ctl-1.vendor.example", l));
        }
        TestPortal.Response again = post("ctl-1.vendor.example", lines.get(1));
        String forged = lines.get(3).replace(Tokens.hash(lines.get(2)), Tokens.hash("edited"));
        TestPortal.Response fork = post("ctl-1.vendor.example", forged);
        // then
        assertThat(r).extracting(TestPortal.Response::status).containsExactly(201, 201, 201);
        assertThat(r).extracting(x -> x.json().path("chain").asText()).containsExactly("start", "ok", "ok");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("chain").asText()).isEqualTo("repeat");
        assertThat(fork.status()).isEqualTo(201);
        assertThat(fork.json().path("chain").asText()).startsWith("fork: prev is not the SHA-256 of line 3");
        JsonNode list = portal.admin("GET", "/api/v1/audit?controller=ctl-1.vendor.example", null).json();
        assertThat(list.path("lines")).hasSize(4);
        assertThat(list.path("lines").get(0).path("line").asText()).isEqualTo(lines.get(0));
        assertThat(list.path("lines").get(2).path("received_by").asText()).isEqualTo("api");
    }

    @Test
    void aSeqSentAgainWithOtherBytesIsRefusedAndAGapIsNamed() {
        // given
        List<String> lines = chain(3, "rollback");
        post("ctl-2", lines.get(0));
        // when
        TestPortal.Response changed = post("ctl-2", lines.get(0).replace("rollback", "status"));
        TestPortal.Response gap = post("ctl-2", lines.get(2));
        // then: the portal never replaces what it has; a missing line is named
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.json().path("error").asText()).isEqualTo("the portal already has line 1 of ctl-2 with"
                + " other content");
        assertThat(gap.json().path("chain").asText()).isEqualTo("gap: the portal's last line of ctl-2 is 1, this is 3");
        // and another controller's chain is its own
        assertThat(post("ctl-3", lines.get(1)).json().path("chain").asText()).isEqualTo("start");
    }

    @Test
    void badRequestsAreRefusedWithAReasonAndNeedTheToken() {
        assertThat(post("bad name!", chain(1, "x").get(0)).status()).isEqualTo(400);
        assertThat(post("ctl-4", "not json").json().path("error").asText()).isEqualTo("the body is not a JSON object");
        assertThat(post("ctl-4", "{\"a\":1}\n{\"b\":2}").status()).isEqualTo(400);
        assertThat(portal.call("POST", "/api/v1/audit", "wrong", chain(1, "x").get(0), "X-Budgetctl-Controller",
                "ctl-4").status()).isEqualTo(401);
        assertThat(post("ctl-4", "{\"action\":\"deploy\"}").json().path("chain").asText())
                .isEqualTo("unchained: the line has no seq and prev");
    }
}
