package io.budgetctl.lifecycle.repo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every field of the client file has a row in docs/configuration.md's "Where each setting ends up" table saying
 * where it ends up (on the server or only on the controller); a field added to schemas/client.schema.json without a
 * row fails here, and so does a row for a field the schema no longer has.
 */
class ConfigurationDocsTest {
    private static final Path SCHEMA = Path.of("..", "schemas", "client.schema.json");
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String SECTION = "## Where each setting ends up";

    @Test
    void everyClientFileFieldSaysWhereItEndsUp() throws IOException {
        List<String> fields = fields();
        Map<String, String> rows = rows();
        assertThat(fields).as("fields of %s", SCHEMA).hasSizeGreaterThan(50);
        List<String> missing = new ArrayList<>();
        for (String f : fields) {
            String where = rows.get(f);
            if (where == null || where.isBlank()) {
                missing.add(f);
            }
        }
        assertThat(missing).as("fields without a row in %s, \"%s\"", DOC, SECTION).isEmpty();
        assertThat(rows.keySet()).as("rows for fields the schema does not have").isSubsetOf(fields);
    }

    /** Dotted paths of the schema's leaves: objects descend (through $ref and if/then branches), lists of objects as []. */
    static List<String> fields() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(SCHEMA.toFile());
        List<String> out = new ArrayList<>();
        walk(schema, schema, "", out);
        return out;
    }

    private static void walk(JsonNode root, JsonNode node, String path, List<String> out) {
        JsonNode n = resolve(root, node);
        Map<String, JsonNode> props = new LinkedHashMap<>();
        collect(n.path("properties"), props);
        for (JsonNode branch : n.path("allOf")) {
            collect(branch.path("then").path("properties"), props);
        }
        if (props.isEmpty() && "array".equals(n.path("type").asText()) && n.has("items")) {
            JsonNode item = resolve(root, n.get("items"));
            if (item.has("properties")) {
                walk(root, item, path + "[]", out);
                return;
            }
        }
        if (props.isEmpty()) {
            out.add(path);
            return;
        }
        props.forEach((k, v) -> walk(root, v, path.isEmpty() ? k : path + "." + k, out));
    }

    private static void collect(JsonNode properties, Map<String, JsonNode> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            into.putIfAbsent(e.getKey(), e.getValue());
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode n = node;
        while (n.has("$ref") && n.get("$ref").asText().startsWith("#/")) {
            n = root.at(n.get("$ref").asText().substring(1));
        }
        return n;
    }

    /** The section's table: field -> where it ends up. */
    static Map<String, String> rows() throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("\n" + SECTION + "\n");
        assertThat(start).as("%s has a section \"%s\"", DOC, SECTION).isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\| (.*) \\|$").matcher(section);
        while (m.find()) {
            rows.put(m.group(1), m.group(2).trim());
        }
        return rows;
    }
}
