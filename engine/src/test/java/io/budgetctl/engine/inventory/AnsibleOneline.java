package io.budgetctl.engine.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * Reads what ansible-core's built-in {@code oneline} stdout callback prints for an ad-hoc command: one line per host,
 * {@code host | STATUS => {json}}. Debian's {@code ansible-core} has no {@code json} callback (that one lives in the
 * ansible.posix collection), so the differential tests use this one.
 */
final class AnsibleOneline {
    /** Environment that makes {@code ansible} (ad-hoc) use the oneline callback. */
    static final Map<String, String> ENV = Map.of("ANSIBLE_LOAD_CALLBACK_PLUGINS", "1",
            "ANSIBLE_STDOUT_CALLBACK", "oneline");

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnsibleOneline() {
    }

    /** Each host's result, keyed by host name; a line that is not a host result (a warning) is skipped. */
    static ObjectNode hosts(String stdout) throws IOException {
        ObjectNode hosts = JSON.createObjectNode();
        for (String line : stdout.split("\n")) {
            int bar = line.indexOf(" | ");
            int arrow = line.indexOf(" => {");
            if (bar <= 0 || arrow < bar) {
                continue;
            }
            hosts.set(line.substring(0, bar), JSON.readTree(line.substring(arrow + 4)));
        }
        return hosts;
    }
}
